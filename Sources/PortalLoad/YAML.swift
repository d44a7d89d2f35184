import PortalSupport
import Yams

/// A YAML value that remembers where it came from, so every data error points at its line.
public struct YAMLNode: Sendable {
    public enum Value: Sendable {
        case scalar(String)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    public var value: Value
    public var location: SourceLocation
    /// Quoted scalars stay strings even when they look like numbers (`"007"`).
    public var isPlainScalar: Bool

    public var string: String? {
        if case .scalar(let text) = value { return text }
        return nil
    }

    /// YAML's null: `~`, `null` or nothing at all.
    public var isNull: Bool {
        guard isPlainScalar, case .scalar(let text) = value else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = value { return pairs }
        return nil
    }

    public var kindName: String {
        switch value {
        case .scalar: return "a single value"
        case .mapping: return "a mapping of keys to values"
        case .sequence: return "a list"
        }
    }
}

/// Parses YAML text. `firstLine` shifts line numbers for front matter embedded in a Markdown file.
/// A value YAML would quietly change (cut at a comma or a `#`, tagged) is an error added to
/// `valueProblems`; the rest of the document still loads, so one mistake gives one error.
func parseYAML(_ text: String, file: String, firstLine: Int = 1, valueProblems: inout [Diagnostic]) -> Result<
    YAMLNode?, Diagnostic
> {
    // Content YAML is kilobytes; megabytes would take Yams many seconds and hundreds of MB.
    if text.utf8.count > maximumYAMLBytes {
        return .failure(
            .error(
                "yaml-too-large", "this YAML is \(text.utf8.count / 1000) kB, more than content needs",
                hint: "content YAML may be at most \(maximumYAMLBytes / 1000) kB: split or shorten it",
                at: SourceLocation(file: file, line: firstLine, column: 1)))
    }
    if let problem = controlCharacterProblem(text, file: file, firstLine: firstLine) { return .failure(problem) }
    // Front matter is nearly always plain `key: value` lines, read without Yams (see SimpleYAML).
    if let node = parseSimpleYAML(text, file: file, firstLine: firstLine) { return .success(node) }
    return parseYAMLWithYams(text, file: file, firstLine: firstLine, valueProblems: &valueProblems)
}

/// The largest YAML text read, in bytes.
let maximumYAMLBytes = 1_000_000

/// How deep collections may nest. Content nests two or three levels; Yams's composer and the
/// conversion below recurse once per level, so a hostile `[[[[…` would otherwise blow the stack.
let maximumYAMLNesting = 100

/// Any YAML, through Yams: what `parseSimpleYAML` leaves, and every error message.
func parseYAMLWithYams(_ text: String, file: String, firstLine: Int = 1, valueProblems: inout [Diagnostic])
    -> Result<YAMLNode?, Diagnostic>
{
    let lineOffset = firstLine - 1
    if let diagnostic = nestingProblem(text, file: file, lineOffset: lineOffset) { return .failure(diagnostic) }
    do {
        // No implicit typing (the loader types values itself) and UTF-8 stated outright: Yams would
        // otherwise run regular expressions on every scalar and read the environment per document.
        let parser = try Parser(yaml: text, resolver: .basic, constructor: .default, encoding: .utf8)
        guard let node = try parser.singleRoot() else { return .success(nil) }
        // Nodes hold their anchors weakly; the parser keeps them alive while they are checked.
        var converter = YAMLConverter(text: text, file: file, lineOffset: lineOffset)
        let converted = withExtendedLifetime(parser) { converter.convert(node) }
        converter.finish()
        if let problem = converter.problem { return .failure(problem) }
        valueProblems += converter.valueProblems
        return .success(converted)
    } catch let error as YamlError {
        return .failure(yamlDiagnostic(error, text: text, file: file, lineOffset: lineOffset))
    } catch {
        return .failure(
            .error("yaml-invalid", "invalid YAML: \(error)", at: SourceLocation(file: file, line: firstLine)))
    }
}

/// Turns Yams's tree into `YAMLNode`s, noting each construct content may not use (aliases,
/// tags, values YAML cut short) as an error beside the tree.
private struct YAMLConverter {
    let scalars: [Unicode.Scalar]
    /// Where each line starts in `scalars`; Yams's columns count scalars.
    let lineStarts: [Int]
    let file: String
    let lineOffset: Int
    /// What stops the document (an alias): nothing after it is converted.
    var problem: Diagnostic?
    /// Values YAML would quietly change; the document still loads.
    var valueProblems: [Diagnostic] = []
    /// Anchors met so far, the first one's place, and whether an alias has been reported.
    var anchors = Set<String>()
    var firstAnchor: SourceLocation?
    var aliasReported = false

    /// Whether the text has a `!` at all, and which lines (from 1) have a `#`: most values are
    /// on lines with neither, and skip those checks.
    let mayHaveTags: Bool
    let linesWithHash: Set<Int>

    init(text: String, file: String, lineOffset: Int) {
        scalars = Array(text.unicodeScalars)
        var starts = [0]
        var hashes = Set<Int>()
        var index = 0
        for c in scalars {
            index += 1
            if c == "\n" {
                starts.append(index)
            } else if c == "#" {
                hashes.insert(starts.count)
            }
        }
        lineStarts = starts
        linesWithHash = hashes
        mayHaveTags = text.utf8.contains(ASCII.exclamationMark)
        self.file = file
        self.lineOffset = lineOffset
    }

    /// Where a node starts in `scalars`.
    func offset(_ mark: Mark?) -> Int? {
        mark.flatMap { offset(line: $0.line, column: $0.column) }
    }

    /// A line and column of the text itself (before `lineOffset`) as a place in `scalars`.
    func offset(line: Int, column: Int) -> Int? {
        guard line >= 1, line <= lineStarts.count else { return nil }
        let index = lineStarts[line - 1] + column - 1
        return index < scalars.count ? index : nil
    }

    /// Whether a collection is written in flow style (Yams reports every style as `any`).
    func opensWithBrace(_ mark: Mark?) -> Bool {
        offset(mark).map { scalars[$0] == "{" } ?? false
    }

    /// `title: Priority #1 force` is the value "Priority" and a comment. A `#` with no space after
    /// it is far likelier part of the text than a comment, so it is an error, not a quiet cut.
    func commentCut(_ value: String, at mark: Mark?) -> String? {
        guard let start = offset(mark) else { return nil }
        // Most values end at a comma, a bracket or the line's end: compare only what can matter.
        var index = start
        for c in value.unicodeScalars {
            guard index < scalars.count, scalars[index] == c else { return nil }
            index += 1
        }
        let end = index
        while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
        guard index > end, index + 1 < scalars.count, scalars[index] == "#",
            !" \t\n\r".unicodeScalars.contains(scalars[index + 1])
        else { return nil }
        var lineEnd = index
        while lineEnd < scalars.count, scalars[lineEnd] != "\n" { lineEnd += 1 }
        return String(String.UnicodeScalarView(scalars[index..<lineEnd]))
    }

    func location(_ mark: Mark?) -> SourceLocation {
        SourceLocation(file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
    }

    mutating func convert(_ node: Node) -> YAMLNode {
        let location = location(node.mark)
        let empty = YAMLNode(value: .scalar(""), location: location, isPlainScalar: true)
        guard problem == nil else { return empty }
        // An alias copies its anchor's value wherever it is used, so ten lines can stand for
        // gigabytes (a "billion laughs"); content has no need of either.
        if let anchor = node.anchor {
            // An alias is the anchored node met again. A collection is never converted twice, so
            // a bomb costs nothing; a single value is copied, so the entry still loads.
            if !anchors.insert(anchor.rawValue).inserted {
                if !aliasReported { valueProblems.append(aliasProblem(anchor.rawValue, anchorAt: location)) }
                aliasReported = true
                guard case .scalar = node else { return empty }
            }
            firstAnchor = firstAnchor ?? location
        }
        if mayHaveTags, let index = offset(node.mark), scalars[index] == "!" {
            valueProblems.append(
                .error(
                    "yaml-tag", "YAML tags ('!…') are not supported in content: the tag would be dropped",
                    hint: "quote the value if the '!' is part of it", at: location))
        }
        switch node {
        case .scalar(let scalar):
            if let line = node.mark?.line, linesWithHash.contains(line), scalar.style == .plain,
                let cut = commentCut(scalar.string, at: node.mark)
            {
                valueProblems.append(
                    .error(
                        "yaml-comment-cut",
                        "'\(cut)' after '\(scalar.string)' is read as a comment, so the value loses it",
                        hint:
                            "quote the whole value if '\(cut)' belongs to it, or put a space after '#' if it is a comment",
                        at: location))
            }
            return YAMLNode(value: .scalar(scalar.string), location: location, isPlainScalar: scalar.style == .plain)
        case .mapping(let mapping):
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            let flow = mapping.count > 1 && opensWithBrace(node.mark)
            for (key, value) in mapping {
                let pair = (key: convert(key), value: convert(value))
                // The split-off key is named in the error; kept, it would also be an unknown key.
                if flow, let previous = pairs.last, let split = splitValueProblem(previous: previous, next: pair) {
                    valueProblems.append(split)
                    continue
                }
                pairs.append(pair)
            }
            return YAMLNode(value: .mapping(pairs), location: location, isPlainScalar: false)
        case .sequence(let sequence):
            return YAMLNode(value: .sequence(sequence.map { convert($0) }), location: location, isPlainScalar: false)
        case .alias:
            // Aliases are resolved by the composer; this case only appears with custom strategies.
            problem = aliasProblem(nil, anchorAt: location)
            return empty
        }
    }

    /// An anchor no alias uses: still refused, at the anchor, once the whole tree is read.
    mutating func finish() {
        if !aliasReported, let firstAnchor { valueProblems.append(aliasProblem(nil, anchorAt: firstAnchor)) }
    }

    /// The error for an anchor: at its first alias when there is one, else at the anchor.
    func aliasProblem(_ name: String?, anchorAt anchorLocation: SourceLocation?) -> Diagnostic {
        let hint = "write the value out in full where it is needed"
        if let name, let alias = firstAlias(named: name) {
            return .error(
                "yaml-alias", "aliases are not supported in content: '*\(name)' repeats another value", hint: hint,
                at: alias)
        }
        return .error(
            "yaml-alias", "anchors and aliases are not supported in content", hint: hint,
            at: anchorLocation ?? SourceLocation(file: file, line: 1 + lineOffset))
    }

    /// Where `*name` first appears as a whole word in the text, by line and character column.
    func firstAlias(named name: String) -> SourceLocation? {
        let target = Array(("*" + name).unicodeScalars)
        var line = 1
        var column = 1
        var index = 0
        func isNameScalar(_ c: Unicode.Scalar) -> Bool {
            !(c == " " || c == "\t" || c == "\n" || c == "\r" || c == "," || c == "[" || c == "]" || c == "{"
                || c == "}")
        }
        while index < scalars.count {
            if scalars[index] == "*", index + target.count <= scalars.count,
                Array(scalars[index..<index + target.count]) == target,
                index + target.count == scalars.count || !isNameScalar(scalars[index + target.count])
            {
                return SourceLocation(file: file, line: line + lineOffset, column: column)
            }
            if scalars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return nil
    }

    /// `{id: x, chair: Police, Fire and Crime Commissioner}`: the unquoted comma ended the value
    /// of `chair` and made the rest a key of its own, with no value or with spaces in it.
    func splitValueProblem(
        previous: (key: YAMLNode, value: YAMLNode), next: (key: YAMLNode, value: YAMLNode)
    ) -> Diagnostic? {
        guard next.key.isPlainScalar, let rest = next.key.string else { return nil }
        guard previous.value.isPlainScalar, let cut = previous.value.string,
            previous.value.location.line == next.key.location.line, next.value.isNull || rest.contains(" ")
        else {
            // `{chair: "Police", Fire}`: a key with no colon after it is no key an author meant.
            let keyAt = next.key.location
            guard next.value.isNull, let start = offset(line: keyAt.line - lineOffset, column: keyAt.column)
            else { return nil }
            var index = start + rest.unicodeScalars.count
            while index < scalars.count, scalars[index] == " " || scalars[index] == "\t" { index += 1 }
            guard index < scalars.count, scalars[index] == "," || scalars[index] == "}" else { return nil }
            return .error(
                "yaml-split-value", "'\(rest)' has no value: YAML reads it as a key of its own",
                hint: "write '\(rest): value', or if it belongs to the value before it, put it inside those quotes",
                at: next.key.location)
        }
        let name = previous.key.string ?? ""
        let whole = next.value.isNull ? "\(cut), \(rest)" : "\(cut), \(rest): \(next.value.string ?? "")"
        return .error(
            "yaml-split-value",
            "the value of '\(name)' is cut at a comma: YAML reads '\(cut)' and then '\(rest)' as another key",
            hint: "quote the value: \(name): \"\(whole)\"", at: previous.value.location)
    }
}

/// Refuses text that nests collections more than `maximumYAMLNesting` deep, before any parser
/// recurses into it: brackets and braces for flow collections (counted everywhere, which can
/// only over-count), and the indentation and `- ` markers that open block collections.
private func nestingProblem(_ text: String, file: String, lineOffset: Int) -> Diagnostic? {
    var depth = 0
    var line = 1
    var column = 1
    var atLineStart = true
    var lineIndent = 0
    // Where each open bracket is, so brackets left open on many lines (one unclosed `[` per
    // entry) are reported as the first unclosed one, not as data nested too deep.
    var open: [(line: Int, column: Int, bracket: Character)] = []
    func problem() -> Diagnostic {
        if let first = open.first, let last = open.last, first.line != last.line {
            return .error(
                "yaml-invalid", "'\(first.bracket)' is never closed, so YAML reads everything after it as inside it",
                hint: "close it with '\(first.bracket == "[" ? "]" : "}")' on the same line, or quote the value",
                at: SourceLocation(file: file, line: first.line + lineOffset, column: first.column))
        }
        return .error(
            "yaml-too-deep", "YAML nested more than \(maximumYAMLNesting) levels deep",
            hint: "content needs only a few levels: write the data flatter",
            at: SourceLocation(file: file, line: line + lineOffset, column: column))
    }
    // Bytes, not characters, for speed; columns count the first byte of each character.
    for c in text.utf8 {
        if isUTF8Continuation(c) { continue }
        if atLineStart {
            if c == ASCII.space || c == ASCII.hyphen || c == ASCII.tab || c == ASCII.questionMark {
                lineIndent += 1
                if lineIndent > maximumYAMLNesting * 4 { return problem() }
            } else {
                atLineStart = false
            }
        }
        switch c {
        case ASCII.openBracket, ASCII.openBrace:
            depth += 1
            open.append((line, column, c == ASCII.openBracket ? "[" : "{"))
            if depth > maximumYAMLNesting { return problem() }
        case ASCII.closeBracket, ASCII.closeBrace:
            depth = max(0, depth - 1)
            if !open.isEmpty { open.removeLast() }
        case ASCII.newline:
            line += 1
            column = 0
            atLineStart = true
            lineIndent = 0
        default: break
        }
        column += 1
    }
    return nil
}

/// YAML may not hold control characters (but tab, line feed and carriage return); Yams would
/// report one as "control characters are not allowed" at no useful place. Said here at its line
/// and column, by name, since it is invisible in an editor.
private func controlCharacterProblem(_ text: String, file: String, firstLine: Int) -> Diagnostic? {
    var line = firstLine
    var column = 1
    for scalar in text.unicodeScalars {
        if scalar == "\n" {
            line += 1
            column = 1
            continue
        }
        let value = scalar.value
        if (value < 0x20 && scalar != "\t" && scalar != "\r") || value == 0x7F || (0x80...0x9F).contains(value) {
            return .error(
                "control-character", "\(characterName(scalar)) in YAML, which cannot hold it",
                hint: "delete the invisible character (it is often pasted in from another program)",
                at: SourceLocation(file: file, line: line, column: column))
        }
        column += 1
    }
    return nil
}

/// Where `key` is written as a key again after its first appearance (`first`, as Yams marks
/// lines and columns from 1): at a line's start (after indentation and `- `) or after `{` or
/// `,`, followed by `:`. Nil when it cannot be found, and the first is reported instead.
private func repeatedKey(_ key: String, after first: (line: Int, column: Int), in text: String) -> (
    line: Int, column: Int
)? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard first.line >= 1, first.line <= lines.count else { return nil }
    for index in (first.line - 1)..<lines.count {
        let scalars = Array(lines[index].unicodeScalars)
        var start = index == first.line - 1 ? first.column - 1 + key.unicodeScalars.count : 0
        while start < scalars.count {
            guard let found = position(of: key, in: scalars, from: start) else { break }
            let before = scalars[..<found].last { $0 != " " && $0 != "\t" }
            let after = scalars[(found + key.unicodeScalars.count)...].first { $0 != " " && $0 != "\t" }
            if before == nil || before == "{" || before == "," || before == "-", after == ":" {
                return (index + 1, found + 1)
            }
            start = found + 1
        }
    }
    return nil
}

private func position(of key: String, in scalars: [Unicode.Scalar], from start: Int) -> Int? {
    let target = Array(key.unicodeScalars)
    guard !target.isEmpty, scalars.count >= target.count, start <= scalars.count - target.count else { return nil }
    for index in start...(scalars.count - target.count) where Array(scalars[index..<index + target.count]) == target {
        return index
    }
    return nil
}

private func yamlDiagnostic(_ error: YamlError, text: String, file: String, lineOffset: Int) -> Diagnostic {
    let hint = "check the indentation and quote values that contain ':' or start with a special character"
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
        .composer(let context, let problem, let mark, _):
        var message = "invalid YAML: \(problem)"
        if let context { message += " \(context.text)" }
        return .error(
            "yaml-invalid", message, hint: hint,
            at: SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column))
    case .duplicatedKeysInMapping(let duplicates, let context):
        // Yams marks the key's first appearance; the mistake is the one after it.
        let first = (line: context.mark.line, column: context.mark.column)
        let again = duplicates.count == 1 ? repeatedKey(duplicates[0], after: first, in: text) : nil
        let at = again ?? first
        return .error(
            "duplicate-key", "duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))",
            hint: again == nil
                ? "a key may appear once in a mapping: remove or rename one"
                : "first given at line \(first.line + lineOffset); a key may appear once in a mapping: remove or rename one",
            at: SourceLocation(file: file, line: at.line + lineOffset, column: at.column))
    default:
        return .error(
            "yaml-invalid", "invalid YAML: \(error)", hint: hint, at: SourceLocation(file: file, line: 1 + lineOffset))
    }
}
