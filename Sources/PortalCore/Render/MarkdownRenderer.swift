import Foundation

/// A body's final HTML, as UTF-8 bytes: its placeholders filled with the resolved links and
/// table embeds, numbered paragraphs wrapped with their `#pN` anchors, headings given their ids
/// (and moved down `headingShift` levels for pages that nest the body under their own heading:
/// the full report puts each section under an `h2`). Made when a page needs it, straight into
/// one buffer, and not kept: the site's bodies are never all in memory at once.
func bodyHTML(_ body: ParsedBody, links: BodyLinks, headingIDs: [String], key: String, headingShift shift: Int = 0)
    -> [UInt8]
{
    guard !body.blocks.isEmpty else { return [] }
    let href = { (index: Int) in index < links.hrefs.count ? links.hrefs[index] : "#" }
    let embed = { (index: Int) in links.embeds[index] ?? "" }
    var output: [UInt8] = []
    output.reserveCapacity(body.blocks.count * 1_200)
    // Comment markers delimit the body in every page that shows it, so an edit that changes
    // only the text can be spliced into those pages without rendering the site again.
    output += fragmentStart(key).utf8
    for block in body.blocks {
        switch block {
        case .heading(let index, let level, let html):
            let to = UInt8(0x30 + min(level + shift, 6))
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
    output += fragmentEnd.utf8
    return output
}

/// Markers around a fragment of a page that depends on one source file's text.
func fragmentStart(_ key: String) -> String { "<!--portal:\(key)-->" }
let fragmentEnd = "<!--/portal-->"

/// Where a body's links point and what its embeds draw, as final HTML, once the site is resolved.
struct BodyLinks: Sendable {
    var hrefs: [String]
    var embeds: [Int: String]
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
        }
    }
    return BodyLinks(hrefs: hrefs, embeds: embeds)
}

/// Replaces `portal-link:N` with link N's address and `<!--portal-embed:N-->` with table N,
/// copying the UTF-8 bytes between placeholders in whole runs.
func fillPlaceholders(
    _ html: String, _ href: (Int) -> String, _ embed: (Int) -> String, into output: inout [UInt8]
) {
    var source = html
    source.withUTF8 { bytes in
        let link = Array(linkPlaceholder.utf8)
        let block = Array(embedPlaceholder.utf8)
        func matches(_ pattern: [UInt8], at position: Int) -> Bool {
            guard position + pattern.count <= bytes.count else { return false }
            for offset in 0..<pattern.count where bytes[position + offset] != pattern[offset] { return false }
            return true
        }
        func number(from position: Int) -> (Int, Int) {
            var end = position
            var value = 0
            while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 {
                value = value * 10 + Int(bytes[end] - 0x30)
                end += 1
            }
            return (value, end)
        }
        var copied = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x70, matches(link, at: index) {  // "p"
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                let (value, end) = number(from: index + link.count)
                output.append(contentsOf: href(value).utf8)
                index = end
                copied = end
            } else if byte == 0x3C, matches(block, at: index) {  // "<"
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                let (value, end) = number(from: index + block.count)
                output.append(contentsOf: embed(value).utf8)
                // Skip the comment's closing "-->" and the newline cmark put after the block.
                index = end + 3
                if index < bytes.count, bytes[index] == 0x0A { index += 1 }
                copied = index
            } else {
                index += 1
            }
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<bytes.count]))
    }
}
