import PortalLoad
import PortalResolve
import PortalSupport
import PortalTemplates

/// The overview: every section at a glance, the report's details and what is due next.
func homePage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .home)
    let report = graph.config.report
    // Acronyms are explained where board members start: the home page's own text, each once.
    let marker = AcronymMarker(context.abbreviations)
    let reportContext = reportFacts(graph, linker: linker, marker: marker)
    let (cardKinds, listKinds) = sectionBlocks(graph, linker: linker, marker: marker)
    let firstKind = graph.config.sectionKinds.first { $0.cards } ?? graph.config.sectionKinds.first
    var values: TemplateObject = [
        "site_title": .text(graph.config.title),
        "report": .object(reportContext),
        "card_kinds": .list(cardKinds),
        "list_kinds": .list(listKinds),
        "by_kind": .text(firstKind?.label ?? "section"),
        "commitments": .list(Array(comingUp(graph, linker: linker, marker: marker).prefix(6))),
        "commitment_count": .number(graph.commitments.count),
        "report_date": .text(report.date?.formatted ?? ""),
        "charts": .list(overviewCharts(graph, linker: linker)),
        "search_href": .text(linker.href(.search)),
        "commitments_href": .text(linker.href(.commitments)),
        "capability_count": .number(graph.capabilities.count),
        "capabilities_text": .text(counted(graph.capabilities.count, "capability", "capabilities")),
        "tables_text": .text(counted(graph.tables.count, "table", "tables")),
        "commitments_text": .text(counted(graph.commitments.count, "commitment", "commitments")),
        "glossary_text": .text(counted(graph.glossary.count, "acronym", "acronyms")),
        "capabilities_href": .text(linker.href(.capabilities)),
        "table_count": .number(graph.tables.count),
        "tables_href": .text(linker.href(.tables)),
        "glossary_count": .number(graph.glossary.count),
        "glossary_href": .text(linker.href(.glossary)),
        "report_href": .text(graph.config.fullReport ? linker.href(.report) : ""),
        "paragraph_count": .number(graph.paragraphIndex.count),
        "paragraphs_text": .text(counted(graph.paragraphIndex.count, "paragraph", "paragraphs")),
    ]
    for (key, value) in changesLinkValues(graph, from: .home, to: .changes) { values[key] = value }
    return BuiltPage(
        template: "home", title: graph.config.title,
        description: [graph.config.organisation, report.title ?? graph.config.title].filter { !$0.isEmpty }.joined(
            separator: ": "),
        context: values)
}

/// The report's facts: its details as label and value rows, the organisation and the summary.
private func reportFacts(_ graph: SiteGraph, linker: Linker, marker: AcronymMarker) -> TemplateObject {
    let report = graph.config.report
    let details: [(String, String?)] = [
        ("Report", report.title), ("Dated", report.date?.formatted), ("To", report.recipient), ("Board", report.board),
        ("Agenda item", report.agendaItem), ("Meeting date", report.meetingDate),
    ]
    var rows: [TemplateValue] = details.compactMap { label, value in
        value.map { ["label": .text(label), "value": .text($0)] }
    }
    if let updates = report.updates {
        let value = report.updatesDate.map { "\(updates) on \($0.formatted)" } ?? updates
        var row: TemplateObject = ["label": "Updates", "value": .text(value)]
        if let paragraph = report.updatesParagraph, let href = linker.paragraph(paragraph.value, graph: graph) {
            row["href"] = .text(href)
            row["paragraph"] = .number(paragraph.value)
        }
        rows.append(.object(row))
    }
    let summary = report.summary ?? neutralSummary(graph.config)
    return [
        "details": .list(rows), "organisation": .text(graph.config.organisation), "summary": .text(summary),
        "summary_html": marker.html(summary),
    ]
}

/// One block per kind of section, in site.yaml's order: cards for kinds shown at a glance (the
/// threats of an SPR report), a list of links for the others (context, appendices).
private func sectionBlocks(_ graph: SiteGraph, linker: Linker, marker: AcronymMarker)
    -> (cards: [TemplateValue], lists: [TemplateValue])
{
    let kinds = graph.config.sectionKinds.compactMap { kind -> (SectionKind, [Section])? in
        let sections = graph.sections.filter { $0.source.kind == kind.id }
        return sections.isEmpty ? nil : (kind, sections)
    }
    let cardKinds = kinds.filter { $0.0.cards }.map { kind, sections -> TemplateValue in
        [
            "anchor": .text(kind.anchor),
            "heading": .text(
                sections.count == 1
                    ? "The \(kind.label) at a glance"
                    : "The \(counted(sections.count, kind.label, kind.plural)) at a glance"),
            "cards": .list(sections.map { .object(sectionCard($0, linker: linker, graph: graph, marker: marker)) }),
        ]
    }
    let listKinds = kinds.filter { !$0.0.cards }.map { kind, sections -> TemplateValue in
        [
            "anchor": .text(kind.anchor), "heading": .text(kind.plural.capitalisedFirst),
            "sections": .list(
                sections.map { section in
                    [
                        "title": .text(section.title), "href": .text(linker.href(section.page)),
                        "summary": .text(section.source.summary),
                    ]
                }),
        ]
    }
    return (cardKinds, listKinds)
}

/// Coming up: dated commitments only, by the end of the period each names, so "January 2024"
/// comes before "2024" (which may mean December); undated ones are on the commitments page.
private func comingUp(_ graph: SiteGraph, linker: Linker, marker: AcronymMarker) -> [TemplateValue] {
    graph.commitments.compactMap { commitment in
        commitment.source.due.map { (commitment, $0) }
    }.sorted { a, b in
        let (x, y) = (endOfPeriod(a.1), endOfPeriod(b.1))
        return (x.0, x.1, x.2, a.0.source.paragraph.value) < (y.0, y.1, y.2, b.0.source.paragraph.value)
    }.map { TemplateValue.object(commitmentContext($0.0, linker: linker, graph: graph, marker: marker)) }
}

/// The charts a table's sidecar asks to show on the overview, in report order.
private func overviewCharts(_ graph: SiteGraph, linker: Linker) -> [TemplateValue] {
    graph.tables.filter { $0.source.chart?.overview ?? false }.sorted {
        ($0.source.paragraphs.first?.value ?? 0, $0.id) < ($1.source.paragraphs.first?.value ?? 0, $1.id)
    }.map { table -> TemplateValue in
        var values: TemplateObject = [
            "html": .text(
                chartFigureHTML(table, spec: table.source.chart!, id: "overview-\(table.id)", withDataTable: true)),
            "href": .text(linker.href(.table(table.id))), "caption": .text(table.source.caption.value),
            "paragraphs_html": .text(linker.paragraphsHTML(table.source.paragraphs.map(\.value), graph: graph)),
        ]
        if let slug = table.section, let section = graph.section(slug) {
            values["section_title"] = .text(section.title)
            values["section_href"] = .text(linker.href(section.page))
        }
        return .object(values)
    }
}

/// The home page's opening line when site.yaml gives no `report.summary`: what the site is,
/// in words that fit any report.
func neutralSummary(_ config: SiteConfig) -> String {
    let who = config.organisation.isEmpty ? "This report" : "\(config.organisation)’s report"
    let to = config.report.board.map { " to the \($0)" } ?? ""
    return "\(who)\(to), section by section, with the capabilities, figures and commitments it states."
}

func sectionCard(_ section: Section, linker: Linker, graph: SiteGraph, marker: AcronymMarker) -> TemplateObject {
    var card: TemplateObject = [
        "title": .text(section.title), "href": .text(linker.href(section.page)),
        "summary": .text(section.source.summary), "summary_html": marker.html(section.source.summary),
        "capability_count": .number(section.capabilities.count),
        "capability_noun": section.capabilities.count == 1 ? "capability" : "capabilities",
        "boards": .list(boardLinks(section, linker: linker, graph: graph)),
        "key_figures": .list(
            section.source.keyFigures.map {
                .object(figureContext($0, linker: linker, graph: graph, marker: marker))
            }),
        "paragraph_range": .text(paragraphRange(section)),
        "capabilities_href": .text(linker.href(section.page, fragment: "capabilities")),
    ]
    if let lead = section.source.lead {
        card["lead"] = .text(lead)
        card["lead_html"] = marker.html(lead)
    }
    if let inspection = section.source.inspection {
        card["inspection"] = .object(inspectionContext(inspection, linker: linker, graph: graph))
    }
    return card
}

func boardLinks(_ section: Section, linker: Linker, graph: SiteGraph) -> [TemplateValue] {
    section.boards.compactMap { id in
        graph.registerEntry(.board, id).map {
            ["name": .text($0.source.name), "href": .text(linker.href(.register(.board), fragment: $0.anchor))]
        }
    }
}

func inspectionContext(_ inspection: Inspection, linker: Linker, graph: SiteGraph) -> TemplateObject {
    var context: TemplateObject = ["body": .text(inspection.body), "status": .text(inspection.status)]
    if let date = inspection.date, let parsed = PartialDate(date) {
        context["date"] = .text(parsed.formatted)
        context["date_iso"] = .text(parsed.iso)
    }
    if let paragraph = inspection.paragraph, let href = linker.paragraph(paragraph.value, graph: graph) {
        context["paragraph"] = .number(paragraph.value)
        context["paragraph_href"] = .text(href)
    }
    return context
}

/// "Paragraphs 69 to 81", the way a board paper is cited.
func paragraphRange(_ section: Section) -> String {
    guard let first = section.paragraphs.first?.number, let last = section.paragraphs.last?.number else { return "" }
    return first == last ? "Paragraph \(first)" : "Paragraphs \(first) to \(last)"
}

func commitmentContext(
    _ commitment: Commitment, linker: Linker, graph: SiteGraph, marker: AcronymMarker? = nil
) -> TemplateObject {
    let source = commitment.source
    var context: TemplateObject = [
        // HTML either way: a theme shows it with {{{what_html}}} on every page that has it.
        "what": .text(source.what), "what_html": marker?.html(source.what) ?? .text(escapeHTML(source.what)),
        "paragraph": .number(source.paragraph.value),
        "paragraph_href": .text(linker.paragraph(source.paragraph.value, graph: graph) ?? ""),
        "due": .text(source.due?.formatted ?? source.dueText ?? "Not stated"),
    ]
    if let due = source.due { context["due_iso"] = .text(due.iso) }
    if let text = source.dueText { context["due_text"] = .text(text) }
    if let slug = commitment.section, let section = graph.section(slug) {
        context["section_title"] = .text(section.title)
        context["section_href"] = .text(linker.href(section.page))
    }
    return context
}

/// The last day a partial date can mean: "2024" ends in December, "March 2024" on the 31st.
func endOfPeriod(_ date: PartialDate) -> (Int, Int, Int) {
    (date.year, date.month ?? 12, date.day ?? 31)
}
