import Foundation

/// Escapes text for HTML content and attribute values. Everything that comes from content or
/// data passes through here (or Mustache's own escaping) before it reaches a page.
public func escapeHTML(_ text: String) -> String {
    var needs = false
    for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
        needs = true
        break
    }
    guard needs else { return text }
    var output = [UInt8]()
    output.reserveCapacity(text.utf8.count + 16)
    for byte in text.utf8 {
        switch byte {
        case 0x26: output.append(contentsOf: "&amp;".utf8)
        case 0x3C: output.append(contentsOf: "&lt;".utf8)
        case 0x3E: output.append(contentsOf: "&gt;".utf8)
        case 0x22: output.append(contentsOf: "&quot;".utf8)
        case 0x27: output.append(contentsOf: "&#39;".utf8)
        default: output.append(byte)
        }
    }
    return String(decoding: output, as: UTF8.self)
}

/// A short excerpt ending at a word boundary.
func excerpt(_ text: String, limit: Int = 240) -> String {
    guard text.utf8.count > limit, text.count > limit else { return text }
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
