import Foundation
import PortalLoad
import PortalMarkdown
import PortalResolve
import PortalSupport

/// A body's final HTML, as UTF-8 bytes: its placeholders filled with the resolved links and
/// table embeds, numbered paragraphs wrapped with their `#pN` anchors, headings given their ids
/// (and moved down `headingShift` levels for pages that nest the body under their own heading:
/// the full report puts each section under an `h2`). Made when a page needs it, straight into
/// one buffer, and not kept: the site's bodies are never all in memory at once.
package func bodyHTML(_ body: ParsedBody, links: BodyLinks, headingIDs: [String], headingShift shift: Int = 0)
    -> [UInt8]
{
    guard !body.blocks.isEmpty else { return [] }
    let href = { (index: Int) in index < links.hrefs.count ? links.hrefs[index] : "#" }
    let embed = { (index: Int) in links.embeds[index] ?? "" }
    var output: [UInt8] = []
    output.reserveCapacity(body.blocks.count * 1_200)
    for block in body.blocks {
        switch block {
        case .heading(let index, let level, let html):
            let to = ASCII.zero + UInt8(min(level + shift, 6))
            output += "<h".utf8
            output.append(to)
            output += " id=\"".utf8
            output += headingIDs[index].utf8
            output += "\">".utf8
            fillPlaceholders(html, href, embed, into: &output)
            output += "</h".utf8
            output.append(to)
            output += ">\n".utf8
        case .paragraph(let number, let html):
            // A numbered paragraph: its number links to itself, so readers can copy "para 75" links.
            // Written piece by piece: ten thousand pages hold a hundred thousand of these.
            let digits = Int64(number)
            output += "<div class=\"para\" id=\"p".utf8
            appendDecimal(digits, to: &output)
            output += "\"><a class=\"para-num\" href=\"#p".utf8
            appendDecimal(digits, to: &output)
            output += "\"><span class=\"visually-hidden\">Paragraph </span>".utf8
            appendDecimal(digits, to: &output)
            output += "</a><div class=\"para-body\">\n".utf8
            fillPlaceholders(html, href, embed, into: &output)
            output += "</div></div>\n".utf8
        case .other(let html):
            fillPlaceholders(html, href, embed, into: &output)
        }
    }
    return output
}

/// Where a body's links point and what its embeds draw, as final HTML, once the site is resolved.
package struct BodyLinks: Sendable {
    package var hrefs: [String]
    package var embeds: [Int: String]

    package init(hrefs: [String], embeds: [Int: String]) {
        self.hrefs = hrefs
        self.embeds = embeds
    }
}

/// Every page showing report Markdown sits one folder deep, so one result serves the section
/// page and the full report alike.
func bodyLinks(_ links: [LinkTarget?], section: String?, graph: SiteGraph) -> BodyLinks {
    let base = "../"
    var embeds: [Int: String] = [:]
    let hrefs = links.enumerated().map { index, target -> String in
        guard let target else { return "#" }
        switch target {
        case .external(let url): return url
        case .fragment(let fragment): return "#" + fragment
        case .embedTable(let id):
            if let table = graph.table(id) { embeds[index] = renderDataTable(table, base: base, graph: graph) }
            return base + PageID.table(id).path
        case .page(let page, let fragment):
            if let fragment, case .section(let slug, _) = page, slug == section { return "#" + fragment }
            return base + page.path + (fragment.map { "#" + $0 } ?? "")
        case .edition(let path, let fragment):
            // A recorded edition's own pages sit two folders below the site's root.
            let toRoot = graph.editions.building == nil ? base : base + "../../"
            return toRoot + path + (fragment.map { "#" + $0 } ?? "")
        }
    }
    return BodyLinks(hrefs: hrefs, embeds: embeds)
}

/// Replaces each link placeholder (U+0001 `L` N) with link N's address and each embed
/// placeholder (U+0001 `E` N and a newline) with table N, copying the UTF-8 bytes between
/// placeholders in whole runs. Only the portal can write U+0001 into a body's HTML, so nothing
/// an author wrote is ever taken for one.
func fillPlaceholders(
    _ html: String, _ href: (Int) -> String, _ embed: (Int) -> String, into output: inout [UInt8]
) {
    var source = html
    source.withUTF8 { bytes in
        var copied = 0
        var index = 0
        // memchr: the body is scanned at C speed between placeholders, in any build.
        while index < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + index, Int32(placeholderMark), bytes.count - index)
        {
            let mark = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<mark]))
            let kind = mark + 1 < bytes.count ? bytes[mark + 1] : 0
            var end = mark + 2
            var value = 0
            while end < bytes.count, bytes[end] >= ASCII.zero, bytes[end] <= ASCII.nine {
                value = value * 10 + Int(bytes[end] - ASCII.zero)
                end += 1
            }
            if kind == embedPlaceholderKind {
                output.append(contentsOf: embed(value).utf8)
                // The newline cmark ends the block with goes with the placeholder.
                if end < bytes.count, bytes[end] == ASCII.newline { end += 1 }
            } else {
                output.append(contentsOf: href(value).utf8)
            }
            index = min(end, bytes.count)
            copied = index
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<bytes.count]))
    }
}
