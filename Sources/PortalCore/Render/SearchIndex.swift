/// The prebuilt search index. It is a script that assigns a global, not a JSON file, because the
/// search page must work from `file://` on the intranet copy, where browsers block `fetch()` of
/// local files but still run a plain `<script src>`. `assets/search.js` reads it.
///
/// Shape (kept compact for sites of 10,000 pages: each paragraph's text is stored once, the
/// section's address and title once per section):
///
///     window.PORTAL_SEARCH = {
///       "sections": [[href, title], ...],
///       "paragraphLimit": 133,      (only when texts were cut to fit a very large site)
///       "paragraphs": [[number, section index, text], ...],
///       "entries": [[kind, title, href, keywords, text, section index or -1], ...]
///     };
///
/// Addresses are relative to the site root.
func searchIndexFile(_ graph: SiteGraph) -> OutputFile {
    OutputFile(path: searchIndexPath, text: "window.PORTAL_SEARCH = " + searchIndexJSON(graph) + ";\n")
}

let searchIndexPath = "search/index.js"

/// Longer texts are cut here: enough for any paragraph of a board paper.
let searchTextLimit = 2000

/// The paragraph texts together stay under about this many characters: a site of 120,000
/// paragraphs keeps the opening of each (a browser must load the whole index at once).
let searchTextBudget = 16_000_000

/// How much of each paragraph the index keeps, for a site of `count` paragraphs.
func searchTextLimit(paragraphs count: Int) -> Int {
    min(searchTextLimit, max(120, searchTextBudget / max(count, 1)))
}

/// A paragraph's line in the index (one line each, so an edit can replace it in place), and
/// whether its text was cut to the limit.
func searchParagraphLine(number: Int, section: Int, text: String, limit: Int) -> (line: String, truncated: Bool) {
    let kept = excerpt(text, limit: limit)
    let truncated = limit < searchTextLimit && kept.count < text.count
    return ("[\(number),\(section),\(jsonString(kept))]", truncated)
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

func searchIndexJSON(_ graph: SiteGraph) -> String {
    let sectionNumber = Dictionary(uniqueKeysWithValues: graph.sections.enumerated().map { ($1.slug, $0) })
    var json = "{\"sections\":["
    json += graph.sections.map { "[\(jsonString(PageID.section($0.slug).path)),\(jsonString($0.title))]" }
        .joined(separator: ",")
    let limit = searchTextLimit(paragraphs: graph.paragraphIndex.count)
    var paragraphs: [String] = []
    var truncated = false
    for (index, section) in graph.sections.enumerated() {
        for paragraph in section.paragraphs {
            let (line, cut) = searchParagraphLine(
                number: paragraph.number, section: index, text: paragraph.text, limit: limit)
            truncated = truncated || cut
            paragraphs.append(line)
        }
    }
    // The search page tells readers when only the opening of each paragraph is searched.
    if truncated { json += "],\n\"paragraphLimit\":\(limit)" } else { json += "]" }
    json += ",\n\"paragraphs\":[\n"
    json += paragraphs.joined(separator: ",\n")
    json += "],\n\"entries\":[\n"
    json += searchEntries(graph, sectionNumber: sectionNumber).map { entry in
        "[\(jsonString(entry.kind)),\(jsonString(entry.title)),\(jsonString(entry.href)),"
            + "\(jsonString(entry.keywords.joined(separator: "|"))),\(jsonString(entry.text)),\(entry.section)]"
    }.joined(separator: ",\n")
    json += "]}"
    return json
}

/// Sections, their headings, capabilities, tables, glossary terms, boards, partners, operations
/// and commitments, in a stable order.
func searchEntries(_ graph: SiteGraph, sectionNumber: [String: Int]) -> [SearchEntry] {
    var entries: [SearchEntry] = []
    for (index, section) in graph.sections.enumerated() {
        let path = PageID.section(section.slug).path
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
    for entity in graph.entities.sorted(by: { ($0.source.kind.rawValue, $0.id) < ($1.source.kind.rawValue, $1.id) }) {
        let source = entity.source
        entries.append(
            SearchEntry(
                kind: source.kind.rawValue.capitalized, title: source.name,
                href: PageID.register(source.kind).path + "#" + entity.anchor,
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
/// Works on UTF-8 bytes: the index holds every paragraph of the report.
func jsonString(_ text: String) -> String {
    var output: [UInt8] = [0x22]
    output.reserveCapacity(text.utf8.count + 2)
    let hex = Array("0123456789abcdef".utf8)
    var bytes = text.utf8.makeIterator()
    var pending: [UInt8] = []
    while let byte = pending.isEmpty ? bytes.next() : pending.removeFirst() {
        switch byte {
        case 0x22: output += [0x5C, 0x22]
        case 0x5C: output += [0x5C, 0x5C]
        case 0x0A: output += [0x5C, 0x6E]
        case 0x0D: output += [0x5C, 0x72]
        case 0x09: output += [0x5C, 0x74]
        case 0x3C: output += Array("\\u003c".utf8)
        case 0xE2:
            // U+2028 and U+2029 end lines in older JavaScript: E2 80 A8 and E2 80 A9 in UTF-8.
            let second = bytes.next()
            let third = second == 0x80 ? bytes.next() : nil
            if second == 0x80, let third, third == 0xA8 || third == 0xA9 {
                output += Array((third == 0xA8 ? "\\u2028" : "\\u2029").utf8)
            } else {
                output.append(byte)
                pending = [second, third].compactMap { $0 }
            }
        default:
            if byte < 0x20 {
                output += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            } else {
                output.append(byte)
            }
        }
    }
    output.append(0x22)
    return String(decoding: output, as: UTF8.self)
}
