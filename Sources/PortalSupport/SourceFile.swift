import Foundation

/// A content file as text: UTF-8 validated, byte-order mark removed, line endings normalised to LF.
public struct SourceFile: Sendable {
    /// Path relative to the site root, as shown in diagnostics (`Content/threats/terrorism.md`).
    public var path: String
    public var text: String

    public init(path: String, text: String) {
        self.path = path
        self.text = text
    }

    /// Decodes raw bytes. A file that is not UTF-8 is reported at the first bad byte, because an
    /// author fixing it needs to find the character their editor saved in another encoding.
    public static func decode(_ data: [UInt8], path: String) -> Result<SourceFile, Diagnostic> {
        var bytes = data[...]
        if bytes.starts(with: UTF8Byte.byteOrderMark) { bytes = bytes.dropFirst(3) }
        // The standard library validates UTF-8 quickly; only a bad file is walked byte by byte
        // to say where the bad byte is.
        let decoded = bytes.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
        if decoded == nil, let bad = firstInvalidUTF8Offset(bytes) {
            let prefix = bytes[bytes.startIndex..<bad]
            let line = prefix.reduce(1) { $0 + ($1 == ASCII.newline ? 1 : 0) }
            let lineStart = prefix.lastIndex(of: ASCII.newline).map { $0 + 1 } ?? bytes.startIndex
            let column = String(decoding: bytes[lineStart..<bad], as: UTF8.self).unicodeScalars.count + 1
            let byte = String(bytes[bad], radix: 16, uppercase: true)
            return .failure(
                .error(
                    "not-utf8", "file is not valid UTF-8 (byte 0x\(byte))",
                    hint: "save the file as UTF-8 in your editor",
                    at: SourceLocation(file: path, line: line, column: column)))
        }
        var text = decoded ?? String(decoding: bytes, as: UTF8.self)
        if bytes.contains(ASCII.carriageReturn) {
            text = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return .success(SourceFile(path: path, text: text))
    }

    /// Reads a file from disk; unreadable files become diagnostics like any other bad input.
    public static func read(_ url: URL, path: String) -> Result<SourceFile, Diagnostic> {
        read(fullPath: url.path, path: path)
    }

    package static func read(fullPath: String, path: String) -> Result<SourceFile, Diagnostic> {
        decode(readRegularFile(fullPath), path: path)
    }

    /// The outcome of `readRegularFile`, decoded or said in an author's words.
    package static func decode(_ read: Result<[UInt8], FileReadError>, path: String) -> Result<SourceFile, Diagnostic> {
        switch read {
        case .success(let data): return decode(data, path: path)
        case .failure(let error):
            return .failure(
                .error(
                    error.kind == nil ? "unreadable-file" : "not-a-file", "'\(path)' \(error)", hint: error.hint,
                    at: SourceLocation(file: path)))
        }
    }
}

func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
    var index = bytes.startIndex
    let end = bytes.endIndex
    while index < end {
        let byte = bytes[index]
        if byte < UTF8Byte.firstNonASCII {
            index += 1
            continue
        }
        let length: Int
        let minimum: UInt32
        // The lead byte says the length; hex is the notation of UTF-8's own table (RFC 3629).
        switch byte {
        case 0xC2...0xDF: (length, minimum) = (2, 0x80)
        case 0xE0...0xEF: (length, minimum) = (3, 0x800)
        case 0xF0...0xF4: (length, minimum) = (4, 0x10000)
        default: return index
        }
        guard index + length <= end else { return index }
        var scalar = UInt32(byte) & (0xFF >> (length + 1))
        for offset in 1..<length {
            let continuation = bytes[index + offset]
            guard isUTF8Continuation(continuation) else { return index }
            scalar = scalar << 6 | UInt32(continuation & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return index }
        index += length
    }
    return nil
}

/// Maps byte offsets in a text to 1-based lines and character columns.
package struct LineIndex {
    private let lineStarts: [Int]
    private let utf8: [UInt8]

    package init(_ text: String) {
        utf8 = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in utf8.enumerated() where byte == ASCII.newline { starts.append(offset + 1) }
        lineStarts = starts
    }

    /// The text of a 1-based line, without its newline.
    package func line(_ number: Int) -> ArraySlice<UInt8> {
        guard number >= 1, number <= lineStarts.count else { return [] }
        let start = lineStarts[number - 1]
        let end = number < lineStarts.count ? lineStarts[number] - 1 : utf8.count
        return utf8[start..<max(start, end)]
    }

    /// Converts a 1-based byte column (what cmark reports) to a 1-based character column.
    func characterColumn(line: Int, byteColumn: Int) -> Int {
        guard line >= 1, line <= lineStarts.count, byteColumn > 1 else { return max(byteColumn, 1) }
        let start = lineStarts[line - 1]
        let end = min(start + byteColumn - 1, utf8.count)
        // The text is valid UTF-8, so every byte but a continuation byte starts a character.
        var characters = 0
        for byte in utf8[start..<end] where !isUTF8Continuation(byte) { characters += 1 }
        return characters + 1
    }
}
