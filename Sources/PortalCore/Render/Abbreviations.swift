import CCmarkGFM

/// Acronyms from the glossary, to mark their first use on a page with `<abbr title>`.
struct AbbreviationIndex: Sendable {
    private var entries: [String: [GlossaryEntry]] = [:]
    /// Hashes of every term and its plural, to pass over ordinary words without making a String.
    private var hashes: Set<UInt64> = []

    init(_ glossary: [GlossaryEntry]) {
        for entry in glossary where !entry.expansion.isEmpty && !entry.term.contains(" ") {
            entries[entry.term, default: []].append(entry)
            for form in [entry.term, entry.term + "s"] {
                var hasher = StableHasher()
                hasher.combine(form.utf8)
                hashes.insert(hasher.value)
            }
        }
    }

    /// False when the word is certainly no term; true when `term(for:)` should look.
    func mightContain(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        var hasher = StableHasher()
        hasher.combine(word)
        return hashes.contains(hasher.value)
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The expansion for a term on a page. A term the report expands two ways (CTAG) takes the
    /// expansion given on this page, or names both.
    func expansion(of term: String, onPage paragraphs: Set<Int>) -> String? {
        guard let list = entries[term] else { return nil }
        let local = list.filter { $0.paragraph.map { paragraphs.contains($0.value) } ?? false }
        let chosen = local.isEmpty ? list : local
        var seen = Set<String>()
        return chosen.map(\.expansion).filter { seen.insert($0).inserted }.joined(separator: " or ")
    }

    /// The glossary term a word stands for: the word itself or its plural ("AFOs", "PSU’s").
    func term(for word: Substring) -> String? {
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
        var pieces: [(text: String, abbr: String?)] = []
        var start = 0
        for (range, term) in words {
            guard !seen.contains(term), let title = index.expansion(of: term, onPage: pageParagraphs) else { continue }
            seen.insert(term)
            pieces.append((String(decoding: bytes[start..<range.lowerBound], as: UTF8.self), nil))
            pieces.append((String(decoding: bytes[range], as: UTF8.self), title))
            start = range.upperBound
        }
        guard !pieces.isEmpty else { continue }
        for piece in pieces {
            if let title = piece.abbr {
                node.insertBefore(.html(abbreviationHTML(word: piece.text, expansion: title), block: false))
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
func abbreviationHTML(word: String, expansion: String) -> String {
    // U+0001 opens the portal's placeholders; a glossary entry holding one keeps it as a reference.
    var title = escapeHTML(expansion)
    if title.utf8.contains(placeholderMark) { title = title.replacingOccurrences(of: "\u{1}", with: "&#1;") }
    return "<abbr title=\"\(title)\">\(escapeHTML(word))</abbr><span class=\"abbr-expansion\"> (\(title))</span>"
}
