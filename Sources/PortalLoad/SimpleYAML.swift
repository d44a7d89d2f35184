import PortalSupport

/// A reader for the plain YAML that front matter, table sidecars and data files are written in:
/// `key: value` lines (or a list of items) whose values are plain or quoted scalars, `[a, b]`
/// lists, `{k: v}` maps, or block lists and block maps of those, a few levels deep. It gives exactly the tree Yams gives (values,
/// lines, columns, quoting) and returns nil for anything else — multi-line scalars, anchors,
/// tags, comments after values, duplicate keys — which then goes to Yams. Yams took a twentieth
/// of a 10,000-page build on front matter of a dozen lines a file, and most of a one-page
/// rebuild on its table sidecars; this reads them in a single pass over the bytes.
func parseSimpleYAML(_ text: String, file: String, firstLine: Int) -> YAMLNode? {
    var text = text
    return text.withUTF8 { bytes in
        var reader = SimpleYAMLReader(bytes: bytes, file: file, lineOffset: firstLine - 1)
        return reader.document()
    }
}

private struct SimpleYAMLReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    let lineOffset: Int
    var position = 0
    /// Zero-based line, and the byte at which it starts: columns count characters, as Yams does.
    var line = 0
    var lineStart = 0

    init(bytes: UnsafeBufferPointer<UInt8>, file: String, lineOffset: Int) {
        self.bytes = bytes
        self.file = file
        self.lineOffset = lineOffset
    }

    mutating func document() -> YAMLNode? {
        // Top-level keys or list items start in column one; anything indented here is a
        // construct we leave to Yams.
        guard skipBlankAndCommentLines(), position == lineStart, indentation() == 0 else { return nil }
        if bytes[position] == ASCII.hyphen {
            // A list (the data files): it must be the whole document.
            guard let list = blockSequence(parentIndent: 0, depth: 0), !skipBlankAndCommentLines() else { return nil }
            return list
        }
        return blockMapping(indent: 0, depth: 0)
    }

    /// How deep block collections may nest here; deeper goes to Yams, which checks nesting.
    static let maximumDepth = 4

    // MARK: Lines

    var atEnd: Bool { position >= bytes.count }
    var current: UInt8 { bytes[position] }

    /// Moves to the first byte of the next line that holds something; false at the end.
    mutating func skipBlankAndCommentLines() -> Bool {
        while !atEnd {
            var probe = position
            while probe < bytes.count, bytes[probe] == ASCII.space { probe += 1 }
            if probe == bytes.count { return false }
            if bytes[probe] == ASCII.newline || bytes[probe] == ASCII.hash {
                while probe < bytes.count, bytes[probe] != ASCII.newline { probe += 1 }
                position = probe
                if !atEnd { newline() }
                continue
            }
            return true
        }
        return false
    }

    mutating func newline() {
        position += 1
        line += 1
        lineStart = position
    }

    var location: SourceLocation {
        var column = 1
        for index in lineStart..<position where !isUTF8Continuation(bytes[index]) { column += 1 }
        return SourceLocation(file: file, line: line + 1 + lineOffset, column: column)
    }

    mutating func skipSpaces() {
        while !atEnd, current == ASCII.space { position += 1 }
    }

    /// After a value: only spaces may follow on the line.
    mutating func endOfLine() -> Bool {
        skipSpaces()
        if atEnd { return true }
        guard current == ASCII.newline else { return false }
        newline()
        return true
    }

    // MARK: Block structure

    /// `name:` — a key (`keyEnd`), then a colon.
    mutating func key() -> YAMLNode? {
        let keyLocation = location
        let start = position
        position = keyEnd(from: position)
        guard position > start, !atEnd, current == ASCII.colon else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        position += 1
        return YAMLNode(value: .scalar(name), location: keyLocation, isPlainScalar: true)
    }

    /// `key: value` lines, each key at `indent` (the first is at `position`); a value is on its
    /// key's line or is a block list or mapping on the lines below. Ends at a line indented less.
    mutating func blockMapping(indent: Int, depth: Int) -> YAMLNode? {
        guard depth <= Self.maximumDepth else { return nil }
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var keys = Set<String>()
        var start: SourceLocation?
        while true {
            guard let key = key(), keys.insert(key.string ?? "").inserted,
                atEnd || current == ASCII.space || current == ASCII.newline
            else {
                return nil
            }
            start = start ?? key.location
            guard let value = blockValue(indent: indent, depth: depth) else { return nil }
            pairs.append((key, value))
            guard skipBlankAndCommentLines() else { break }
            let next = indentation()
            if next < indent { break }
            // A deeper line here would continue a value; a list here has no key: Yams says what.
            guard next == indent, bytes[lineStart + next] != ASCII.hyphen else { return nil }
            position = lineStart + next
        }
        guard let start else { return nil }
        return YAMLNode(value: .mapping(pairs), location: start, isPlainScalar: false)
    }

    /// Where a key starting at `start` ends: letters, digits, `_` and `-`, with single spaces
    /// between words (`Vacancy rate:`, a table's column), never before the colon.
    func keyEnd(from start: Int) -> Int {
        var end = start
        while end < bytes.count {
            if isKeyByte(bytes[end]) {
                end += 1
            } else if bytes[end] == ASCII.space, end > start, end + 1 < bytes.count, isKeyByte(bytes[end + 1]),
                // `- ` starts a list item, not a key.
                !(end == start + 1 && bytes[start] == ASCII.hyphen)
            {
                end += 2
            } else {
                break
            }
        }
        return end
    }

    /// What follows `key:`: a value on the same line, or a list or mapping on the lines below.
    mutating func blockValue(indent: Int, depth: Int) -> YAMLNode? {
        skipSpaces()
        if atEnd || current == ASCII.newline {
            if !atEnd { newline() }
            // `key:` with nothing below is YAML's null, whose position Yams reports its own way.
            guard skipBlankAndCommentLines() else { return nil }
            let next = indentation()
            if bytes[lineStart + next] == ASCII.hyphen { return blockSequence(parentIndent: indent, depth: depth + 1) }
            guard next > indent else { return nil }
            position = lineStart + next
            return blockMapping(indent: next, depth: depth + 1)
        }
        guard let value = inlineValue() else { return nil }
        return endOfLine() ? value : nil
    }

    /// How many spaces the line at `position` (its start) begins with.
    func indentation() -> Int {
        var probe = lineStart
        while probe < bytes.count, bytes[probe] == ASCII.space { probe += 1 }
        return probe - lineStart
    }

    /// `- item` lines, indented at least as far as their key; an item is a value on its line or
    /// a `key: value` mapping starting there.
    mutating func blockSequence(parentIndent: Int, depth: Int) -> YAMLNode? {
        guard depth <= Self.maximumDepth else { return nil }
        var items: [YAMLNode] = []
        var start: SourceLocation?
        var itemIndent: Int?
        while skipBlankAndCommentLines() {
            let indent = indentation()
            let probe = lineStart + indent
            guard bytes[probe] == ASCII.hyphen else { break }  // the next key: the list has ended
            guard indent >= parentIndent, itemIndent == nil || itemIndent == indent else { return nil }
            itemIndent = indent
            position = probe
            start = start ?? location
            position += 1
            guard !atEnd, current == ASCII.space else { return nil }
            skipSpaces()
            guard !atEnd, current != ASCII.newline else { return nil }
            if startsWithKey() {
                guard let item = blockMapping(indent: position - lineStart, depth: depth + 1) else { return nil }
                items.append(item)
                continue
            }
            guard let item = inlineValue(), endOfLine() else { return nil }
            items.append(item)
        }
        guard let start else { return nil }
        // A list at column one belongs to the key before it only when the next key follows it.
        guard atEnd || position == lineStart else { return nil }
        return YAMLNode(value: .sequence(items), location: start, isPlainScalar: false)
    }

    /// Whether a `key:` (then a space or the line's end) starts at `position`.
    func startsWithKey() -> Bool {
        let probe = keyEnd(from: position)
        guard probe > position, probe < bytes.count, bytes[probe] == ASCII.colon else { return false }
        return probe + 1 == bytes.count || bytes[probe + 1] == ASCII.space || bytes[probe + 1] == ASCII.newline
    }

    // MARK: Values on one line

    mutating func inlineValue() -> YAMLNode? {
        switch current {
        case ASCII.openBracket: return flowSequence()
        case ASCII.openBrace: return flowMapping()
        case ASCII.quote, ASCII.apostrophe: return quoted()
        default: return plain(inFlow: false)
        }
    }

    mutating func flowSequence() -> YAMLNode? {
        let start = location
        position += 1
        var items: [YAMLNode] = []
        skipSpaces()
        if !atEnd, current == ASCII.closeBracket {
            position += 1
            return YAMLNode(value: .sequence([]), location: start, isPlainScalar: false)
        }
        let read = flowEntries(closing: ASCII.closeBracket) { reader in
            guard let item = reader.flowScalar() else { return false }
            items.append(item)
            return true
        }
        return read ? YAMLNode(value: .sequence(items), location: start, isPlainScalar: false) : nil
    }

    mutating func flowMapping() -> YAMLNode? {
        let start = location
        position += 1
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var keys = Set<String>()
        skipSpaces()
        if !atEnd, current == ASCII.closeBrace {
            position += 1
            return YAMLNode(value: .mapping([]), location: start, isPlainScalar: false)
        }
        let read = flowEntries(closing: ASCII.closeBrace) { reader in
            guard let key = reader.key(), keys.insert(key.string ?? "").inserted else { return false }
            guard !reader.atEnd, reader.current == ASCII.space else { return false }
            reader.skipSpaces()
            // A value is a scalar or a list of scalars (`paragraphs: [12, 14]` in a data file).
            guard !reader.atEnd,
                let value = reader.current == ASCII.openBracket ? reader.flowSequence() : reader.flowScalar()
            else { return false }
            pairs.append((key, value))
            return true
        }
        return read ? YAMLNode(value: .mapping(pairs), location: start, isPlainScalar: false) : nil
    }

    /// Entries separated by commas up to `closing`, each read by `entry`; false for anything else.
    mutating func flowEntries(closing: UInt8, _ entry: (inout SimpleYAMLReader) -> Bool) -> Bool {
        while true {
            skipSpaces()
            guard !atEnd, entry(&self) else { return false }
            skipSpaces()
            guard !atEnd else { return false }
            if current == ASCII.comma {
                position += 1
                continue
            }
            guard current == closing else { return false }
            position += 1
            return true
        }
    }

    mutating func flowScalar() -> YAMLNode? {
        switch current {
        case ASCII.quote, ASCII.apostrophe: return quoted()
        default: return plain(inFlow: true)
        }
    }

    /// `"..."` or `'...'` on one line. In double quotes the common escapes are read (any other
    /// escape goes to Yams); in single quotes `''` is a quote.
    mutating func quoted() -> YAMLNode? {
        let start = location
        let quote = current
        position += 1
        var value: [UInt8] = []
        var run = position
        while !atEnd {
            let byte = current
            if byte == ASCII.newline || byte == ASCII.carriageReturn { return nil }
            guard byte == quote || (quote == ASCII.quote && byte == ASCII.backslash) else {
                position += 1
                continue
            }
            value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<position]))
            position += 1
            if byte == ASCII.backslash {
                guard !atEnd else { return nil }
                switch current {
                case ASCII.quote, ASCII.backslash, ASCII.slash: value.append(current)
                case ASCII.lowerN: value.append(ASCII.newline)
                case ASCII.lowerT: value.append(ASCII.tab)
                default: return nil
                }
                position += 1
            } else if quote == ASCII.apostrophe, !atEnd, current == ASCII.apostrophe {
                value.append(ASCII.apostrophe)
                position += 1
            } else {
                return YAMLNode(
                    value: .scalar(String(decoding: value, as: UTF8.self)), location: start, isPlainScalar: false)
            }
            run = position
        }
        return nil
    }

    /// An unquoted value. Only the unambiguous kind: it starts with a letter, digit or one of a
    /// few safe marks, holds no `: ` or ` #`, and in a flow list or map stops at `,` `]` `}`.
    mutating func plain(inFlow: Bool) -> YAMLNode? {
        let start = location
        let first = position
        guard isPlainStart(current) else { return nil }
        var end = position
        while !atEnd {
            let byte = current
            if byte == ASCII.newline { break }
            if inFlow && (byte == ASCII.comma || byte == ASCII.closeBracket || byte == ASCII.closeBrace) { break }
            if byte == ASCII.tab || byte == ASCII.carriageReturn || byte == ASCII.openBracket || byte == ASCII.openBrace
                || (inFlow && byte == ASCII.quote)
            {
                return nil
            }
            if byte == ASCII.colon {
                // `a:b` is one value, but `a: b` would be a key; and a flow value stops at `:`.
                let next = position + 1 < bytes.count ? bytes[position + 1] : ASCII.newline
                if inFlow || next == ASCII.space || next == ASCII.newline { return nil }
            }
            if byte == ASCII.hash, bytes[position - 1] == ASCII.space { return nil }
            position += 1
            if byte != ASCII.space { end = position }
        }
        position = end
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<end]), as: UTF8.self)
        return YAMLNode(value: .scalar(value), location: start, isPlainScalar: true)
    }
}

@inline(__always) private func isKeyByte(_ byte: UInt8) -> Bool {
    isASCIIAlphanumeric(byte) || byte == ASCII.underscore
        || byte == ASCII.hyphen
}

/// Letters, digits, any non-ASCII character, and `(`, `$`, `£`-like starts; never YAML's
/// indicators (`- ? : , [ ] { } # & * ! | > ' " % @` and backquote).
@inline(__always) private func isPlainStart(_ byte: UInt8) -> Bool {
    isASCIIAlphanumeric(byte) || byte >= UTF8Byte.firstNonASCII
        || byte == ASCII.openParenthesis || byte == ASCII.dollar || byte == ASCII.period || byte == ASCII.plus
        || byte == ASCII.underscore || byte == ASCII.slash
        || byte == ASCII.tilde
}
