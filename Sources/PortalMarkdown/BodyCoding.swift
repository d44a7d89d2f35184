import Foundation
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
        blocks(body.blocks)
        array(body.diagnostics) { $0.diagnostic($1, in: file) }
        bool(body.isEmpty)
        array(body.lostParagraphs) { $0.optional($1) { $0.int($1) } }
    }

    private mutating func blocks(_ blocks: [FragmentBlock]) {
        array(blocks) {
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
    }
}

extension ByteReader {
    /// `file`: the path the body was cached under; a body of another file is refused.
    package mutating func body(of file: String) throws -> ParsedBody {
        guard try string() == file else { throw Malformed() }
        let paragraphs = try array { reader in
            ParagraphFacts(
                number: try reader.int(), location: try reader.location(in: file),
                storedText: try reader.deferredString())
        }
        let headings = try array { reader in
            HeadingFacts(level: try reader.int(), text: try reader.string(), baseID: try reader.string())
        }
        let links = try array { reader in
            LinkFacts(
                url: try reader.string(), isImage: try reader.bool(), hasText: try reader.bool(),
                location: try reader.location(in: file), paragraph: try reader.optional { try $0.int() })
        }
        let blocks: StoredBlocks
        if let owner {
            // Checked now, decoded when a page asks (most of a rebuild's bodies never are).
            blocks = StoredBlocks(owner: owner, bytes: try skipped { try $0.skipBlocks() })
        } else {
            blocks = StoredBlocks(try self.blocks())
        }
        let diagnostics = try array { try $0.diagnostic(in: file) }
        let isEmpty = try bool()
        let lost = try array { reader in try reader.optional { try $0.int() } }
        return ParsedBody(
            file: file, paragraphs: paragraphs, headings: headings, links: links, blocks: blocks,
            diagnostics: diagnostics, isEmpty: isEmpty, lostParagraphs: lost)
    }
}

extension ByteReader {
    /// What `blocks` reads, checked the same way, without copying out the HTML.
    fileprivate mutating func skipBlocks() throws {
        for _ in 0..<(try count()) {
            switch try unsigned() {
            case 0:
                _ = try int()
                _ = try int()
            case 1: _ = try int()
            case 2: break
            default: throw Malformed()
            }
            _ = try bytes(count())
        }
    }

    fileprivate mutating func blocks() throws -> [FragmentBlock] {
        try array { reader -> FragmentBlock in
            switch try reader.unsigned() {
            case 0: return .heading(index: try reader.int(), level: try reader.int(), html: try reader.string())
            case 1: return .paragraph(number: try reader.int(), html: try reader.string())
            case 2: return .other(html: try reader.string())
            default: throw Malformed()
            }
        }
    }
}

/// A body's blocks: made by the parser, or left in the load cache's mapped pack (already checked
/// by its checksum and by a decoding pass) and decoded once, the first time a page asks for them.
/// A rebuild of one page at 10,000 pages then copies out one body's HTML, not 10,000. Equal by
/// value.
package struct StoredBlocks: @unchecked Sendable, Hashable {
    private let made: [FragmentBlock]?
    private let mapped: MappedBlocks?

    package init(_ blocks: [FragmentBlock]) {
        made = blocks
        mapped = nil
    }

    init(owner: AnyObject, bytes: UnsafeRawBufferPointer) {
        made = nil
        mapped = MappedBlocks(owner: owner, bytes: bytes)
    }

    package var blocks: [FragmentBlock] { made ?? mapped!.blocks }

    package static func == (a: StoredBlocks, b: StoredBlocks) -> Bool { a.blocks == b.blocks }
    package func hash(into hasher: inout Hasher) { hasher.combine(blocks) }
}

/// Shown as the blocks, wherever they are kept, so a body read from the cache prints as the parsed one.
extension StoredBlocks: CustomDebugStringConvertible {
    package var debugDescription: String { blocks.debugDescription }
}

/// Blocks still in a mapped cache file, decoded once under a lock (pages on several cores may
/// show the same body: its section page and the full report).
private final class MappedBlocks: @unchecked Sendable {
    private let owner: AnyObject
    private let bytes: UnsafeRawBufferPointer
    private var decoded: [FragmentBlock]?
    private let lock = NSLock()

    init(owner: AnyObject, bytes: UnsafeRawBufferPointer) {
        self.owner = owner
        self.bytes = bytes
    }

    var blocks: [FragmentBlock] {
        lock.withLock {
            if let decoded { return decoded }
            var reader = ByteReader(bytes)
            // The same bytes passed the same decoder when the entry was read (`skipped`), and the
            // mapping is read-only, so this cannot fail.
            let blocks = try! reader.blocks()
            decoded = blocks
            return blocks
        }
    }
}
