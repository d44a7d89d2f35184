import PortalLoad
import PortalResolve
import PortalSupport
import PortalTemplates

/// "What changed" since the edition before this one: the report's page (`changes/index.html`)
/// and one per section (`changes/<slug>.html`). Links to this edition's pages are relative to
/// this graph's own root in the site (`""`, or `editions/<id>/` for a recorded edition), links to
/// the edition before go to its folder (`editions/<id>/`), so every link works from any edition.

/// The changes pages a graph has: none without an edition before it; else the report's and one
/// per section of either edition. The set depends only on the two editions' section lists, never
/// on any text, so a rebuild after a text edit never adds or drops a page, and a section page can
/// always link to its own.
func changesPages(_ graph: SiteGraph) -> [PageID] {
    guard graph.changes != nil, let previous = graph.editions.previous else { return [] }
    return [.changes] + changeSectionSlugs(graph, previous: previous.snapshot).map { .sectionChanges($0) }
}

/// This edition's sections in report order, then those only the edition before had.
func changeSectionSlugs(_ graph: SiteGraph, previous: EditionSnapshot) -> [String] {
    let current = graph.sections.map(\.slug)
    let known = Set(current)
    return current + previous.sections.map(\.slug).filter { !known.contains($0) }
}

/// Where a changes page's links go: this edition's pages and the previous edition's.
struct EditionLinker {
    var from: PageID
    /// This graph's root in the site, and the previous edition's.
    var root: String
    var previousRoot: String
    var previous: EditionHistory.Recorded
    var graph: SiteGraph

    init(from: PageID, graph: SiteGraph, previous: EditionHistory.Recorded) {
        self.from = from
        self.graph = graph
        self.previous = previous
        root = graph.editions.building?.folder ?? ""
        previousRoot = previous.info.folder
    }

    func here(_ path: String, fragment: String? = nil) -> String {
        relativeURL(from: root + from.path, to: root + path) + (fragment.map { "#" + $0 } ?? "")
    }

    func before(_ path: String, fragment: String? = nil) -> String {
        relativeURL(from: root + from.path, to: previousRoot + path) + (fragment.map { "#" + $0 } ?? "")
    }

    /// A paragraph of this edition, on its section's page.
    func paragraph(_ paragraph: EditionSnapshot.Paragraph) -> String? {
        graph.sectionPage(paragraph.section).map { here($0.path, fragment: "p\(paragraph.number)") }
    }

    /// A paragraph of the edition before, on its section's page there.
    func previousParagraph(_ paragraph: EditionSnapshot.Paragraph) -> String? {
        graph.changes?.previousSections[paragraph.section].map { before($0.path, fragment: "p\(paragraph.number)") }
    }
}

/// The edition compared with, as every changes page names it.
private func sinceValues(_ previous: EditionHistory.Recorded, linker: EditionLinker) -> TemplateObject {
    var values: TemplateObject = [
        "since_title": .text(previous.info.name), "since_id": .text(previous.info.id),
        "since_href": .text(linker.before(PageID.home.path)),
    ]
    if let text = previous.info.date, let date = PartialDate(text) {
        values["since_date"] = .text(date.formatted)
        values["since_date_iso"] = .text(date.iso)
    }
    return values
}

/// What the home and section pages link to: the changes page, and the edition it compares with.
func changesLinkValues(_ graph: SiteGraph, from page: PageID, to target: PageID) -> [(String, TemplateValue)] {
    guard graph.changes != nil, let previous = graph.editions.previous else { return [] }
    return [
        ("changes_href", .text(relativeURL(from: page.path, to: target.path))),
        ("changes_since", .text(previous.info.name)),
    ]
}

func changesPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let changes = graph.changes!
    let previous = graph.editions.previous!
    let linker = EditionLinker(from: .changes, graph: graph, previous: previous)
    _ = context.editionChanges(inSection: nil)
    let titles = SectionTitles(graph: graph, changes: changes)
    var values = sinceValues(previous, linker: linker)
    values["section_counts"] = .list(
        changeSectionSlugs(graph, previous: previous.snapshot).map { slug in
            let counts = changes.counts(inSection: slug)
            return [
                "title": .text(titles[slug] ?? slug), "href": .text(linker.here(PageID.sectionChanges(slug).path)),
                "changed_count": .number(counts.changed), "added_count": .number(counts.added),
                "removed_count": .number(counts.removed), "moved_count": .number(counts.moved),
            ]
        })
    values["changes_summary"] = .text(paragraphSummary(changes.visibleParagraphs))
    let html: [(String, String)] = [
        ("figures_html", figureChangesHTML(changes.figures, titles: titles, linker: linker)),
        ("cells_html", cellChangesHTML(changes.cells, linker: linker)),
        ("trends_html", trendsHTML(changes.trends, titles: titles)),
        ("commitments_html", commitmentFollowUpsHTML(changes.commitments, titles: titles, linker: linker)),
    ]
    // Only what there is: Mustache shows a section for an empty string too.
    for (key, text) in html where !text.isEmpty { values[key] = .text(text) }
    let since = previous.info.name
    values["title"] = .text("What changed since \(since)")
    return BuiltPage(
        template: "changes", title: "What changed since \(since)",
        description: "Paragraphs, figures and commitments that changed since \(since)", context: values,
        sources: graph.sections.map(\.file))
}

func sectionChangesPage(_ slug: String, context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let changes = graph.changes!
    let previous = graph.editions.previous!
    let page = PageID.sectionChanges(slug)
    let linker = EditionLinker(from: page, graph: graph, previous: previous)
    let titles = SectionTitles(graph: graph, changes: changes)
    let title = titles[slug] ?? slug
    let shown = context.editionChanges(inSection: slug)
    var values = sinceValues(previous, linker: linker)
    values["title"] = .text("What changed in \(title)")
    values["section_title"] = .text(title)
    values["changes_href"] = .text(linker.here(PageID.changes.path))
    if let section = graph.section(slug) { values["section_href"] = .text(linker.here(section.page.path)) }
    if let before = changes.previousSections[slug] {
        values["previous_section_href"] = .text(linker.before(before.path))
    }
    values["paragraph_changes"] = .list(
        shown.map { change in .object(paragraphChangeValues(change, section: slug, titles: titles, linker: linker)) })
    return BuiltPage(
        template: "section-changes", title: "What changed in \(title)",
        description: "What changed in \(title) since \(previous.info.name)",
        breadcrumbs: [Crumb(title: "What changed", page: .changes)], context: values,
        sources: graph.section(slug).map { [$0.file] } ?? [])
}

/// Section titles by slug: this edition's, and the previous edition's for sections it no longer
/// has. Looked up, not gathered: each of 10,000 section pages needs only a few.
private struct SectionTitles {
    var graph: SiteGraph
    var changes: EditionChanges

    subscript(slug: String) -> String? { graph.section(slug)?.title ?? changes.previousSections[slug]?.title }
}

/// "3 paragraphs changed, 1 added, 2 moved."
private func paragraphSummary(_ changes: [ParagraphChange]) -> String {
    let kinds: [(ParagraphChange.Kind, String)] = [
        (.changed, "changed"), (.added, "added"), (.removed, "removed"), (.moved, "moved"),
    ]
    let parts = kinds.compactMap { kind, word -> String? in
        let count = changes.filter { $0.kind == kind }.count
        return count == 0 ? nil : "\(formatNumberText(String(count))) \(word)"
    }
    guard !parts.isEmpty else { return "No numbered paragraph changed." }
    let total = changes.count
    return "\(counted(total, "paragraph", "paragraphs")): \(joinedList(parts))."
}

private func paragraphChangeValues(
    _ change: ParagraphChange, section slug: String, titles: SectionTitles, linker: EditionLinker
) -> TemplateObject {
    var values: TemplateObject = [
        "change_kind": .text(change.kind.rawValue), "change_number": .number(change.new?.number ?? change.old!.number),
        "change_label": .text(changeLabel(change, section: slug, titles: titles)),
        "diff_html": .text(
            change.kind == .changed
                ? differenceHTML(change.difference) : escapeHTML(change.new?.text ?? change.old!.text)),
    ]
    if let new = change.new, let href = linker.paragraph(new) {
        values["new_number"] = .number(new.number)
        values["new_href"] = .text(href)
    }
    if let old = change.old, let href = linker.previousParagraph(old) {
        values["old_number"] = .number(old.number)
        values["old_href"] = .text(href)
    }
    return values
}

/// The change as words, so nothing rests on colour or position: "Moved from 31 to 33".
private func changeLabel(_ change: ParagraphChange, section slug: String, titles: SectionTitles) -> String {
    var label: String
    switch change.kind {
    case .added: label = "Added"
    case .removed: label = "Removed"
    case .unchanged: label = "Unchanged"
    case .changed, .moved:
        let (old, new) = (change.old!.number, change.new!.number)
        let moved = "Moved from \(old) to \(new)"
        label = change.kind == .moved ? moved : old == new ? "Changed" : "Changed and moved from \(old) to \(new)"
    }
    if let old = change.old, let new = change.new, old.section != new.section {
        label +=
            new.section == slug
            ? ", from \(titles[old.section] ?? old.section)" : ", to \(titles[new.section] ?? new.section)"
    }
    return label
}

/// The word-level difference as HTML: deletions struck through and insertions underlined (the
/// theme's styles), each with a visually hidden "removed:" or "added:" for screen readers, which
/// announce neither element by default.
func differenceHTML(_ runs: [WordRun]) -> String {
    var html = ""
    for (index, run) in runs.enumerated() {
        if index > 0 && run.spaceBefore { html += " " }
        switch run.kind {
        case .equal: html += escapeHTML(run.text)
        case .deleted: html += "<del><span class=\"visually-hidden\">removed: </span>\(escapeHTML(run.text))</del>"
        case .inserted: html += "<ins><span class=\"visually-hidden\">added: </span>\(escapeHTML(run.text))</ins>"
        }
    }
    return html
}

// MARK: Figures, cells, trends and commitments, as tables

/// The start of an accessible table: scrollable on a narrow screen, named by its caption.
private func tableStart(id: String, caption: String, headers: [(String, numeric: Bool)]) -> String {
    var html = "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"\(id)-caption\" tabindex=\"0\">\n"
    html +=
        "<table class=\"changes-table\" id=\"\(id)\">\n<caption id=\"\(id)-caption\">\(escapeHTML(caption))</caption>\n"
    html += "<thead><tr>"
    for (text, numeric) in headers {
        html += "<th scope=\"col\"\(numeric ? " class=\"num\"" : "")>\(escapeHTML(text))</th>"
    }
    return html + "</tr></thead>\n<tbody>\n"
}

private let tableEnd = "</tbody>\n</table>\n</div>\n"

/// An old or new value's cell: the value, or what its absence means.
private func valueCell(_ value: String?, missing: String) -> String {
    value.map { "<td class=\"num\">\(escapeHTML($0))</td>" }
        ?? "<td class=\"num\"><span class=\"not-stated\">\(escapeHTML(missing))</span></td>"
}

private func figureChangesHTML(_ figures: [ValueChange], titles: SectionTitles, linker: EditionLinker) -> String {
    guard !figures.isEmpty else { return "" }
    let id = linker.previous.info.id
    var html = tableStart(
        id: "changed-figures", caption: "Key figures that changed",
        headers: [("Figure", false), ("Section", false), ("In \(id)", true), ("In this edition", true)])
    for change in figures {
        guard case .figure(let section, let label) = change.item else { continue }
        let sectionCell =
            linker.graph.sectionPage(section).map {
                "<a href=\"\(linker.here($0.path))\">\(escapeHTML(titles[section] ?? section))</a>"
            } ?? escapeHTML(titles[section] ?? section)
        html += "<tr><th scope=\"row\">\(escapeHTML(label))</th><td>\(sectionCell)</td>"
        html += valueCell(change.old, missing: "Not stated") + valueCell(change.new, missing: "No longer stated")
        html += "</tr>\n"
    }
    return html + tableEnd
}

private func cellChangesHTML(_ cells: [ValueChange], linker: EditionLinker) -> String {
    guard !cells.isEmpty else { return "" }
    let id = linker.previous.info.id
    var html = tableStart(
        id: "changed-cells", caption: "Table figures that changed",
        headers: [("Table", false), ("Row", false), ("Column", false), ("In \(id)", true), ("In this edition", true)])
    for change in cells {
        guard case .cell(let table, let row, let column) = change.item else { continue }
        let caption = escapeHTML(change.caption ?? table)
        let tableCell =
            linker.graph.table(table) != nil
            ? "<a href=\"\(linker.here(PageID.table(table).path))\">\(caption)</a>" : caption
        html += "<tr><td>\(tableCell)</td><th scope=\"row\">\(escapeHTML(row))</th><td>\(escapeHTML(column))</td>"
        html += valueCell(change.old, missing: "Not stated") + valueCell(change.new, missing: "No longer stated")
        html += "</tr>\n"
    }
    return html + tableEnd
}

/// What a trend is of: "Drone flights (Terrorism)", "Drone fleet: 2024, Count".
private func trendName(_ trend: Trend, titles: SectionTitles) -> String {
    switch trend.item {
    case .figure(let section, let label): return "\(label) (\(titles[section] ?? section))"
    case .cell(let table, let row, let column): return "\(trend.caption ?? table): \(row), \(column)"
    }
}

private func trendsHTML(_ trends: [Trend], titles: SectionTitles) -> String {
    trends.enumerated().map { index, trend in
        trendFigureHTML(trend, name: trendName(trend, titles: titles), id: "trend-\(index + 1)")
    }.joined()
}

/// Geometry of a trend chart, in SVG user units (it scales with its box).
private enum TrendLayout {
    static let width = 320.0
    static let height = 150.0
    static let top = 24.0
    static let bottom = 28.0
    static let side = 36.0
}

/// One trend: a small line chart as inline SVG (`role="img"`, its title and a description of
/// every value), and the same numbers in a table beside it.
func trendFigureHTML(_ trend: Trend, name: String, id: String) -> String {
    typealias L = TrendLayout
    let numbers = trend.points.map(\.number)
    // From zero where every value is positive, so a small change is not drawn as a large one.
    let low = min(0, numbers.min() ?? 0)
    let high = max(numbers.max() ?? 0, low + 1)
    let step = trend.points.count > 1 ? (L.width - 2 * L.side) / Double(trend.points.count - 1) : 0
    let plotHeight = L.height - L.top - L.bottom
    let positions = trend.points.enumerated().map { index, point in
        (x: L.side + Double(index) * step, y: L.top + (high - point.number) / (high - low) * plotHeight)
    }
    let summary = trend.points.map { "\($0.value) in \($0.edition)" }.joined(separator: ", ")
    var svg =
        "<svg class=\"chart-svg trend-svg\" viewBox=\"0 0 \(svgNumber(L.width)) \(svgNumber(L.height))\" "
        + "width=\"\(svgNumber(L.width))\" height=\"\(svgNumber(L.height))\" role=\"img\" "
        + "aria-labelledby=\"\(id)-svg-title\" aria-describedby=\"\(id)-svg-desc\">\n"
    svg += "<title id=\"\(id)-svg-title\">\(escapeHTML(name))</title>\n"
    svg += "<desc id=\"\(id)-svg-desc\">\(escapeHTML(summary))</desc>\n"
    let baseline = svgNumber(L.top + plotHeight)
    svg +=
        "<line class=\"trend-axis\" x1=\"\(svgNumber(L.side / 2))\" y1=\"\(baseline)\" x2=\"\(svgNumber(L.width - L.side / 2))\" y2=\"\(baseline)\"/>\n"
    svg +=
        "<polyline class=\"trend-line\" points=\""
        + positions.map { "\(svgNumber($0.x)),\(svgNumber($0.y))" }.joined(separator: " ") + "\"/>\n"
    for (point, position) in zip(trend.points, positions) {
        svg += "<circle class=\"trend-point\" cx=\"\(svgNumber(position.x))\" cy=\"\(svgNumber(position.y))\" r=\"4\"/>"
        svg +=
            "<text class=\"chart-value\" x=\"\(svgNumber(position.x))\" y=\"\(svgNumber(position.y - 9))\" text-anchor=\"middle\">\(escapeHTML(point.value))</text>"
        svg +=
            "<text class=\"chart-label\" x=\"\(svgNumber(position.x))\" y=\"\(svgNumber(L.height - 8))\" text-anchor=\"middle\">\(escapeHTML(point.edition))</text>\n"
    }
    svg += "</svg>\n"
    var html = "<figure class=\"chart trend\" id=\"\(id)\">\n"
    html += "<figcaption class=\"chart-title\" id=\"\(id)-title\">\(escapeHTML(name))</figcaption>\n"
    html += "<div class=\"trend-body\">\n" + svg
    html += "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"\(id)-data\" tabindex=\"0\">\n"
    html += "<table class=\"chart-data\">\n<caption id=\"\(id)-data\">Figures in the chart"
    html += "<span class=\"visually-hidden\">: \(escapeHTML(name))</span></caption>\n"
    html +=
        "<thead>\n<tr><th scope=\"col\">Edition</th><th scope=\"col\" class=\"num\">Value</th></tr>\n</thead>\n<tbody>\n"
    for point in trend.points {
        html +=
            "<tr><th scope=\"row\">\(escapeHTML(point.edition))</th><td class=\"num\">\(escapeHTML(point.value))</td></tr>\n"
    }
    html += "</tbody>\n</table>\n</div>\n</div>\n</figure>\n"
    return html
}

private func commitmentFollowUpsHTML(
    _ followUps: [CommitmentFollowUp], titles: SectionTitles, linker: EditionLinker
) -> String {
    guard !followUps.isEmpty else { return "" }
    let id = linker.previous.info.id
    var html = tableStart(
        id: "commitment-follow-ups", caption: "Dated commitments made in \(id)",
        headers: [("Commitment", false), ("Due", false), ("Made in", false), ("What this edition says", false)])
    for followUp in followUps {
        let commitment = followUp.commitment
        let due = commitment.due.flatMap(PartialDate.init)
        let dueCell = due.map { "<time datetime=\"\($0.iso)\">\(escapeHTML($0.formatted))</time>" } ?? ""
        let made = linker.graph.changes?.previousParagraph(commitment.paragraph)
        let madeCell =
            made.flatMap(linker.previousParagraph).map {
                "<a href=\"\($0)\">paragraph \(commitment.paragraph)</a>"
            } ?? "paragraph \(commitment.paragraph)"
        var says = followUp.status.map(escapeHTML) ?? "<span class=\"not-stated\">No status given</span>"
        if !followUp.stillListed {
            says += "; no longer listed"
        } else if let number = followUp.newParagraph,
            let slug = linker.graph.paragraphIndex[number], let page = linker.graph.sectionPage(slug)
        {
            says += " (<a href=\"\(linker.here(page.path, fragment: "p\(number)"))\">paragraph \(number)</a>)"
        }
        html +=
            "<tr><th scope=\"row\">\(escapeHTML(commitment.what))</th><td>\(dueCell)</td><td>\(madeCell)</td><td>\(says)</td></tr>\n"
    }
    return html + tableEnd
}
