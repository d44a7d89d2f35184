import PortalSupport

/// A reader for the plain YAML that front matter is written in: `key: value` lines whose values
/// are plain or quoted scalars, `[a, b]` lists, `{k: v}` maps, or block lists of those. It gives
/// exactly the tree Yams gives (values, lines, columns, quoting) and returns nil for anything
/// else — nested block maps, multi-line scalars, anchors, tags, comments after values, duplicate
/// keys — which then goes to Yams. Yams took a twentieth of a 10,000-page build on front matter
/// of a dozen lines a file; this reads it in a single pass over the bytes.
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
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        var keys = Set<String>()
        var start: SourceLocation?
        while skipBlankAndCommentLines() {
            // Top-level keys start in column one; anything indented here is a construct we leave to Yams.
            guard position == lineStart, let key = key() else { return nil }
            guard keys.insert(key.string ?? "").inserted, atEnd || current == 0x20 || current == 0x0A else {
                return nil
            }
            start = start ?? key.location
            guard let value = blockValue(indent: 0) else { return nil }
            pairs.append((key, value))
        }
        guard let start else { return nil }
        return YAMLNode(value: .mapping(pairs), location: start, isPlainScalar: false)
    }

    // MARK: Lines

    var atEnd: Bool { position >= bytes.count }
    var current: UInt8 { bytes[position] }

    /// Moves to the first byte of the next line that holds something; false at the end.
    mutating func skipBlankAndCommentLines() -> Bool {
        while !atEnd {
            var probe = position
            while probe < bytes.count, bytes[probe] == 0x20 { probe += 1 }
            if probe == bytes.count { return false }
            if bytes[probe] == 0x0A || bytes[probe] == 0x23 {
                while probe < bytes.count, bytes[probe] != 0x0A { probe += 1 }
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
        for index in lineStart..<position where bytes[index] & 0xC0 != 0x80 { column += 1 }
        return SourceLocation(file: file, line: line + 1 + lineOffset, column: column)
    }

    mutating func skipSpaces() {
        while !atEnd, current == 0x20 { position += 1 }
    }

    /// After a value: only spaces may follow on the line.
    mutating func endOfLine() -> Bool {
        skipSpaces()
        if atEnd { return true }
        guard current == 0x0A else { return false }
        newline()
        return true
    }

    // MARK: Block structure

    /// `name:` — a key of letters, digits, `_` and `-`, then a colon.
    mutating func key() -> YAMLNode? {
        let keyLocation = location
        let start = position
        while !atEnd, isKeyByte(current) { position += 1 }
        guard position > start, !atEnd, current == 0x3A else { return nil }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
        position += 1
        return YAMLNode(value: .scalar(name), location: keyLocation, isPlainScalar: true)
    }

    /// What follows `key:`: a value on the same line, or a list on the lines below.
    mutating func blockValue(indent: Int) -> YAMLNode? {
        skipSpaces()
        if atEnd || current == 0x0A {
            if !atEnd { newline() }
            return blockSequence(parentIndent: indent)
        }
        guard let value = inlineValue() else { return nil }
        return endOfLine() ? value : nil
    }

    /// `- item` lines, indented at least as far as their key; items are single-line values.
    mutating func blockSequence(parentIndent: Int) -> YAMLNode? {
        var items: [YAMLNode] = []
        var start: SourceLocation?
        var itemIndent: Int?
        while skipBlankAndCommentLines() {
            var probe = position
            while bytes[probe] == 0x20 { probe += 1 }
            let indent = probe - lineStart
            guard bytes[probe] == 0x2D else { break }  // the next key: the list has ended
            guard indent >= parentIndent, itemIndent == nil || itemIndent == indent else { return nil }
            itemIndent = indent
            position = probe
            start = start ?? location
            position += 1
            guard !atEnd, current == 0x20 else { return nil }
            skipSpaces()
            guard !atEnd, current != 0x0A, let item = inlineValue(), endOfLine() else { return nil }
            items.append(item)
        }
        // `key:` with nothing below is YAML's null, whose position Yams reports its own way.
        guard let start else { return nil }
        // A list at column one belongs to the key before it only when the next key follows it.
        guard atEnd || position == lineStart else { return nil }
        return YAMLNode(value: .sequence(items), location: start, isPlainScalar: false)
    }

    // MARK: Values on one line

    mutating func inlineValue() -> YAMLNode? {
        switch current {
        case 0x5B: return flowSequence()
        case 0x7B: return flowMapping()
        case 0x22, 0x27: return quoted()
        default: return plain(inFlow: false)
        }
    }

    mutating func flowSequence() -> YAMLNode? {
        let start = location
        position += 1
        var items: [YAMLNode] = []
        skipSpaces()
        if !atEnd, current == 0x5D {
            position += 1
            return YAMLNode(value: .sequence([]), location: start, isPlainScalar: false)
        }
        let read = flowEntries(closing: 0x5D) { reader in
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
        let read = flowEntries(closing: 0x7D) { reader in
            guard let key = reader.key(), keys.insert(key.string ?? "").inserted else { return false }
            guard !reader.atEnd, reader.current == 0x20 else { return false }
            reader.skipSpaces()
            guard !reader.atEnd, let value = reader.flowScalar() else { return false }
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
            if current == 0x2C {
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
        case 0x22, 0x27: return quoted()
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
            if byte == 0x0A || byte == 0x0D { return nil }
            guard byte == quote || (quote == 0x22 && byte == 0x5C) else {
                position += 1
                continue
            }
            value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<position]))
            position += 1
            if byte == 0x5C {
                guard !atEnd else { return nil }
                switch current {
                case 0x22, 0x5C, 0x2F: value.append(current)
                case 0x6E: value.append(0x0A)
                case 0x74: value.append(0x09)
                default: return nil
                }
                position += 1
            } else if quote == 0x27, !atEnd, current == 0x27 {
                value.append(0x27)
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
            if byte == 0x0A { break }
            if inFlow && (byte == 0x2C || byte == 0x5D || byte == 0x7D) { break }
            if byte == 0x09 || byte == 0x0D || byte == 0x5B || byte == 0x7B || (inFlow && byte == 0x22) { return nil }
            if byte == 0x3A {
                // `a:b` is one value, but `a: b` would be a key; and a flow value stops at `:`.
                let next = position + 1 < bytes.count ? bytes[position + 1] : 0x0A
                if inFlow || next == 0x20 || next == 0x0A { return nil }
            }
            if byte == 0x23, bytes[position - 1] == 0x20 { return nil }
            position += 1
            if byte != 0x20 { end = position }
        }
        position = end
        let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[first..<end]), as: UTF8.self)
        return YAMLNode(value: .scalar(value), location: start, isPlainScalar: true)
    }
}

@inline(__always) private func isKeyByte(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
        || byte == 0x2D
}

/// Letters, digits, any non-ASCII character, and `(`, `$`, `£`-like starts; never YAML's
/// indicators (`- ? : , [ ] { } # & * ! | > ' " % @` and backquote).
@inline(__always) private func isPlainStart(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte >= 0x80
        || byte == 0x28 || byte == 0x24 || byte == 0x2E || byte == 0x2B || byte == 0x5F || byte == 0x2F
        || byte == 0x7E
}
