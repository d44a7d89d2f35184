import PortalLoad
import PortalMarkdown
import PortalResolve
import PortalSupport

/// The fields of the index's records, in the order they are written. `search.js` reads each
/// position through an object of the same name (`SECTION`, `PARAGRAPH`, `ENTRY`) with the same
/// fields, and a unit test fails when the two disagree: change both, and the writers below.
enum SearchIndexFields {
    static let section = ["href", "title"]
    static let paragraph = ["number", "section", "text"]
    static let entry = ["kind", "title", "href", "keywords", "text", "section"]
}

/// The prebuilt search index. It is a script that assigns a global, not a JSON file, because the
/// search page must work from `file://` on the intranet copy, where browsers block `fetch()` of
/// local files but still run a plain `<script src>`. `assets/search.js` reads it.
///
/// Shape (kept compact for sites of 10,000 pages: each record is an array, not an object, so
/// field names are not repeated 100,000 times; each paragraph's text is stored once, the
/// section's address and title once per section):
///
///     window.PORTAL_SEARCH = {
///       "sections": [[href, title], ...],
///       "paragraphLimit": 133,      (only when texts were cut to fit a very large site)
///       "paragraphs": [[number, section, text], ...],
///       "entries": [[kind, title, href, keywords, text, section], ...]
///     };
///
/// Addresses are relative to the site root; `section` is a position in `sections` (-1: none);
/// `keywords` are joined by "|". `SearchIndexFields` names the fields in this order, and
/// `search.js` reads them through the same names. Rendered like a page: every paragraph text it
/// holds is read through `context`, which records it.
func searchIndexFile(_ context: RenderContext) -> OutputFile {
    let graph = context.graph
    var json = JSONBytes()
    // Sized as it goes (`writeSearchIndex`): at 10,000 pages the index is 23 MB, and a buffer
    // left to double would hold that twice at once, the largest use of memory of a build.
    json.bytes.reserveCapacity(graph.sections.count * 96 + 4096)
    json.raw("window.PORTAL_SEARCH = ")
    writeSearchIndex(context, into: &json)
    json.raw(";\n")
    return OutputFile(path: searchIndexPath, bytes: json.bytes)
}

package let searchIndexPath = "search/index.js"

/// Longer texts are cut here: enough for any paragraph of a board paper.
package let searchTextLimit = 2000

/// The paragraph texts together stay under about this many characters: a site of 120,000
/// paragraphs keeps the opening of each (a browser must load the whole index at once).
let searchTextBudget = 16_000_000

/// How much of each paragraph the index keeps, for a site of `count` paragraphs.
package func searchTextLimit(paragraphs count: Int) -> Int {
    min(searchTextLimit, max(120, searchTextBudget / max(count, 1)))
}

/// What the index keeps of a paragraph, and whether it was cut below the usual limit (which the
/// index then notes).
private func searchText(_ text: String, limit: Int) -> (kept: String, truncated: Bool) {
    let (kept, cut) = excerptReportingCut(text, limit: limit)
    return (kept, cut && limit < searchTextLimit)
}

/// What the index keeps of one numbered paragraph.
struct SearchText: Equatable {
    var number: Int
    var kept: String
    var truncated: Bool
}

/// What the index keeps of each of a section's paragraphs, at `limit`.
func searchTexts(_ paragraphs: [Paragraph], limit: Int) -> [SearchText] {
    // By index: a `map` over the paragraphs copies each one, retaining and releasing its strings
    // (120,000 of them, on several passes, at 10,000 pages).
    paragraphs.indices.map { index in
        let (kept, truncated) = searchText(paragraphs[index].text, limit: limit)
        return SearchText(number: paragraphs[index].number, kept: kept, truncated: truncated)
    }
}

func fingerprint(_ texts: [SearchText]) -> UInt64 {
    var words: [UInt64] = []
    words.reserveCapacity(texts.count * 3)
    for text in texts {
        words += [UInt64(bitPattern: Int64(text.number)), text.truncated ? 1 : 0, textHash(text.kept)]
    }
    return hashWords(words)
}

/// `contentHash` of a string's UTF-8 bytes: a full build hashes every body, tens of megabytes
/// on a large site, too many for FNV's byte at a time.
package func textHash(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { contentHash(UnsafeRawBufferPointer($0)) }
}

/// `[number,section,"text"]`, as `SearchIndexFields.paragraph`.
private func appendParagraphLine(number: Int, section: Int, kept: String, to json: inout JSONBytes) {
    json.raw("[")
    json.int(number)
    json.raw(",")
    json.int(section)
    json.raw(",")
    json.string(kept)
    json.raw("]")
}

/// One thing search can find besides a numbered paragraph.
struct SearchEntry: Equatable {
    var kind: String
    var title: String
    var href: String
    var keywords: [String] = []
    var text: String = ""
    var section: Int = -1
}

/// The index written straight into one buffer: it holds every paragraph of the site.
private func writeSearchIndex(_ context: RenderContext, into json: inout JSONBytes) {
    let graph = context.graph
    let sectionNumber = Dictionary(uniqueKeysWithValues: graph.sections.enumerated().map { ($1.slug, $0) })
    json.raw("{\"sections\":[")
    for (index, section) in graph.sections.enumerated() {
        if index > 0 { json.raw(",") }
        // As `SearchIndexFields.section`.
        json.raw("[")
        json.string(section.page.path)
        json.raw(",")
        json.string(section.title)
        json.raw("]")
    }
    json.raw("]")
    // Whether any text was cut decides a note that goes before the paragraphs: it is put in
    // once they are written, so the 23 MB of a 10,000-page index are not held twice.
    let notePosition = json.bytes.count
    json.raw(",\n\"paragraphs\":[\n")
    let limit = searchTextLimit(paragraphs: graph.paragraphIndex.count)
    let entries = searchEntries(graph, sectionNumber: sectionNumber)
    // An excerpt is at most the limit and its ellipsis; a line's numbers and brackets about 24.
    let paragraphBytes = graph.sections.reduce(0) { sum, section in
        let paragraphs = section.paragraphs
        return paragraphs.indices.reduce(sum) { $0 + min(paragraphs[$1].storedText.utf8Count, limit + 3) + 24 }
    }
    let entryBytes = entries.reduce(0) { sum, entry in
        sum + entry.kind.utf8.count + entry.title.utf8.count + entry.href.utf8.count + entry.text.utf8.count
            + entry.keywords.reduce(0) { $0 + $1.utf8.count + 1 } + 32
    }
    json.bytes.reserveCapacity(json.bytes.count + paragraphBytes + entryBytes + 64)
    var truncated = false
    var first = true
    for (index, section) in graph.sections.enumerated() {
        for paragraph in context.searchTexts(of: section, limit: limit) {
            if !first { json.raw(",\n") }
            first = false
            appendParagraphLine(number: paragraph.number, section: index, kept: paragraph.kept, to: &json)
            truncated = truncated || paragraph.truncated
        }
    }
    // The search page tells readers when only the opening of each paragraph is searched.
    if truncated {
        var note = JSONBytes()
        note.raw(",\n\"paragraphLimit\":")
        note.int(limit)
        json.bytes.insert(contentsOf: note.bytes, at: notePosition)
    }
    json.raw("],\n\"entries\":[\n")
    for (index, entry) in entries.enumerated() {
        if index > 0 { json.raw(",\n") }
        // As `SearchIndexFields.entry`.
        json.raw("[")
        json.string(entry.kind)
        json.raw(",")
        json.string(entry.title)
        json.raw(",")
        json.string(entry.href)
        json.raw(",")
        json.string(entry.keywords.joined(separator: "|"))
        json.raw(",")
        json.string(entry.text)
        json.raw(",")
        json.int(entry.section)
        json.raw("]")
    }
    json.raw("]}")
}

/// Sections, their headings, capabilities, tables, glossary terms, boards, partners, operations
/// and commitments, in a stable order.
func searchEntries(_ graph: SiteGraph, sectionNumber: [String: Int]) -> [SearchEntry] {
    var entries: [SearchEntry] = []
    for (index, section) in graph.sections.enumerated() {
        let path = section.page.path
        entries.append(
            SearchEntry(
                kind: "Section", title: section.title, href: path,
                keywords: [section.source.lead].compactMap { $0 }, text: section.source.summary, section: index))
        for heading in section.headings {
            entries.append(
                SearchEntry(kind: "Heading", title: heading.text, href: path + "#" + heading.id, section: index))
        }
    }
    for capability in graph.capabilities {
        entries.append(
            SearchEntry(
                kind: "Capability", title: capability.title, href: PageID.capability(capability.slug).path,
                keywords: capability.source.aliases + [capability.source.level.map { levelName($0) }].compactMap { $0 },
                text: capability.source.summary))
    }
    for table in graph.tables {
        let source = table.source
        let labels = source.header.map(\.value) + source.rows.compactMap { $0.first?.value }
        entries.append(
            SearchEntry(
                kind: "Table", title: source.caption.value, href: PageID.table(table.id).path, keywords: labels,
                text: source.description ?? "", section: table.section.flatMap { sectionNumber[$0] } ?? -1))
    }
    let anchors = glossaryAnchors(graph.glossary)
    for (index, entry) in graph.glossary.enumerated() {
        entries.append(
            SearchEntry(
                kind: "Glossary", title: entry.term, href: PageID.glossary.path + "#" + anchors[index],
                text: entry.expansion))
    }
    for entry in graph.registerEntries.sorted(by: {
        ($0.source.register.rawValue, $0.id) < ($1.source.register.rawValue, $1.id)
    }) {
        let source = entry.source
        entries.append(
            SearchEntry(
                kind: source.register.rawValue.capitalized, title: source.name,
                href: PageID.register(source.register).path + "#" + entry.anchor,
                keywords: [source.chair, source.scope].compactMap { $0 }, text: source.description ?? ""))
    }
    for commitment in graph.commitments {
        let source = commitment.source
        entries.append(
            SearchEntry(
                kind: "Commitment", title: source.what, href: PageID.commitments.path,
                keywords: [source.due?.formatted, source.dueText].compactMap { $0 },
                text: "Paragraph \(source.paragraph.value)",
                section: commitment.section.flatMap { sectionNumber[$0] } ?? -1))
    }
    return entries
}

/// A unique fragment for each glossary entry, in the glossary's own order: `term-ctsfo`, and
/// `term-ctag-2` for a term the report expands a second way.
func glossaryAnchors(_ glossary: [GlossaryEntry]) -> [String] {
    var taken = UniqueIDs()
    return glossary.map { entry in taken.claim("term-" + headingID(entry.term)) }
}

/// A JSON string literal that is also safe inside a script: `<`, U+2028 and U+2029 are escaped.
func jsonString(_ text: String) -> String {
    var json = JSONBytes()
    json.string(text)
    return String(decoding: json.bytes, as: UTF8.self)
}

/// JSON written as UTF-8 bytes, for the search index: it holds every paragraph of the report.
struct JSONBytes {
    var bytes: [UInt8] = []

    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func int(_ value: Int) {
        appendDecimal(Int64(value), to: &bytes)
    }

    /// A string literal that is also safe inside a script: `<`, U+2028 and U+2029 are escaped.
    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { string(utf8: $0) }
    }

    mutating func string(utf8 input: UnsafeBufferPointer<UInt8>) {
        bytes.append(ASCII.quote)
        var plainStart = 0
        var index = 0
        let count = input.count
        while index < count {
            let byte = input[index]
            // Most bytes need nothing: they are copied in runs.
            if byte >= ASCII.space && byte != ASCII.quote && byte != ASCII.backslash && byte != ASCII.lessThan
                && byte != UTF8Byte.separatorLead
            {
                index += 1
                continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[plainStart..<index]))
            index += 1
            switch byte {
            case ASCII.quote: raw("\\\"")
            case ASCII.backslash: raw("\\\\")
            case ASCII.newline: raw("\\n")
            case ASCII.carriageReturn: raw("\\r")
            case ASCII.tab: raw("\\t")
            case ASCII.lessThan: raw("\\u003c")
            case UTF8Byte.separatorLead:
                // U+2028 and U+2029 end lines in older JavaScript: E2 80 A8 and E2 80 A9 in UTF-8.
                if index + 1 < count, input[index] == UTF8Byte.separatorMiddle,
                    input[index + 1] == UTF8Byte.lineSeparatorLast
                        || input[index + 1] == UTF8Byte.paragraphSeparatorLast
                {
                    raw(input[index + 1] == UTF8Byte.lineSeparatorLast ? "\\u2028" : "\\u2029")
                    index += 2
                } else {
                    bytes.append(byte)
                }
            default:
                let hex: StaticString = "0123456789abcdef"
                raw("\\u00")
                hex.withUTF8Buffer { digits in
                    bytes.append(digits[Int(byte >> 4)])
                    bytes.append(digits[Int(byte & 0x0F)])
                }
            }
            plainStart = index
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[plainStart..<count]))
        bytes.append(ASCII.quote)
    }
}
