import PortalSupport

/// Mustache templates, compiled once per build and rendered on UTF-8 bytes over typed values.
///
/// The portal renders tens of thousands of pages per build, and a general-purpose engine that
/// looks every name up through dynamic casts spent more time per page than parsing its Markdown.
/// This covers the Mustache the themes use: `{{name}}` (escaped), `{{{name}}}` and `{{& name}}`
/// (raw), sections `{{#name}}…{{/name}}`, inverted sections `{{^name}}`, comments `{{! …}}`,
/// partials `{{> name}}`, dotted names and `.`, standalone-line rules, and the transforms
/// `empty(name)`, `count(name)`, and `first()`, `last()`, `index()` inside a list.
public struct Template: Sendable {
    let nodes: [TemplateNode]
}

enum TemplateNode: Sendable {
    case text([UInt8])
    case variable(TemplateName, escaped: Bool)
    case section(TemplateName, inverted: Bool, children: [TemplateNode])
    case partial(TemplateName)
}

/// A name in a tag: `citations`, `report.board`, `.`, `empty(boards)` or `last()`.
/// A class, not a struct: the renderer passes a name around for every tag of every page, and a
/// struct of three strings costs a retain and release of each every time.
final class TemplateName: Sendable, Equatable {
    let parts: [String]
    let transform: String?
    let source: String
    /// Where the tag starts, for errors about the name.
    let line: Int
    let column: Int
    /// `{{.}}`: the current value itself, known once here rather than compared on every look-up.
    let isCurrent: Bool

    init(parts: [String], transform: String? = nil, source: String, line: Int = 1, column: Int = 1) {
        self.parts = parts
        self.transform = transform
        self.source = source
        self.line = line
        self.column = column
        isCurrent = parts.first == "."
    }

    static func == (a: TemplateName, b: TemplateName) -> Bool {
        a.parts == b.parts && a.transform == b.transform && a.source == b.source && a.line == b.line
            && a.column == b.column
    }
}

public struct TemplateError: Error, Sendable {
    public var message: String
    public var line: Int
    public var column: Int
}

extension Template {
    public init(_ text: String) throws(TemplateError) {
        let bytes = Array(text.utf8)
        var tokens = try tokenize(bytes)
        stripStandaloneLines(&tokens)
        var index = 0
        nodes = try buildTree(tokens, &index, closing: nil)
    }
}

private enum Token {
    case text([UInt8])
    /// kind: 0 variable, "&"/"{" raw, "#", "^", "/", "!", ">"
    case tag(kind: UInt8, content: String, line: Int, column: Int)

    var isStandaloneCandidate: Bool {
        if case .tag(let kind, _, _, _) = self {
            return kind == UInt8(ascii: "#") || kind == UInt8(ascii: "^") || kind == UInt8(ascii: "/")
                || kind == UInt8(ascii: "!") || kind == UInt8(ascii: ">")
        }
        return false
    }
}

private func tokenize(_ bytes: [UInt8]) throws(TemplateError) -> [Token] {
    var tokens: [Token] = []
    var index = 0
    var textStart = 0
    var line = 1
    var lineStart = 0
    while index + 1 < bytes.count {
        guard bytes[index] == ASCII.openBrace, bytes[index + 1] == ASCII.openBrace else {
            if bytes[index] == ASCII.newline {
                line += 1
                lineStart = index + 1
            }
            index += 1
            continue
        }
        if textStart < index { tokens.append(.text(Array(bytes[textStart..<index]))) }
        let (tagLine, tagColumn) = (line, index - lineStart + 1)
        var cursor = index + 2
        var kind: UInt8 = 0
        var closing: [UInt8] = [ASCII.closeBrace, ASCII.closeBrace]
        if cursor < bytes.count,
            [
                UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "/"), UInt8(ascii: "!"), UInt8(ascii: ">"),
                UInt8(ascii: "&"), UInt8(ascii: "{"),
            ].contains(bytes[cursor])
        {
            kind = bytes[cursor]
            if kind == UInt8(ascii: "{") { closing = [ASCII.closeBrace, ASCII.closeBrace, ASCII.closeBrace] }
            cursor += 1
        }
        var end = cursor
        while end + closing.count <= bytes.count, !bytes[end..<end + closing.count].elementsEqual(closing) { end += 1 }
        guard end + closing.count <= bytes.count else {
            throw TemplateError(
                message: "tag is never closed with \(String(decoding: closing, as: UTF8.self))", line: tagLine,
                column: tagColumn)
        }
        let content = String(decoding: bytes[cursor..<end], as: UTF8.self).trimmingWhitespace()
        if kind != UInt8(ascii: "!") && content.isEmpty {
            throw TemplateError(message: "empty tag", line: tagLine, column: tagColumn)
        }
        tokens.append(.tag(kind: kind, content: content, line: tagLine, column: tagColumn))
        index = end + closing.count
        for i in cursor..<end where bytes[i] == ASCII.newline {
            line += 1
            lineStart = i + 1
        }
        textStart = index
    }
    if textStart < bytes.count { tokens.append(.text(Array(bytes[textStart...]))) }
    return tokens
}

/// The Mustache spec's standalone rule: a section, comment or partial tag alone on its line
/// removes the whole line, so templates can be laid out readably without blank output lines.
private func stripStandaloneLines(_ tokens: inout [Token]) {
    // Whether the output is at the start of a line just after token i (a standalone tag whose
    // line was removed leaves the next token at a line start).
    var lineStartAfter = [Bool](repeating: false, count: tokens.count)
    for index in tokens.indices where tokens[index].isStandaloneCandidate {
        // Only whitespace back to the start of the line (or the template)…
        var before: [UInt8] = []
        var atLineStart = index == 0
        if index > 0 {
            switch tokens[index - 1] {
            case .text(let text):
                if let newline = text.lastIndex(of: ASCII.newline) {
                    before = Array(text[(newline + 1)...])
                    atLineStart = true
                } else {
                    before = text
                    atLineStart = index == 1 || lineStartAfter[index - 2]
                }
            case .tag: atLineStart = lineStartAfter[index - 1]
            }
        }
        guard atLineStart, before.allSatisfy(isBlank) else { continue }
        // …and only whitespace up to the end of the line (or the template).
        var afterLength = 0
        if index + 1 < tokens.count, case .text(let text) = tokens[index + 1] {
            var cursor = 0
            while cursor < text.count,
                text[cursor] == ASCII.space || text[cursor] == ASCII.tab || text[cursor] == ASCII.carriageReturn
            {
                cursor += 1
            }
            guard cursor == text.count || text[cursor] == ASCII.newline else { continue }
            afterLength = cursor < text.count ? cursor + 1 : cursor
        } else if index + 1 < tokens.count {
            continue
        }
        if index > 0, case .text(let text) = tokens[index - 1] {
            tokens[index - 1] = .text(Array(text.dropLast(before.count)))
        }
        if index + 1 < tokens.count, case .text(let text) = tokens[index + 1] {
            tokens[index + 1] = .text(Array(text.dropFirst(afterLength)))
        }
        lineStartAfter[index] = true
    }
}

private func buildTree(_ tokens: [Token], _ index: inout Int, closing: (name: String, line: Int, column: Int)?)
    throws(TemplateError) -> [TemplateNode]
{
    var nodes: [TemplateNode] = []
    while index < tokens.count {
        let token = tokens[index]
        index += 1
        switch token {
        case .text(let bytes):
            if !bytes.isEmpty { nodes.append(.text(bytes)) }
        case .tag(let kind, let content, let line, let column):
            switch kind {
            case UInt8(ascii: "!"): continue
            case UInt8(ascii: ">"):
                nodes.append(.partial(TemplateName(parts: [content], source: content, line: line, column: column)))
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let children = try buildTree(tokens, &index, closing: (content, line, column))
                nodes.append(
                    .section(
                        parseName(content, line: line, column: column), inverted: kind == UInt8(ascii: "^"),
                        children: children))
            case UInt8(ascii: "/"):
                guard let closing, closing.name == content else {
                    throw TemplateError(
                        message: closing.map { "'{{/\(content)}}' closes '{{#\($0.name)}}' opened at line \($0.line)" }
                            ?? "'{{/\(content)}}' closes a section that was never opened",
                        line: line, column: column)
                }
                return nodes
            default:
                nodes.append(.variable(parseName(content, line: line, column: column), escaped: kind == 0))
            }
        }
    }
    if let closing {
        throw TemplateError(
            message: "section '{{#\(closing.name)}}' is never closed", line: closing.line, column: closing.column)
    }
    return nodes
}

private func parseName(_ content: String, line: Int, column: Int) -> TemplateName {
    if let open = content.firstIndex(of: "("), content.hasSuffix(")") {
        let transform = String(content[..<open])
        let argument = String(content[content.index(after: open)..<content.index(before: content.endIndex)])
        return TemplateName(
            parts: splitDotted(argument), transform: transform, source: content, line: line, column: column)
    }
    return TemplateName(parts: splitDotted(content), transform: nil, source: content, line: line, column: column)
}

private func splitDotted(_ name: String) -> [String] {
    if name.isEmpty { return [] }
    if name == "." { return ["."] }
    return name.split(separator: ".").map(String.init)
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\n" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\n" { scalars.removeLast() }
        return String(scalars)
    }
}
