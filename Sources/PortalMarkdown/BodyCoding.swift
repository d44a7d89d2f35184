import PortalSupport

/// A parsed body in `ByteWriter`'s form, for the load cache (`PortalLoad/SourceCache.swift`):
/// decoding one is a copy of its strings, where parsing it again is a walk of cmark's tree.
extension ByteWriter {
    package mutating func body(_ body: ParsedBody) {
        let file = body.file
        string(file)
        array(body.paragraphs) {
            $0.int($1.number)
            $0.location($1.location, in: file)
            $0.string($1.text)
        }
        array(body.headings) {
            $0.int($1.level)
            $0.string($1.text)
            $0.string($1.baseID)
        }
        array(body.links) {
            $0.string($1.url)
            $0.bool($1.isImage)
            $0.bool($1.hasText)
            $0.location($1.location, in: file)
            $0.optional($1.paragraph) { $0.int($1) }
        }
        array(body.blocks) {
            switch $1 {
            case .heading(let index, let level, let html):
                $0.unsigned(0)
                $0.int(index)
                $0.int(level)
                $0.string(html)
            case .paragraph(let number, let html):
                $0.unsigned(1)
                $0.int(number)
                $0.string(html)
            case .other(let html):
                $0.unsigned(2)
                $0.string(html)
            }
        }
        array(body.diagnostics) { $0.diagnostic($1, in: file) }
        bool(body.isEmpty)
        array(body.lostParagraphs) { $0.optional($1) { $0.int($1) } }
    }
}

extension ByteReader {
    /// `file`: the path the body was cached under; a body of another file is refused.
    package mutating func body(of file: String) throws -> ParsedBody {
        guard try string() == file else { throw Malformed() }
        let paragraphs = try array { reader in
            ParagraphFacts(number: try reader.int(), location: try reader.location(in: file), text: try reader.string())
        }
        let headings = try array { reader in
            HeadingFacts(level: try reader.int(), text: try reader.string(), baseID: try reader.string())
        }
        let links = try array { reader in
            LinkFacts(
                url: try reader.string(), isImage: try reader.bool(), hasText: try reader.bool(),
                location: try reader.location(in: file), paragraph: try reader.optional { try $0.int() })
        }
        let blocks = try array { reader -> FragmentBlock in
            switch try reader.unsigned() {
            case 0: return .heading(index: try reader.int(), level: try reader.int(), html: try reader.string())
            case 1: return .paragraph(number: try reader.int(), html: try reader.string())
            case 2: return .other(html: try reader.string())
            default: throw Malformed()
            }
        }
        let diagnostics = try array { try $0.diagnostic(in: file) }
        let isEmpty = try bool()
        let lost = try array { reader in try reader.optional { try $0.int() } }
        return ParsedBody(
            file: file, paragraphs: paragraphs, headings: headings, links: links, blocks: blocks,
            diagnostics: diagnostics, isEmpty: isEmpty, lostParagraphs: lost)
    }
}
