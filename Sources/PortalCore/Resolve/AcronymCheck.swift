import CCmarkGFM

/// Finds acronyms a body uses that the glossary does not list, so readers never meet an
/// unexplained abbreviation. A word counts as an acronym when it has two or more capitals and no
/// lower-case letters apart from a plural "s" (AFOs) or one inside (CoP); words the site declares
/// as names, such as operation names written in capitals, are not acronyms.
func missingAcronyms(in body: MarkdownBody, known: Set<String>, names: Set<String>) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var reported = Set<String>()
    for node in body.document.root.descendants where node.type == CMARK_NODE_TEXT {
        guard let text = node.literal else { continue }
        for (word, offset) in acronymCandidatesWithOffsets(in: text) {
            let singular = word.hasSuffix("s") ? String(word.dropLast()) : word
            if known.contains(word) || known.contains(singular) || names.contains(word.uppercased())
                || names.contains(singular.uppercased()) || reported.contains(singular)
            {
                continue
            }
            reported.insert(singular)
            diagnostics.append(
                .warning(
                    "acronym-missing", "acronym '\(singular)' is not in the glossary",
                    hint: "add '- {term: \(singular), expansion: ...}' to Content/data/glossary.yaml",
                    at: body.location(line: node.startLine, byteColumn: node.startColumn + offset)))
        }
    }
    return diagnostics
}

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
