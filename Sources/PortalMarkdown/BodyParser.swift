import CCmarkGFM
import Foundation
import PortalSupport

package let externalSchemes: Set<String> = ["http", "https", "mailto", "tel"]

/// A numbered paragraph as read from the source.
public struct ParagraphFacts: Sendable, Hashable {
    public var number: Int
    public var location: SourceLocation
    /// Plain text, for excerpts and search.
    public var text: String {
        get { storedText.value }
        set { storedText = .text(newValue) }
    }
    /// The text, or where it waits in the load cache (`DeferredText`).
    package var storedText: DeferredText

    package init(number: Int, location: SourceLocation, text: String) {
        self.init(number: number, location: location, storedText: .text(text))
    }

    package init(number: Int, location: SourceLocation, storedText: DeferredText) {
        self.number = number
        self.location = location
        self.storedText = storedText
    }
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
/// and block embeds (U+0001 and a letter and a number: see `placeholderMark`), filled in once the
/// site is resolved.
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
    public var blocks: [FragmentBlock] {
        get { storedBlocks.blocks }
        set { storedBlocks = StoredBlocks(newValue) }
    }
    /// The blocks, or where they wait in the load cache (`BodyCoding.swift`).
    package var storedBlocks: StoredBlocks
    public var diagnostics: [Diagnostic]
    public var isEmpty: Bool
    /// Paragraphs that look numbered but are not read as such, each reported as an error: their
    /// numbers where they can be told (nil where not), so references to them are not reported too.
    public var lostParagraphs: [Int?] = []

    package init(
        file: String, paragraphs: [ParagraphFacts], headings: [HeadingFacts], links: [LinkFacts],
        blocks: StoredBlocks, diagnostics: [Diagnostic], isEmpty: Bool, lostParagraphs: [Int?] = []
    ) {
        self.file = file
        self.paragraphs = paragraphs
        self.headings = headings
        self.links = links
        self.storedBlocks = blocks
        self.diagnostics = diagnostics
        self.isEmpty = isEmpty
        self.lostParagraphs = lostParagraphs
    }
}

/// What parsing needs to know about the site: all of it is loaded before any Markdown.
package struct BodyEnvironment: Sendable {
    var allowRawHTML: Bool
    var abbreviations: AbbreviationIndex
    var knownAcronyms: Set<String>
    /// Words that are names, not acronyms (operation names written in capitals).
    var names: Set<String>

    package init(allowRawHTML: Bool, abbreviations: AbbreviationIndex, knownAcronyms: Set<String>, names: Set<String>) {
        self.allowRawHTML = allowRawHTML
        self.abbreviations = abbreviations
        self.knownAcronyms = knownAcronyms
        self.names = names
    }
}

/// Placeholders open with U+0001, a byte no author can put in the HTML: it is an error in a
/// body's source and in what its character references decode to (`&#1;`), cmark percent-encodes
/// it in link destinations, and the portal escapes it in glossary text. So author text such as
/// `portal-link:0` is only ever text.
package let placeholderMark: UInt8 = 0x01
let linkPlaceholderKind: UInt8 = ASCII.upperL  // "L": replaced by a link's address
package let embedPlaceholderKind: UInt8 = ASCII.upperE  // "E": replaced by a table, with the newline after it
func linkPlaceholder(_ index: Int) -> String { "\u{1}L\(index)" }
func embedPlaceholder(_ index: Int) -> String { "\u{1}E\(index)\n" }

/// Parses a body and pre-renders it. Sections number their paragraphs (top-level ordered-list
/// items); the number is the one the author wrote (`75.`), read from the source, so a repeated
/// number can be reported rather than silently renumbered.
package func parseBody(_ text: String, file: String, firstLine: Int, numbered: Bool, environment: BodyEnvironment)
    -> ParsedBody
{
    let document = MarkdownDocument(text)
    let root = document.root
    var body = BodyReader(
        root: root, locator: SourceLocator(file: file, firstLine: firstLine, lines: LineIndex(text)),
        numbered: numbered, environment: environment)
    if let sourceMark = placeholderMarkProblem(text, file: file, firstLine: firstLine) {
        body.diagnostics.append(sourceMark)
        body.decodedMarkReported = true
    }
    body.readStructure()
    let pageParagraphs = Set(body.paragraphs.map(\.number))
    body.readTree()
    // Changes come after the walk: changing a node frees its subtree, which a live walk would
    // then visit.
    body.removeRawHTML()
    body.insertLinkPlaceholders()
    for table in body.tables { table.replace(with: .html(renderMarkdownTable(table), block: true)) }
    insertAbbreviations(at: body.abbreviationSites, index: environment.abbreviations, pageParagraphs: pageParagraphs)
    return ParsedBody(
        file: file, paragraphs: body.paragraphs, headings: body.headings, links: body.links,
        blocks: StoredBlocks(body.renderedBlocks()), diagnostics: body.diagnostics, isEmpty: root.firstChild == nil,
        lostParagraphs: body.lostParagraphs)
}

/// Source locations in a body, from cmark's lines and byte columns. Columns are counted on from
/// the last one asked for: a line holding 100,000 links would otherwise be counted from its
/// start for each of them.
private struct SourceLocator {
    let file: String
    let firstLine: Int
    let lines: LineIndex
    var columns = ColumnCursor()

    mutating func location(line: Int, byteColumn: Int) -> SourceLocation {
        SourceLocation(
            file: file, line: line + firstLine - 1,
            column: columns.characterColumn(line: line, byteColumn: byteColumn, in: lines))
    }

    mutating func location(of node: MarkdownNode) -> SourceLocation {
        location(line: node.startLine, byteColumn: node.startColumn)
    }
}

/// What parsing reads off one body's cmark tree, and the state of the one walk that reads it.
private struct BodyReader {
    let root: MarkdownNode
    var locator: SourceLocator
    let numbered: Bool
    let environment: BodyEnvironment
    var lines: LineIndex { locator.lines }

    var diagnostics: [Diagnostic] = []
    var lostParagraphs: [Int?] = []
    var headings: [HeadingFacts] = []
    var headingIndex: [MarkdownNode: Int] = [:]
    var paragraphs: [ParagraphFacts] = []
    var paragraphOf: [MarkdownNode: Int] = [:]
    var links: [LinkFacts] = []
    var linkNodes: [MarkdownNode] = []
    var rawHTML: [MarkdownNode] = []
    var tables: [MarkdownNode] = []
    var abbreviationSites: [(node: MarkdownNode, words: [(range: Range<Int>, term: String)])] = []

    // The walk's state.
    /// The number of the paragraph the walk is in or last left, to tell a paragraph number that
    /// ran into the text above (the next one) from a year that begins a wrapped line.
    var lastNumber: Int?
    /// Reported once: the source's own U+0001 shows in the decoded text too.
    var decodedMarkReported = false
    /// The first paragraph after the walk's line; the walk goes down the file, so it is found by
    /// moving on, never by searching.
    var nextParagraph = 0
    var reportedAcronyms = Set<String>()
    /// The paragraph or heading whose plain text is being read, and that text.
    var owner: MarkdownNode?
    var ownerText: [UInt8] = []
    var enclosingItem: MarkdownNode?
    var imageDepth = 0
    var openTables: [MarkdownNode] = []

    init(root: MarkdownNode, locator: SourceLocator, numbered: Bool, environment: BodyEnvironment) {
        self.root = root
        self.locator = locator
        self.numbered = numbered
        self.environment = environment
    }

    /// Structure: headings and numbered paragraphs, from the top-level blocks.
    mutating func readStructure() {
        for block in root.children {
            if block.type == CMARK_NODE_HEADING {
                headingIndex[block] = headings.count
                headings.append(HeadingFacts(level: block.headingLevel, text: "", baseID: ""))
            } else if numbered, block.isOrderedList {
                for item in block.children { readParagraphNumber(item) }
            }
        }
    }

    private mutating func readParagraphNumber(_ item: MarkdownNode) {
        let line = lines.line(item.startLine)
        let start = line.startIndex + max(item.startColumn - 1, 0)
        let digits = line[min(start, line.endIndex)...].prefix { isASCIIDigit($0) }
        guard let number = Int(String(decoding: digits, as: UTF8.self)) else { return }
        let at = locator.location(of: item)
        paragraphOf[item] = paragraphs.count
        paragraphs.append(ParagraphFacts(number: number, location: at, text: ""))
        if number == 0 {
            // Which number was meant cannot be told.
            lostParagraphs.append(nil)
            diagnostics.append(
                .error("paragraph-number-invalid", "paragraph number 0", hint: "paragraph numbers start at 1", at: at))
        } else if item.firstChild == nil {
            diagnostics.append(
                .error(
                    "paragraph-empty", "paragraph \(number) has no text",
                    hint: "write the paragraph on the same line as '\(number).'", at: at))
        }
    }

    /// One walk over cmark's tree reads the plain text of paragraphs and headings, the links, the
    /// acronyms and where `<abbr>` goes, and checks text that looks numbered but is not.
    mutating func readTree() {
        let iterator = cmark_iter_new(root.raw)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = MarkdownNode(cmark_iter_get_node(iterator)) else { continue }
            if event == CMARK_EVENT_EXIT {
                leave(node)
            } else {
                enter(node)
            }
        }
    }

    private mutating func enter(_ node: MarkdownNode) {
        let type = node.type
        // Only list items and headings can start a paragraph's or heading's text; checking the
        // type first spares a dictionary look-up for every other node.
        if type == CMARK_NODE_ITEM || type == CMARK_NODE_HEADING,
            paragraphOf[node] != nil || headingIndex[node] != nil
        {
            owner = node
            ownerText.removeAll(keepingCapacity: true)
            if let index = paragraphOf[node] {
                enclosingItem = node
                lastNumber = paragraphs[index].number
            }
        }
        switch type {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE:
            guard let literal = cmark_node_get_literal(node.raw) else { return }
            let bytes = UnsafeBufferPointer(
                start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal))
            if owner != nil { ownerText.append(contentsOf: bytes) }
            guard type == CMARK_NODE_TEXT else { return }
            checkDecoded(bytes, at: node)
            readWords(bytes, of: node)
        case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
            if owner != nil { ownerText.append(ASCII.space) }
        case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING, CMARK_NODE_ITEM:
            if owner != nil, let last = ownerText.last, last != ASCII.space { ownerText.append(ASCII.space) }
            if type == CMARK_NODE_PARAGRAPH { checkLookalikes(in: node) }
        case CMARK_NODE_LIST: checkIndentedParagraph(node)
        case CMARK_NODE_CODE_BLOCK: checkIndentedCode(node)
        case CMARK_NODE_LINK, CMARK_NODE_IMAGE: readLink(node, isImage: type == CMARK_NODE_IMAGE)
        case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE: readHTML(node, isBlock: type == CMARK_NODE_HTML_BLOCK)
        default:
            if node.isTable {
                tables.append(node)
                openTables.append(node)
            }
        }
    }

    private mutating func leave(_ node: MarkdownNode) {
        if node.type == CMARK_NODE_IMAGE { imageDepth -= 1 }
        if !openTables.isEmpty, openTables.last == node { openTables.removeLast() }
        if node == owner { finishOwnerText(node) }
        if node == enclosingItem { enclosingItem = nil }
    }

    /// The plain text of a paragraph or heading, trimmed, once the walk leaves it.
    private mutating func finishOwnerText(_ node: MarkdownNode) {
        var end = ownerText.count
        while end > 0, ownerText[end - 1] == ASCII.space { end -= 1 }
        var start = 0
        while start < end, ownerText[start] == ASCII.space { start += 1 }
        let text = String(decoding: ownerText[start..<end], as: UTF8.self)
        if let index = paragraphOf[node] {
            paragraphs[index].text = text
        } else if let index = headingIndex[node] {
            headings[index].text = text
            headings[index].baseID = headingID(text)
        }
        owner = nil
    }

    /// The paragraph numbers a lost paragraph at a line would have: one after the paragraph
    /// before it, one before the paragraph after it.
    private mutating func expectedNumbers(at line: Int) -> Set<Int> {
        while nextParagraph < paragraphs.count, paragraphs[nextParagraph].location.line <= line { nextParagraph += 1 }
        var numbers = Set<Int>()
        if let lastNumber { numbers.insert(lastNumber + 1) }
        if nextParagraph < paragraphs.count { numbers.insert(paragraphs[nextParagraph].number - 1) }
        return numbers
    }

    private func sourceLine(of node: MarkdownNode) -> Int { node.startLine + locator.firstLine - 1 }

    /// A character reference that decodes to the placeholder mark is an error, reported once.
    private mutating func checkDecoded(_ bytes: UnsafeBufferPointer<UInt8>, at node: MarkdownNode) {
        guard !decodedMarkReported, let base = bytes.baseAddress,
            memchr(base, Int32(placeholderMark), bytes.count) != nil
        else { return }
        decodedMarkReported = true
        diagnostics.append(
            .error(
                "control-character", "a character reference here stands for \(characterName("\u{1}"))",
                hint: "remove it; control characters cannot appear in the report", at: locator.location(of: node)))
    }

    /// A text node's words: acronyms missing from the glossary, and glossary terms to mark.
    private mutating func readWords(_ bytes: UnsafeBufferPointer<UInt8>, of node: MarkdownNode) {
        var sites: [(range: Range<Int>, term: String)] = []
        forEachASCIIWord(bytes) { range, capitals in
            if capitals >= 2, let word = acronymCandidate(bytes, range) {
                checkAcronym(word, at: node, byteOffset: range.lowerBound)
            }
            // Glossary terms begin with a capital; most words are skipped without a lookup.
            if imageDepth == 0, openTables.isEmpty, isASCIIUppercase(bytes[range.lowerBound]),
                environment.abbreviations.mightContain(UnsafeBufferPointer(rebasing: bytes[range])),
                let term = environment.abbreviations.term(
                    for: Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)))
            {
                sites.append((range, term))
            }
        }
        if !sites.isEmpty { abbreviationSites.append((node, sites)) }
    }

    private mutating func checkAcronym(_ word: String, at node: MarkdownNode, byteOffset: Int) {
        let singular = word.hasSuffix("s") ? String(word.dropLast()) : word
        let known = environment.knownAcronyms
        if known.contains(word) || known.contains(singular) || environment.names.contains(word.uppercased())
            || environment.names.contains(singular.uppercased()) || !reportedAcronyms.insert(singular).inserted
        {
            return
        }
        diagnostics.append(
            .warning(
                "acronym-missing", "acronym '\(singular)' is not in the glossary",
                hint: "add '- {term: \(singular), expansion: ...}' to \(SitePath.glossary)",
                at: locator.location(line: node.startLine, byteColumn: node.startColumn + byteOffset)))
    }

    /// Paragraph numbers and bullets Markdown would not read as such (`Lookalikes.swift`).
    private mutating func checkLookalikes(in node: MarkdownNode) {
        let parent = node.parent
        let context: NumberContext? =
            !numbered
            ? nil : parent == root ? .topLevel : parent.flatMap { paragraphOf[$0] } != nil ? .inParagraph : nil
        let line = sourceLine(of: node)
        let lines = self.lines
        var locator = self.locator
        let found = lookalikeProblems(
            in: node, lines: lines, numbers: context, expected: { expectedNumbers(at: line) },
            location: { locator.location(line: $0, byteColumn: $1) })
        self.locator = locator
        diagnostics += found.problems
        lostParagraphs += found.lost
    }

    /// An ordered list below the top that starts at the number due there is that paragraph,
    /// indented or quoted by mistake; any other number starts a list of points.
    private mutating func checkIndentedParagraph(_ node: MarkdownNode) {
        let start = Int(cmark_node_get_list_start(node.raw))
        guard numbered, node.isOrderedList, let parent = node.parent, parent != root,
            expectedNumbers(at: sourceLine(of: node)).contains(start)
        else { return }
        let container =
            paragraphOf[parent].map { "indented under paragraph \(paragraphs[$0].number), so it is part of it" }
            ?? (parent.type == CMARK_NODE_BLOCK_QUOTE
                ? "inside a quote ('>'), so it is not numbered"
                : "inside a bullet or quote, so it is not numbered")
        lostParagraphs.append(start)
        diagnostics.append(
            .error(
                "paragraph-indented", "paragraph \(start) is \(container)",
                hint: "start '\(start).' at the beginning of the line", at: locator.location(of: node)))
    }

    /// A paragraph indented four spaces, which Markdown reads as code.
    private mutating func checkIndentedCode(_ node: MarkdownNode) {
        let parent = node.parent
        guard numbered, !node.isFencedCode, parent == root || parent.flatMap({ paragraphOf[$0] }) != nil else {
            return
        }
        let lines = self.lines
        var locator = self.locator
        let found = indentedNumberProblem(node, lines: lines, location: { locator.location(line: $0, byteColumn: $1) })
        self.locator = locator
        if let found {
            diagnostics.append(found.problem)
            lostParagraphs.append(found.lost)
        }
    }

    private mutating func readLink(_ node: MarkdownNode, isImage: Bool) {
        if isImage { imageDepth += 1 }
        if let title = cmark_node_get_title(node.raw) {
            checkDecoded(
                UnsafeBufferPointer(
                    start: UnsafeRawPointer(title).assumingMemoryBound(to: UInt8.self), count: strlen(title)),
                at: node)
        }
        links.append(
            LinkFacts(
                url: node.url, isImage: isImage, hasText: node.firstChild != nil, location: locator.location(of: node),
                paragraph: enclosingItem.flatMap { paragraphOf[$0] }.map { paragraphs[$0].number }))
        linkNodes.append(node)
    }

    /// Raw HTML, kept to be removed later; a top-level HTML block may hide a numbered paragraph.
    private mutating func readHTML(_ node: MarkdownNode, isBlock: Bool) {
        rawHTML.append(node)
        guard numbered, isBlock, node.parent == root else { return }
        let expected = expectedNumbers(at: sourceLine(of: node))
        let lines = self.lines
        var locator = self.locator
        let found = htmlBlockNumberProblem(
            node, lines: lines, expected: expected, location: { locator.location(line: $0, byteColumn: $1) })
        self.locator = locator
        if let found {
            diagnostics.append(found.problem)
            if found.problem.severity == .error { lostParagraphs.append(found.lost) }
        }
    }

    /// The author's raw HTML goes unless the site allows it; everything the portal inserts is
    /// escaped where it is built, so the tree can be rendered in cmark's unsafe mode.
    mutating func removeRawHTML() {
        guard !environment.allowRawHTML, let first = rawHTML.first else { return }
        // Left out, but not silently.
        diagnostics.append(
            .warning(
                "raw-html-removed",
                "HTML in the text is left out" + (rawHTML.count > 1 ? " (\(rawHTML.count) places in this file)" : ""),
                hint: "write it in Markdown, or set 'allow_raw_html: true' in \(SitePath.siteFile)",
                at: locator.location(of: first)))
        for node in rawHTML { node.remove() }
    }

    /// Internal links get placeholders, filled in once every target is known. External links and
    /// same-page fragments stay as written, so cmark escapes them as usual. Last first: an image
    /// replaced here frees the links in its description, which must be done with by then.
    func insertLinkPlaceholders() {
        for (index, node) in linkNodes.enumerated().reversed() {
            let url = links[index].url
            if url.hasPrefix("#") || isExternal(url) { continue }
            if links[index].isImage, url.lowercased().hasPrefix("table:") {
                if let paragraph = node.parent, paragraph.type == CMARK_NODE_PARAGRAPH, paragraph.children.count == 1 {
                    paragraph.replace(with: .html(embedPlaceholder(index), block: true))
                } else {
                    // A table cannot sit inside running text: link to its page instead.
                    let label = node.plainText.isEmpty ? "the table" : node.plainText
                    node.replace(
                        with: .html("<a href=\"\(linkPlaceholder(index))\">\(escapeHTML(label))</a>", block: false))
                }
                continue
            }
            // Written as cmark writes links, but by the portal: cmark would percent-encode the mark.
            let title = node.title.isEmpty ? "" : " title=\"\(escapeHTML(node.title))\""
            if links[index].isImage {
                node.replace(
                    with: .html(
                        "<img src=\"\(linkPlaceholder(index))\" alt=\"\(escapeHTML(node.plainText))\"\(title) />",
                        block: false))
            } else {
                node.unwrap(opening: "<a href=\"\(linkPlaceholder(index))\"\(title)>", closing: "</a>")
            }
        }
    }

    /// Rendered block by block; numbered paragraphs and headings are wrapped later with their ids.
    func renderedBlocks() -> [FragmentBlock] {
        var blocks: [FragmentBlock] = []
        for block in root.children {
            if let index = headingIndex[block] {
                blocks.append(.heading(index: index, level: block.headingLevel, html: innerHeadingHTML(block)))
            } else if block.isOrderedList, let first = block.firstChild, paragraphOf[first] != nil {
                for item in block.children {
                    guard let index = paragraphOf[item] else { continue }
                    let number = paragraphs[index].number
                    blocks.append(
                        .paragraph(number: number, html: item.renderHTML(unwrapping: "<li>", "</li>\n")))
                }
            } else {
                blocks.append(.other(html: block.renderHTML()))
            }
        }
        return blocks
    }
}

func isExternal(_ url: String) -> Bool {
    guard let colon = url.firstIndex(of: ":") else { return false }
    return externalSchemes.contains(url[..<colon].lowercased())
}

/// A heading's content without its `<hN>` wrapper, which is added later with the final id.
private func innerHeadingHTML(_ heading: MarkdownNode) -> String {
    let level = heading.headingLevel
    return heading.renderHTML(unwrapping: "<h\(level)>", "</h\(level)>\n")
}

/// GitHub-style heading ids: lower case, words joined by hyphens. Ids shaped like paragraph
/// anchors (`p75`) are kept apart so the two can never collide.
package func headingID(_ text: String) -> String {
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

package struct UniqueIDs {
    var taken: Set<String>
    /// The next suffix to try for each base, so a thousand "Summary" headings cost a thousand
    /// look-ups, not half a million.
    private var next: [String: Int] = [:]

    package init(taken: Set<String> = []) { self.taken = taken }

    /// `base`, or `base-2`, `base-3`, ...: the first that is free, now taken.
    package mutating func claim(_ base: String) -> String {
        guard !taken.insert(base).inserted else { return base }
        var counter = next[base] ?? 2
        var candidate = "\(base)-\(counter)"
        while taken.contains(candidate) {
            counter += 1
            candidate = "\(base)-\(counter)"
        }
        taken.insert(candidate)
        next[base] = counter + 1
        return candidate
    }
}

/// Ids the theme's page shell uses; headings never take them.
package let reservedPageIDs: Set<String> = [
    "top", "main", "main-content", "contents", "cited-in", "figures", "capabilities", "key-facts", "search",
    "site-nav", "breadcrumbs", "footer", "related", "tables", "commitments", "glossary", "boards",
    "site-search-q", "nav-menu-sections", "nav-menu-reference",
]

/// GFM tables drawn like data tables: header cells with scope, alignment by class (the `align`
/// attribute cmark writes is obsolete in HTML5). cmark renders the table once; its output puts
/// every row and cell tag on a line of its own, which is rewritten line by line, as bytes.
func renderMarkdownTable(_ table: MarkdownNode) -> String {
    var html: [UInt8] = []
    table.withRenderedHTML { rendered in
        html.reserveCapacity(rendered.count + rendered.count / 4 + 64)
        html += #"<div class="table-scroll"><table class="md-table">"#.utf8
        html.append(ASCII.newline)
        var lineStart = 0
        for index in 0...rendered.count where index == rendered.count || rendered[index] == ASCII.newline {
            defer { lineStart = index + 1 }
            let line = UnsafeBufferPointer(rebasing: rendered[lineStart..<index])
            guard !line.isEmpty else { continue }
            if line.elementsEqual("<table>".utf8) || line.elementsEqual("</table>".utf8) { continue }
            if line.elementsEqual("<tr>".utf8) {
                html += line
                continue
            }
            let forms =
                line.starts(with: "<th ".utf8) || line.starts(with: "<th>".utf8)
                ? headerCellForms : line.starts(with: "<td".utf8) ? dataCellForms : []
            if let (prefix, replacement) = forms.first(where: { line.starts(with: $0.0) }) {
                html += replacement
                html += line[prefix.count...]
            } else {
                html += line
            }
            // Cells run on inside their row; every other line ends as cmark ended it.
            if forms.isEmpty { html.append(ASCII.newline) }
        }
    }
    html += "</table></div>\n".utf8
    return String(decoding: html, as: UTF8.self)
}

/// cmark's opening cell tags and what they become, built once: `<td align="right">` becomes
/// `<td class="num">`.
private let headerCellForms = cellForms(name: "th", extra: #" scope="col""#)
private let dataCellForms = cellForms(name: "td", extra: "")

private func cellForms(name: String, extra: String) -> [([UInt8], [UInt8])] {
    [
        ("<\(name)>", "<\(name)\(extra)>"), ("<\(name) align=\"right\">", "<\(name)\(extra) class=\"num\">"),
        ("<\(name) align=\"center\">", "<\(name)\(extra) class=\"centre\">"),
        ("<\(name) align=\"left\">", "<\(name)\(extra)>"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }
}

/// Character columns counted on from the previous question when it was on the same line and
/// further left, which is how a walk over the tree asks: linear on a line of any length.
struct ColumnCursor {
    private var line = 0
    private var byteColumn = 1
    private var characters = 0

    mutating func characterColumn(line: Int, byteColumn: Int, in lines: LineIndex) -> Int {
        let text = lines.line(line)
        guard byteColumn > 1, !text.isEmpty else { return max(byteColumn, 1) }
        if line != self.line || byteColumn < self.byteColumn {
            self.line = line
            self.byteColumn = 1
            characters = 0
        }
        let from = text.startIndex + min(self.byteColumn - 1, text.count)
        let to = text.startIndex + min(byteColumn - 1, text.count)
        // The text is valid UTF-8, so every byte but a continuation byte starts a character.
        for byte in text[from..<to] where !isUTF8Continuation(byte) { characters += 1 }
        self.byteColumn = byteColumn
        return characters + 1
    }
}
