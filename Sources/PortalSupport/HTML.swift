import Foundation

/// Escapes text for HTML content and attribute values. Everything that comes from content or
/// data passes through here (or Mustache's own escaping) before it reaches a page.
public func escapeHTML(_ text: String) -> String {
    guard text.utf8.contains(where: isEscapedInHTML) else { return text }
    var output = [UInt8]()
    output.reserveCapacity(text.utf8.count + 16)
    for byte in text.utf8 { appendEscapedHTML(byte, to: &output) }
    return String(decoding: output, as: UTF8.self)
}

/// Whether `escapeHTML` replaces this byte. Every such byte lies below `?`, so letters pass at
/// the first comparison.
@inlinable public func isEscapedInHTML(_ byte: UInt8) -> Bool {
    byte < ASCII.questionMark
        && (byte == ASCII.ampersand || byte == ASCII.lessThan || byte == ASCII.greaterThan || byte == ASCII.quote
            || byte == ASCII.apostrophe)
}

/// Appends one byte of UTF-8 text to HTML, escaped as `escapeHTML` escapes it.
@inlinable public func appendEscapedHTML(_ byte: UInt8, to output: inout [UInt8]) {
    switch byte {
    case ASCII.ampersand: output.append(contentsOf: "&amp;".utf8)
    case ASCII.lessThan: output.append(contentsOf: "&lt;".utf8)
    case ASCII.greaterThan: output.append(contentsOf: "&gt;".utf8)
    case ASCII.quote: output.append(contentsOf: "&quot;".utf8)
    case ASCII.apostrophe: output.append(contentsOf: "&#39;".utf8)
    default: output.append(byte)
    }
}

/// A short excerpt ending at a word boundary.
package func excerpt(_ text: String, limit: Int = 240) -> String {
    excerptReportingCut(text, limit: limit).text
}

/// The excerpt, and whether anything of the text was left out.
package func excerptReportingCut(_ text: String, limit: Int) -> (text: String, cut: Bool) {
    guard text.utf8.count > limit else { return (text, false) }
    if let ascii = asciiExcerpt(text, limit: limit) { return (ascii, true) }
    let kept = characterExcerpt(text, limit: limit)
    return (kept, kept != text)
}

/// The excerpt cut character by character: any text, and the reference the byte cut must match.
func characterExcerpt(_ text: String, limit: Int) -> String {
    guard text.count > limit else { return text }
    let cut = text.prefix(limit)
    var end = cut.lastIndex(of: " ") ?? cut.endIndex
    // No dangling punctuation or space before the ellipsis.
    while end > cut.startIndex {
        let previous = cut[cut.index(before: end)]
        guard previous.isWhitespace || previous.isPunctuation else { break }
        end = cut.index(before: end)
    }
    var start = cut.startIndex
    while start < end, cut[start].isWhitespace || cut[start].isPunctuation { start = cut.index(after: start) }
    return String(cut[start..<end]) + "…"
}

/// The same cut on bytes, when the first `limit` characters are ASCII (one byte each): the
/// search index and capability pages take an excerpt of every paragraph.
private func asciiExcerpt(_ text: String, limit: Int) -> String? {
    var result: String?
    text.utf8.withContiguousStorageIfAvailable { bytes in
        guard bytes.count > limit, !bytes[..<(limit + 1)].contains(where: { $0 >= UTF8Byte.firstNonASCII }) else {
            return
        }
        var end = limit
        if let space = bytes[..<limit].lastIndex(of: ASCII.space) { end = space }
        while end > 0, isASCIISpaceOrPunctuation(bytes[end - 1]) { end -= 1 }
        var start = 0
        while start < end, isASCIISpaceOrPunctuation(bytes[start]) { start += 1 }
        result = String(decoding: bytes[start..<end], as: UTF8.self) + "…"
    }
    return result
}

/// What `Character.isWhitespace || isPunctuation` says for ASCII (symbols such as $ + < = > are
/// not punctuation).
@inline(__always) private func isASCIISpaceOrPunctuation(_ byte: UInt8) -> Bool {
    switch byte {
    case ASCII.tab...ASCII.carriageReturn, ASCII.space: return true
    case ASCII.exclamationMark...ASCII.hash, ASCII.percent...ASCII.asterisk, ASCII.comma...ASCII.slash, ASCII.colon,
        ASCII.semicolon, ASCII.questionMark, ASCII.at, ASCII.openBracket...ASCII.closeBracket, ASCII.underscore,
        ASCII.openBrace, ASCII.closeBrace:
        return true
    default: return false
    }
}
