import CCmarkGFM
import Foundation

/// A numbered paragraph as read from the source.
public struct ParagraphFacts: Sendable, Hashable {
    public var number: Int
    public var location: SourceLocation
    /// Plain text, for excerpts and search.
    public var text: String
}

public struct HeadingFacts: Sendable, Hashable {
    public var level: Int
    public var text: String
    /// The id before it is made unique across the report.
    public var baseID: String
}

/// A link or image destination as written, with where it is.
public struct LinkFacts: Sendable, Hashable {
    public var url: String
    public var isImage: Bool
    /// Whether an image has alternative text (or a link has text).
    public var hasText: Bool
    public var location: SourceLocation
    /// The numbered paragraph the link sits in, for backlinks.
    public var paragraph: Int?
}

/// A piece of rendered body. HTML here still holds placeholders for internal links
/// (`portal-link:N`) and block embeds (`<!--portal-embed:N-->`), filled in once the site is resolved.
public enum FragmentBlock: Sendable, Hashable {
    case heading(index: Int, level: Int, html: String)
    case paragraph(number: Int, html: String)
    case other(html: String)
}

/// Everything the pipeline needs from one Markdown body, read in a single pass over cmark's tree.
/// The tree is freed afterwards, so a 50,000-page site never holds 50,000 trees in memory.
public struct ParsedBody: Sendable, Hashable {
    public var file: String
    public var paragraphs: [ParagraphFacts]
    public var headings: [HeadingFacts]
    public var links: [LinkFacts]
    public var blocks: [FragmentBlock]
    public var diagnostics: [Diagnostic]
    public var isEmpty: Bool
}

/// What parsing needs to know about the site: all of it is loaded before any Markdown.
struct BodyEnvironment: Sendable {
    var allowRawHTML: Bool
    var abbreviations: AbbreviationIndex
    var knownAcronyms: Set<String>
    /// Words that are names, not acronyms (operation names written in capitals).
    var names: Set<String>
}

let linkPlaceholder = "portal-link:"
let embedPlaceholder = "<!--portal-embed:"

/// Parses a body and pre-renders it. Sections number their paragraphs (top-level ordered-list
/// items); the number is the one the author wrote (`75.`), read from the source, so a repeated
/// number can be reported rather than silently renumbered.
func parseBody(_ text: String, file: String, firstLine: Int, numbered: Bool, environment: BodyEnvironment)
    -> ParsedBody
{
    let document = MarkdownDocument(text)
    let lines = LineIndex(text)
    let root = document.root
    func location(line: Int, byteColumn: Int) -> SourceLocation {
        SourceLocation(
            file: file, line: line + firstLine - 1, column: lines.characterColumn(line: line, byteColumn: byteColumn))
    }
    func location(of node: MarkdownNode) -> SourceLocation {
        location(line: node.startLine, byteColumn: node.startColumn)
    }

    // Structure: headings and numbered paragraphs.
    var headings: [HeadingFacts] = []
    var headingIndex: [MarkdownNode: Int] = [:]
    var paragraphs: [ParagraphFacts] = []
    var paragraphOf: [MarkdownNode: Int] = [:]
    for block in root.children {
        if block.type == CMARK_NODE_HEADING {
            headingIndex[block] = headings.count
            let text = block.plainText
            headings.append(HeadingFacts(level: block.headingLevel, text: text, baseID: headingID(text)))
        } else if numbered, block.isOrderedList {
            for item in block.children {
                let line = lines.line(item.startLine)
                let start = line.startIndex + max(item.startColumn - 1, 0)
                let digits = line[min(start, line.endIndex)...].prefix { $0 >= 0x30 && $0 <= 0x39 }
                guard let number = Int(String(decoding: digits, as: UTF8.self)) else { continue }
                paragraphOf[item] = number
                paragraphs.append(ParagraphFacts(number: number, location: location(of: item), text: item.plainText))
            }
        }
    }

    // One walk collects what the next steps change; changing a node frees its subtree, which a
    // live walk would then visit.
    var links: [LinkFacts] = []
    var linkNodes: [MarkdownNode] = []
    var rawHTML: [MarkdownNode] = []
    var tables: [MarkdownNode] = []
    var diagnostics: [Diagnostic] = []
    var reportedAcronyms = Set<String>()
    for node in root.descendants {
        let type = node.type
        if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
            let url = node.url
            links.append(
                LinkFacts(
                    url: url, isImage: type == CMARK_NODE_IMAGE, hasText: node.firstChild != nil,
                    location: location(of: node), paragraph: enclosingParagraph(of: node, in: paragraphOf)))
            linkNodes.append(node)
        } else if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
            rawHTML.append(node)
        } else if type == CMARK_NODE_TEXT, let literal = node.literal {
            for (word, offset) in acronymCandidatesWithOffsets(in: literal) {
                let singular = word.hasSuffix("s") ? String(word.dropLast()) : word
                if environment.knownAcronyms.contains(word) || environment.knownAcronyms.contains(singular)
                    || environment.names.contains(word.uppercased())
                    || environment.names.contains(singular.uppercased())
                    || !reportedAcronyms.insert(singular).inserted
                {
                    continue
                }
                diagnostics.append(
                    .warning(
                        "acronym-missing", "acronym '\(singular)' is not in the glossary",
                        hint: "add '- {term: \(singular), expansion: ...}' to Content/data/glossary.yaml",
                        at: location(line: node.startLine, byteColumn: node.startColumn + offset)))
            }
        } else if node.isTable {
            tables.append(node)
        }
    }

    // The author's raw HTML goes unless the site allows it; everything the portal inserts below
    // is escaped where it is built, so the tree can be rendered in cmark's unsafe mode.
    if !environment.allowRawHTML {
        for node in rawHTML { node.remove() }
    }
    // Internal links get placeholders, filled in once every target is known. External links and
    // same-page fragments stay as written, so cmark escapes them as usual.
    for (index, node) in linkNodes.enumerated() {
        let url = links[index].url
        if url.hasPrefix("#") || isExternal(url) { continue }
        if links[index].isImage, url.lowercased().hasPrefix("table:") {
            if let paragraph = node.parent, paragraph.type == CMARK_NODE_PARAGRAPH, paragraph.children.count == 1 {
                paragraph.replace(with: .html("\(embedPlaceholder)\(index)-->\n", block: true))
            } else {
                // A table cannot sit inside running text: link to its page instead.
                let label = node.plainText.isEmpty ? "the table" : node.plainText
                node.replace(
                    with: .html("<a href=\"\(linkPlaceholder)\(index)\">\(escapeHTML(label))</a>", block: false))
            }
            continue
        }
        node.url = linkPlaceholder + String(index)
    }
    for table in tables { table.replace(with: .html(renderMarkdownTable(table), block: true)) }
    var seen = Set<String>()
    insertAbbreviations(
        in: root, index: environment.abbreviations, pageParagraphs: Set(paragraphs.map(\.number)), seen: &seen)

    // Render block by block; numbered paragraphs and headings are wrapped later with their ids.
    var blocks: [FragmentBlock] = []
    for block in root.children {
        if let index = headingIndex[block] {
            blocks.append(.heading(index: index, level: block.headingLevel, html: innerHeadingHTML(block)))
        } else if block.isOrderedList, let first = block.firstChild, paragraphOf[first] != nil {
            for item in block.children {
                guard let number = paragraphOf[item] else { continue }
                blocks.append(.paragraph(number: number, html: item.children.map { $0.renderHTML() }.joined()))
            }
        } else {
            blocks.append(.other(html: block.renderHTML()))
        }
    }
    return ParsedBody(
        file: file, paragraphs: paragraphs, headings: headings, links: links, blocks: blocks,
        diagnostics: diagnostics, isEmpty: root.firstChild == nil)
}

func isExternal(_ url: String) -> Bool {
    guard let colon = url.firstIndex(of: ":") else { return false }
    return externalSchemes.contains(url[..<colon].lowercased())
}

private func enclosingParagraph(of node: MarkdownNode, in items: [MarkdownNode: Int]) -> Int? {
    var current: MarkdownNode? = node
    while let candidate = current {
        if let number = items[candidate] { return number }
        current = candidate.parent
    }
    return nil
}

/// A heading's content without its `<hN>` wrapper, which is added later with the final id.
private func innerHeadingHTML(_ heading: MarkdownNode) -> String {
    heading.children.map { $0.renderHTML() }.joined()
}

/// GitHub-style heading ids: lower case, words joined by hyphens. Ids shaped like paragraph
/// anchors (`p75`) are kept apart so the two can never collide.
func headingID(_ text: String) -> String {
    var id = ""
    var pendingHyphen = false
    for scalar in text.lowercased().unicodeScalars {
        if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
            if pendingHyphen && !id.isEmpty { id += "-" }
            id.unicodeScalars.append(scalar)
            pendingHyphen = false
        } else if scalar != "’" && scalar != "'" {
            pendingHyphen = true
        }
    }
    if id.isEmpty { id = "section" }
    if id.first == "p", id.dropFirst().allSatisfy(\.isASCIIDigit), id.count > 1 { id += "-heading" }
    return id
}

func uniqueID(_ base: String, taken: inout Set<String>) -> String {
    var candidate = base
    var counter = 2
    while taken.contains(candidate) {
        candidate = "\(base)-\(counter)"
        counter += 1
    }
    taken.insert(candidate)
    return candidate
}

/// Ids the theme's page shell uses; headings never take them.
let reservedPageIDs: Set<String> = [
    "top", "main", "main-content", "contents", "cited-in", "figures", "capabilities", "key-facts", "search",
    "site-nav", "breadcrumbs", "footer", "related", "tables", "commitments", "glossary", "boards",
    "site-search-q", "nav-menu-sections", "nav-menu-reference",
]

/// GFM tables drawn like data tables: header cells with scope, alignment by class (the `align`
/// attribute cmark writes is obsolete in HTML5).
func renderMarkdownTable(_ table: MarkdownNode) -> String {
    let columns = Int(cmark_gfm_extensions_get_table_columns(table.raw))
    var alignments: [UInt8] = []
    if let pointer = cmark_gfm_extensions_get_table_alignments(table.raw) {
        alignments = (0..<columns).map { pointer[$0] }
    }
    var html = "<div class=\"table-scroll\"><table class=\"md-table\">\n"
    for (rowIndex, row) in table.children.enumerated() {
        let isHeader = rowIndex == 0
        if isHeader { html += "<thead>\n" } else if rowIndex == 1 { html += "<tbody>\n" }
        html += "<tr>"
        for (column, cell) in row.children.enumerated() {
            let align = column < alignments.count ? alignments[column] : 0
            let cls =
                align == UInt8(ascii: "r") ? " class=\"num\"" : align == UInt8(ascii: "c") ? " class=\"centre\"" : ""
            let content = cell.children.map { $0.renderHTML() }.joined()
            html += isHeader ? "<th scope=\"col\"\(cls)>\(content)</th>" : "<td\(cls)>\(content)</td>"
        }
        html += "</tr>\n"
        if isHeader { html += "</thead>\n" }
    }
    if table.children.count > 1 { html += "</tbody>\n" }
    html += "</table></div>\n"
    return html
}
