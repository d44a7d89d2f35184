/// Words in running text, read as ASCII bytes: a word starts with a letter or digit and may
/// hold '&' inside (IT&D). Acronym checks and `<abbr>` marking share this tokenizer; working on
/// bytes keeps it cheap on 10,000-page sites.
func asciiWords(in bytes: [UInt8]) -> [Range<Int>] {
    var words: [Range<Int>] = []
    var index = 0
    while index < bytes.count {
        guard isASCIIAlphanumeric(bytes[index]) else {
            index += 1
            continue
        }
        let start = index
        while index < bytes.count, isASCIIAlphanumeric(bytes[index]) || bytes[index] == 0x26 { index += 1 }
        var end = index
        while end > start, bytes[end - 1] == 0x26 { end -= 1 }
        words.append(start..<end)
    }
    return words
}

@inline(__always) func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
}

@inline(__always) func isASCIIUppercase(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
@inline(__always) func isASCIILowercase(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }

/// Words that look like acronyms: at least two capitals and no lower-case letters, apart from a
/// plural "s" (AFOs) or one inside between capitals (CoP). "Chief" is no acronym.
func acronymCandidates(in text: String) -> [String] {
    acronymCandidatesWithOffsets(in: text).map(\.word)
}

/// Candidates with their UTF-8 offset in the text, to point diagnostics at the word itself.
func acronymCandidatesWithOffsets(in text: String) -> [(word: String, offset: Int)] {
    let bytes = Array(text.utf8)
    var result: [(word: String, offset: Int)] = []
    for range in asciiWords(in: bytes) {
        var capitals = 0
        for byte in bytes[range] where isASCIIUppercase(byte) { capitals += 1 }
        guard capitals >= 2 else { continue }
        let bodyEnd = bytes[range.upperBound - 1] == 0x73 ? range.upperBound - 1 : range.upperBound
        var lower = 0
        for byte in bytes[range.lowerBound..<bodyEnd] where isASCIILowercase(byte) { lower += 1 }
        let firstUpper = isASCIIUppercase(bytes[range.lowerBound])
        let lastUpper = bodyEnd > range.lowerBound && isASCIIUppercase(bytes[bodyEnd - 1])
        guard lower == 0 || (lower == 1 && firstUpper && lastUpper) else { continue }
        result.append((String(decoding: bytes[range], as: UTF8.self), range.lowerBound))
    }
    return result
}
