import CCmarkGFM
import Foundation

/// A rendered Markdown body, split into the blocks a page (or the full report) lays out.
public struct RenderedBody: Sendable {
    public enum Block: Sendable {
        case heading(level: Int, id: String, text: String, html: String)
        case paragraph(number: Int, html: String)
        case other(html: String)
    }
    public var blocks: [Block]

    /// The body as one HTML string: numbered paragraphs wrapped with their `#pN` anchors.
    public var html: String { html(headingShift: 0) }

    /// The body with its headings moved down a level, for pages that nest it under their own
    /// heading (the full report puts each section under an `h2`).
    public func html(headingShift shift: Int) -> String {
        var output = ""
        for block in blocks {
            switch block {
            case .heading(let level, _, _, let html):
                let to = min(level + shift, 6)
                output +=
                    shift == 0
                    ? html
                    : "<h\(to)" + html.dropFirst(3).replacingOccurrences(of: "</h\(level)>", with: "</h\(to)>")
            case .other(let html): output += html
            case .paragraph(let number, let html): output += paragraphHTML(number: number, body: html)
            }
        }
        return output
    }
}

/// A numbered paragraph: its number is a link to itself, so readers can copy "para 75" links.
func paragraphHTML(number: Int, body: String) -> String {
    "<div class=\"para\" id=\"p\(number)\"><a class=\"para-num\" href=\"#p\(number)\">"
        + "<span class=\"visually-hidden\">Paragraph </span>\(number)</a>"
        + "<div class=\"para-body\">\n\(body)</div></div>\n"
}

/// What rendering one body needs to know about the page it belongs to.
struct BodyRenderContext {
    var graph: SiteGraph
    var abbreviations: AbbreviationIndex
    /// Prefix from the page to the site root; every page showing Markdown is one folder deep.
    var base: String = "../"
    var section: Section?
    var headings: [Heading]
}

/// Render stage for Markdown: rewrites the cmark tree (links, table embeds, GFM tables,
/// acronyms, raw HTML), then renders it block by block. Runs once per body.
func renderBody(_ body: MarkdownBody, context: BodyRenderContext) -> RenderedBody {
    let root = body.document.root
    let graph = context.graph
    // Collect first, change after: replacing a node frees its subtree, which a live walk would
    // then visit.
    var rawHTML: [MarkdownNode] = []
    var links: [(MarkdownNode, LinkTarget)] = []
    var embeds: [(MarkdownNode, LinkTarget)] = []
    var tables: [MarkdownNode] = []
    for node in root.descendants {
        let type = node.type
        if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
            rawHTML.append(node)
        } else if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE, let target = graph.links[node] {
            if case .embedTable = target { embeds.append((node, target)) } else { links.append((node, target)) }
        } else if node.isTable {
            tables.append(node)
        }
    }
    // The author's raw HTML is dropped unless the site allows it; HTML the portal adds is built
    // and escaped here, so rendering can then run in cmark's unsafe mode.
    if !graph.config.allowRawHTML {
        for node in rawHTML { node.remove() }
    }
    for (node, target) in links { rewrite(node, to: target, context: context) }
    for (node, target) in embeds { rewrite(node, to: target, context: context) }
    for table in tables { table.replace(with: .html(renderMarkdownTable(table), block: true)) }
    var seen = Set<String>()
    let pageParagraphs = Set(context.section?.paragraphs.map(\.number) ?? [])
    insertAbbreviations(in: root, index: context.abbreviations, pageParagraphs: pageParagraphs, seen: &seen)

    let headingIDs = Dictionary(uniqueKeysWithValues: context.headings.map { ($0.node, $0) })
    let paragraphNumbers = Dictionary(
        uniqueKeysWithValues: (context.section?.paragraphs ?? []).map { ($0.node, $0.number) })
    var blocks: [RenderedBody.Block] = []
    for block in root.children {
        if let heading = headingIDs[block] {
            let html = block.renderHTML()
            let open = "<h\(heading.level)>"
            let withID =
                html.hasPrefix(open)
                ? "<h\(heading.level) id=\"\(heading.id)\">" + html.dropFirst(open.count) : html
            blocks.append(.heading(level: heading.level, id: heading.id, text: heading.text, html: withID))
        } else if block.isOrderedList, paragraphNumbers[block.firstChild ?? block] != nil {
            for item in block.children {
                guard let number = paragraphNumbers[item] else { continue }
                blocks.append(.paragraph(number: number, html: item.children.map { $0.renderHTML() }.joined()))
            }
        } else {
            blocks.append(.other(html: block.renderHTML()))
        }
    }
    return RenderedBody(blocks: blocks)
}

private func rewrite(_ node: MarkdownNode, to target: LinkTarget, context: BodyRenderContext) {
    switch target {
    case .external: break
    case .fragment(let fragment): node.url = "#" + fragment
    case .page(let page, let fragment):
        if let fragment, case .section(let slug) = page, slug == context.section?.slug {
            node.url = "#" + fragment
        } else {
            node.url = context.base + page.path + (fragment.map { "#" + $0 } ?? "")
        }
    case .embedTable(let id):
        guard let table = context.graph.table(id) else { return }
        let html = renderDataTable(table, base: context.base, graph: context.graph)
        if let paragraph = node.parent, paragraph.type == CMARK_NODE_PARAGRAPH, paragraph.children.count == 1 {
            paragraph.replace(with: .html(html, block: true))
        } else {
            // An embed inside running text cannot hold a table: link to the table's page instead.
            let text = node.plainText.isEmpty ? table.source.caption.value : node.plainText
            node.replace(
                with: .html(
                    "<a href=\"\(context.base)\(PageID.table(id).path)\">\(escapeHTML(text))</a>", block: false))
        }
    }
}

/// GFM tables drawn like data tables: header cells with scope, alignment by class (the `align`
/// attribute cmark writes is obsolete in HTML5).
private func renderMarkdownTable(_ table: MarkdownNode) -> String {
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
            if isHeader {
                html += "<th scope=\"col\"\(cls)>\(content)</th>"
            } else {
                html += "<td\(cls)>\(content)</td>"
            }
        }
        html += "</tr>\n"
        if isHeader { html += "</thead>\n" }
    }
    if table.children.count > 1 { html += "</tbody>\n" }
    html += "</table></div>\n"
    return html
}
