import CCmarkGFM
import PortalSupport

/// A glossary entry as abbreviations need it; Load makes these from the glossary it reads.
package struct Abbreviation: Sendable {
    var term: String
    var expansion: String
    /// The paragraph the glossary says the term is expanded in, if any.
    var paragraph: Int?

    package init(term: String, expansion: String, paragraph: Int?) {
        self.term = term
        self.expansion = expansion
        self.paragraph = paragraph
    }
}

/// Acronyms from the glossary, to mark their first use on a page with `<abbr title>`.
package struct AbbreviationIndex: Sendable {
    private var entries: [String: [Abbreviation]] = [:]
    /// Hashes of every term and its plural, sorted, to pass over ordinary words without making a
    /// String; with the bytes terms begin with and the lengths they come in, so most words are
    /// passed over without being hashed at all.
    private var hashes: [UInt64] = []
    private var firstBytes = ByteSet()
    private var lengths: Range<Int> = 0..<0

    package init(terms glossary: [Abbreviation]) {
        var hashes = Set<UInt64>()
        var shortest = Int.max
        var longest = 0
        for entry in glossary where !entry.expansion.isEmpty && !entry.term.contains(" ") {
            entries[entry.term, default: []].append(entry)
            for form in [entry.term, entry.term + "s"] {
                var hasher = StableHasher()
                hasher.combine(form.utf8)
                hashes.insert(hasher.value)
                shortest = min(shortest, form.utf8.count)
                longest = max(longest, form.utf8.count)
                if let first = form.utf8.first { firstBytes.insert(first) }
            }
        }
        self.hashes = hashes.sorted()
        if shortest <= longest { lengths = shortest..<longest + 1 }
    }

    /// False when the word is certainly no term; true when `term(for:)` should look.
    package func mightContain(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        guard lengths.contains(word.count), let first = word.first, firstBytes.contains(first) else { return false }
        var hasher = StableHasher()
        hasher.combine(word)
        return hashes.sortedContains(hasher.value)
    }

    package var isEmpty: Bool { entries.isEmpty }

    /// The same as `term(for:)`, for a word in bytes that `mightContain` let through.
    package func term(forBytes word: UnsafeBufferPointer<UInt8>) -> String? {
        guard mightContain(word) else { return nil }
        return term(for: Substring(String(decoding: word, as: UTF8.self)))
    }

    /// The expansion for a term on a page. A term the report expands two ways (CTAG) takes the
    /// expansion given on this page, or names both.
    func expansion(of term: String, onPage paragraphs: Set<Int>) -> String? {
        guard let list = entries[term] else { return nil }
        let local = list.filter { $0.paragraph.map { paragraphs.contains($0) } ?? false }
        let chosen = local.isEmpty ? list : local
        var seen = Set<String>()
        return chosen.map(\.expansion).filter { seen.insert($0).inserted }.joined(separator: " or ")
    }

    /// The glossary term a word stands for: the word itself or its plural ("AFOs", "PSU’s").
    package func term(for word: Substring) -> String? {
        if entries[String(word)] != nil { return String(word) }
        if word.count > 2, word.hasSuffix("s") {
            let singular = String(word.dropLast())
            if entries[singular] != nil { return singular }
        }
        return nil
    }
}

/// Wraps the first use of each glossary acronym in `<abbr>`. Parsing found the text nodes and
/// the words in them that are glossary terms (outside images and tables, in document order);
/// this splits those nodes, so link targets, code and image descriptions are never touched.
func insertAbbreviations(
    at sites: [(node: MarkdownNode, words: [(range: Range<Int>, term: String)])], index: AbbreviationIndex,
    pageParagraphs: Set<Int>
) {
    var seen = Set<String>()
    for (node, words) in sites {
        guard let text = node.literal else { continue }
        let bytes = Array(text.utf8)
        var pieces: [(text: String, abbr: String?, spelledOut: Bool)] = []
        var start = 0
        for (range, term) in words {
            guard !seen.contains(term), let title = index.expansion(of: term, onPage: pageParagraphs) else { continue }
            seen.insert(term)
            // "Counter Terrorism Operations Centre (CTOC)": the text has just said it, so the
            // acronym is marked but not spelled out a second time.
            let before = String(decoding: bytes[..<range.lowerBound], as: UTF8.self)
            let spelledOut = followsItsExpansion(
                before.hasAtLeast(title.count + 2) ? before : precedingText(of: node) + before, expansion: title)
            pieces.append((String(decoding: bytes[start..<range.lowerBound], as: UTF8.self), nil, false))
            pieces.append((String(decoding: bytes[range], as: UTF8.self), title, spelledOut))
            start = range.upperBound
        }
        guard !pieces.isEmpty else { continue }
        for piece in pieces {
            if let title = piece.abbr {
                node.insertBefore(
                    .html(
                        abbreviationHTML(word: piece.text, expansion: title, spelledOut: piece.spelledOut), block: false
                    ))
            } else if !piece.text.isEmpty {
                node.insertBefore(.text(piece.text))
            }
        }
        if start == bytes.count {
            node.remove()
        } else {
            node.literal = String(decoding: bytes[start...], as: UTF8.self)
        }
    }
}

extension String {
    /// `count >= n`, counting no further than `n` characters: a text node can be long.
    fileprivate func hasAtLeast(_ n: Int) -> Bool {
        utf8.count >= n && index(startIndex, offsetBy: n, limitedBy: endIndex) != nil
    }
}

/// The text of the inline nodes before this one in its paragraph (a link's words included), so
/// an expansion written in a link just before its acronym is found.
private func precedingText(of node: MarkdownNode) -> String {
    var parts: [String] = []
    var current = node.previous
    var length = 0
    while let sibling = current, length < 400 {
        let text = sibling.literal ?? sibling.plainText
        parts.append(text)
        length += text.count
        current = sibling.previous
    }
    return parts.reversed().joined()
}

/// Whether text ends with an acronym's expansion and an opening bracket, as in "Counter
/// Terrorism Operations Centre (" before "CTOC": letters compared without case, any run of spaces
/// or hyphens as one space, and a possessive or plural "s" allowed on the last word.
func followsItsExpansion(_ text: String, expansion: String) -> Bool {
    func words(_ s: Substring) -> [String] {
        s.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != "’" && $0 != "'" }.map(String.init)
    }
    let trimmed = text.reversed().drop { $0 == " " || $0 == "\u{A0}" }
    guard trimmed.first == "(" else { return false }
    let head = String(trimmed.dropFirst().reversed())
    // A term the report expands two ways ("A or B") counts as spelled out by either.
    for option in expansion.components(separatedBy: " or ") {
        let wanted = words(Substring(option))
        guard !wanted.isEmpty else { continue }
        let found = words(Substring(head)).suffix(wanted.count)
        guard found.count == wanted.count else { continue }
        if zip(found, wanted).allSatisfy({ $0 == $1 || $0 == $1 + "s" || $0 == $1 + "’s" || $0 == $1 + "'s" }) {
            return true
        }
    }
    return false
}

/// Plain text from data (a key figure's label, a card's summary, a commitment) as escaped HTML,
/// with each glossary acronym marked at its first use on the page, as bodies are. `seen` holds
/// the terms already marked on the page, so each is explained once.
package func abbreviatedHTML(
    _ text: String, index: AbbreviationIndex, pageParagraphs: Set<Int> = [], seen: inout Set<String>
) -> String {
    guard !index.isEmpty else { return escapeHTML(text) }
    if text.utf8.allSatisfy({ $0 < UTF8Byte.firstNonASCII }) {
        return asciiAbbreviatedHTML(text, index: index, pageParagraphs: pageParagraphs, seen: &seen)
    }
    var html = ""
    var word = ""
    var written = ""
    func flush() {
        guard !word.isEmpty else { return }
        if let term = index.term(for: Substring(word)), !seen.contains(term),
            let title = index.expansion(of: term, onPage: pageParagraphs)
        {
            seen.insert(term)
            html += abbreviationHTML(
                word: word, expansion: title, spelledOut: followsItsExpansion(written, expansion: title))
        } else {
            html += escapeHTML(word)
        }
        written += word
        word = ""
    }
    for character in text {
        // Words as acronyms are written: letters and digits ("PSU’s" is the term and its "’s").
        if character.isLetter || character.isNumber {
            word.append(character)
        } else {
            flush()
            html += escapeHTML(String(character))
            written.append(character)
        }
    }
    flush()
    return html
}

/// `abbreviatedHTML` for text in ASCII, the usual case, a byte at a time: there every character
/// is one byte, and a letter or digit one of `[A-Za-z0-9]`, so words are the same.
private func asciiAbbreviatedHTML(
    _ text: String, index: AbbreviationIndex, pageParagraphs: Set<Int>, seen: inout Set<String>
) -> String {
    var html: [UInt8] = []
    var text = text
    text.withUTF8 { bytes in
        html.reserveCapacity(bytes.count + 16)
        var start = 0
        func flush(_ end: Int) {
            guard start < end else { return }
            let word = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if let term = index.term(forBytes: word), !seen.contains(term),
                let title = index.expansion(of: term, onPage: pageParagraphs)
            {
                seen.insert(term)
                let before = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<start]), as: UTF8.self)
                let marked = abbreviationHTML(
                    word: String(decoding: word, as: UTF8.self), expansion: title,
                    spelledOut: followsItsExpansion(before, expansion: title))
                html.append(contentsOf: marked.utf8)
            } else {
                // Letters and digits need no escaping.
                html.append(contentsOf: word)
            }
        }
        for position in 0..<bytes.count where !isASCIIAlphanumeric(bytes[position]) {
            flush(position)
            start = position + 1
            appendEscapedHTML(bytes[position], to: &html)
        }
        flush(bytes.count)
    }
    return String(decoding: html, as: UTF8.self)
}

func hasAncestor(_ node: MarkdownNode, ofType type: cmark_node_type) -> Bool {
    var current = node.parent
    while let candidate = current {
        if candidate.type == type { return true }
        current = candidate.parent
    }
    return false
}

/// The markup for an acronym's first use on a page. Both values are escaped here.
///
/// `title` shows the expansion on hover. The expansion also follows as text, visually hidden, so
/// every screen reader reads it (few read `title`), and the theme shows it in brackets while
/// anything in the paragraph has keyboard focus: no extra tab stop per acronym, and a link
/// around the acronym stays valid HTML (nothing focusable may sit inside a link).
///
/// Right after its own expansion (`spelledOut`), the acronym keeps only its `title`: readers have
/// just read the words, and a screen reader would otherwise hear them twice.
func abbreviationHTML(word: String, expansion: String, spelledOut: Bool = false) -> String {
    // U+0001 opens the portal's placeholders; a glossary entry holding one keeps it as a reference.
    var title = escapeHTML(expansion)
    if title.utf8.contains(placeholderMark) { title = title.replacingOccurrences(of: "\u{1}", with: "&#1;") }
    if spelledOut { return "<abbr title=\"\(title)\">\(escapeHTML(word))</abbr>" }
    return "<abbr title=\"\(title)\">\(escapeHTML(word))</abbr><span class=\"abbr-expansion\"> (\(title))</span>"
}

/// A set of byte values, as four words of bits.
private struct ByteSet: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func contains(_ byte: UInt8) -> Bool {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: return words.0 & bit != 0
        case 1: return words.1 & bit != 0
        case 2: return words.2 & bit != 0
        default: return words.3 & bit != 0
        }
    }
}

extension [UInt64] {
    /// Binary search of a sorted array.
    fileprivate func sortedContains(_ value: UInt64) -> Bool {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == value
    }
}
