/// Acronym detection: a word counts as an acronym when it has two or more capitals and no
/// lower-case letters apart from a plural "s" (AFOs) or one inside (CoP).

/// Words that look like acronyms: at least two capitals, otherwise only digits, '&' between
/// letters, a trailing plural 's' or an apostrophe-s.
func acronymCandidates(in text: String) -> [String] {
    acronymCandidatesWithOffsets(in: text).map(\.word)
}

/// Candidates with their UTF-8 offset in the text, to point diagnostics at the word itself.
func acronymCandidatesWithOffsets(in text: String) -> [(word: String, offset: Int)] {
    var result: [(word: String, offset: Int)] = []
    var word = ""
    var start = 0
    var offset = 0
    func flush() {
        defer { word = "" }
        var candidate = word
        while candidate.last == "&" { candidate.removeLast() }
        let capitals = candidate.filter { $0.isUppercase }.count
        guard capitals >= 2 else { return }
        let body = candidate.hasSuffix("s") ? String(candidate.dropLast()) : candidate
        let lower = body.filter { $0.isLowercase }.count
        // "CoP" has one lower-case letter inside; "CTSFOs" ends in a plural; "Chief" is no acronym.
        guard lower == 0 || (lower == 1 && body.first!.isUppercase && body.last!.isUppercase) else { return }
        result.append((candidate, start))
    }
    for character in text {
        if character.isASCII && (character.isLetter || character.isNumber || character == "&") {
            if word.isEmpty { start = offset }
            word.append(character)
        } else {
            flush()
        }
        offset += character.utf8.count
    }
    flush()
    return result
}
