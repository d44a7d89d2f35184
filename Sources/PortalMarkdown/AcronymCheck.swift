import PortalSupport

/// Words in running text, read as ASCII bytes: a word starts with a letter or digit and may
/// hold '&' inside (IT&D). Acronym checks and `<abbr>` marking share this tokenizer; working on
/// bytes keeps it cheap on 10,000-page sites.
func asciiWords(in bytes: [UInt8]) -> [Range<Int>] {
    var words: [Range<Int>] = []
    bytes.withUnsafeBufferPointer { buffer in forEachASCIIWord(buffer) { range, _ in words.append(range) } }
    return words
}

/// The words, found without allocating: the body gets each word's range and how many
/// capitals it has (most words have none and need no further look).
@inline(__always) func forEachASCIIWord(
    _ bytes: UnsafeBufferPointer<UInt8>, _ body: (_ range: Range<Int>, _ capitals: Int) -> Void
) {
    // One table look-up per byte instead of three range tests: this loop reads every byte of
    // every paragraph of the site.
    wordByteClasses.withUnsafeBufferPointer { classes in
        let count = bytes.count
        var index = 0
        while index < count {
            guard classes[Int(bytes[index])] & wordStart != 0 else {
                index += 1
                continue
            }
            let start = index
            var capitals = 0
            while index < count {
                let byteClass = classes[Int(bytes[index])]
                if byteClass & wordPart == 0 { break }
                capitals &+= Int(byteClass >> 2)
                index += 1
            }
            var end = index
            while end > start, bytes[end - 1] == ASCII.ampersand { end -= 1 }
            body(start..<end, capitals)
        }
    }
}

/// Bit 0: starts a word (letter or digit); bit 1: continues one (letter, digit or '&');
/// bit 2: a capital.
private let wordStart: UInt8 = 1
private let wordPart: UInt8 = 2
private let wordByteClasses: [UInt8] = (0...255).map { value -> UInt8 in
    let byte = UInt8(value)
    if isASCIIUppercase(byte) { return wordStart | wordPart | 4 }
    if isASCIIAlphanumeric(byte) { return wordStart | wordPart }
    return byte == ASCII.ampersand ? wordPart : 0
}

/// Words that look like acronyms: at least two capitals and no lower-case letters, apart from a
/// plural "s" (AFOs) or one inside between capitals (CoP). "Chief" is no acronym.
func acronymCandidates(in text: String) -> [String] {
    acronymCandidatesWithOffsets(in: text).map(\.word)
}

/// Candidates with their UTF-8 offset in the text, to point diagnostics at the word itself.
func acronymCandidatesWithOffsets(in text: String) -> [(word: String, offset: Int)] {
    let bytes = Array(text.utf8)
    return asciiWords(in: bytes).compactMap { range in acronymCandidate(bytes, range).map { ($0, range.lowerBound) } }
}

/// The word at `range` if it looks like an acronym.
func acronymCandidate(_ bytes: some RandomAccessCollection<UInt8>, _ range: Range<Int>) -> String? {
    let base = bytes.startIndex
    func at(_ offset: Int) -> UInt8 { bytes[bytes.index(base, offsetBy: offset)] }
    var capitals = 0
    for offset in range where isASCIIUppercase(at(offset)) { capitals += 1 }
    guard capitals >= 2 else { return nil }
    let bodyEnd = at(range.upperBound - 1) == ASCII.lowerS ? range.upperBound - 1 : range.upperBound
    var lower = 0
    for offset in range.lowerBound..<bodyEnd where isASCIILowercase(at(offset)) { lower += 1 }
    let firstUpper = isASCIIUppercase(at(range.lowerBound))
    let lastUpper = bodyEnd > range.lowerBound && isASCIIUppercase(at(bodyEnd - 1))
    guard lower == 0 || (lower == 1 && firstUpper && lastUpper) else { return nil }
    return String(decoding: range.map(at), as: UTF8.self)
}
