import Foundation

/// A rendered Markdown body, split into the blocks a page (or the full report) lays out.
public struct RenderedBody: Sendable {
    public enum Block: Sendable {
        case heading(level: Int, id: String, text: String, html: String)
        case paragraph(number: Int, html: String)
        case other(html: String)
    }
    public var blocks: [Block]
    /// Names the body in the markers around it, e.g. `threats/terrorism`.
    public var key: String = ""

    /// The body as one HTML string: numbered paragraphs wrapped with their `#pN` anchors.
    public var html: String { html(headingShift: 0) }

    /// The body with its headings moved down a level, for pages that nest it under their own
    /// heading (the full report puts each section under an `h2`).
    public func html(headingShift shift: Int) -> String {
        // Comment markers delimit the body in every page that shows it, so an edit that changes
        // only the text can be spliced into those pages without rendering the site again.
        guard !blocks.isEmpty else { return "" }
        var output = fragmentStart(key)
        for block in blocks {
            switch block {
            case .heading(let level, let id, _, let html):
                let to = min(level + shift, 6)
                output += "<h\(to) id=\"\(id)\">\(html)</h\(to)>\n"
            case .other(let html): output += html
            case .paragraph(let number, let html): output += paragraphHTML(number: number, body: html)
            }
        }
        return output + fragmentEnd
    }
}

/// Markers around a fragment of a page that depends on one source file's text.
func fragmentStart(_ key: String) -> String { "<!--portal:\(key)-->" }
let fragmentEnd = "<!--/portal-->"

/// A numbered paragraph: its number is a link to itself, so readers can copy "para 75" links.
func paragraphHTML(number: Int, body: String) -> String {
    "<div class=\"para\" id=\"p\(number)\"><a class=\"para-num\" href=\"#p\(number)\">"
        + "<span class=\"visually-hidden\">Paragraph </span>\(number)</a>"
        + "<div class=\"para-body\">\n\(body)</div></div>\n"
}

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
            if let fragment, case .section(let slug) = page, slug == section { return "#" + fragment }
            return base + page.path + (fragment.map { "#" + $0 } ?? "")
        }
    }
    return BodyLinks(hrefs: hrefs, embeds: embeds)
}

/// Render stage for Markdown: fills the placeholders parsing left for internal links and table
/// embeds, and gives headings their ids.
func finishBody(_ body: ParsedBody, links: BodyLinks, headingIDs: [String], key: String) -> RenderedBody {
    let href = { (index: Int) in index < links.hrefs.count ? links.hrefs[index] : "#" }
    let embed = { (index: Int) in links.embeds[index] ?? "" }
    let blocks: [RenderedBody.Block] = body.blocks.map { block in
        switch block {
        case .heading(let index, let level, let html):
            return .heading(
                level: level, id: headingIDs[index], text: body.headings[index].text,
                html: fillPlaceholders(html, href, embed))
        case .paragraph(let number, let html):
            return .paragraph(number: number, html: fillPlaceholders(html, href, embed))
        case .other(let html):
            return .other(html: fillPlaceholders(html, href, embed))
        }
    }
    return RenderedBody(blocks: blocks, key: key)
}

/// Replaces `portal-link:N` with link N's address and `<!--portal-embed:N-->` with table N,
/// copying the UTF-8 bytes between placeholders in whole runs.
func fillPlaceholders(_ html: String, _ href: (Int) -> String, _ embed: (Int) -> String) -> String {
    var source = html
    return source.withUTF8 { bytes -> String in
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
        var output: [UInt8] = []
        var copied = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x70, matches(link, at: index) {  // "p"
                if output.isEmpty { output.reserveCapacity(bytes.count + 256) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                let (value, end) = number(from: index + link.count)
                output.append(contentsOf: href(value).utf8)
                index = end
                copied = end
            } else if byte == 0x3C, matches(block, at: index) {  // "<"
                if output.isEmpty { output.reserveCapacity(bytes.count + 4096) }
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
        if copied == 0 { return html }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<bytes.count]))
        return String(decoding: output, as: UTF8.self)
    }
}
