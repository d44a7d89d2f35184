/// The overview: every threat at a glance, the report's details and what is due next.
func homePage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .home)
    let report = graph.config.report
    var reportContext: [String: Any] = [:]
    let details: [(String, String?)] = [
        ("Report", report.title), ("To", report.recipient), ("Board", report.board),
        ("Agenda item", report.agendaItem), ("Meeting date", report.meetingDate),
    ]
    var rows: [[String: Any]] = details.compactMap { label, value in value.map { ["label": label, "value": $0] } }
    if let updates = report.updates {
        var row: [String: Any] = ["label": "Updates", "value": updates]
        if let paragraph = report.updatesParagraph, let href = linker.paragraph(paragraph.value, graph: graph) {
            row["href"] = href
            row["paragraph"] = paragraph.value
        }
        rows.append(row)
    }
    reportContext["details"] = rows
    reportContext["organisation"] = graph.config.organisation

    let threats = graph.sections.filter { $0.source.kind == .threat }.map {
        threatCard($0, linker: linker, graph: graph)
    }
    let other = graph.sections.filter { $0.source.kind == .context }.map {
        ["title": $0.title, "href": linker.href(.section($0.slug)), "summary": $0.source.summary]
    }
    // Coming up: dated commitments only, by the end of the period each names, so "January 2024"
    // comes before "2024" (which may mean December); undated ones are on the commitments page.
    let commitments = graph.commitments.compactMap { commitment in
        commitment.source.due.map { (commitment, $0) }
    }.sorted { a, b in
        let (x, y) = (endOfPeriod(a.1), endOfPeriod(b.1))
        return (x.0, x.1, x.2, a.0.source.paragraph.value) < (y.0, y.1, y.2, b.0.source.paragraph.value)
    }.map { commitmentContext($0.0, linker: linker, graph: graph) }
    let charts = graph.tables.filter { $0.source.chart?.overview ?? false }.sorted {
        ($0.source.paragraphs.first?.value ?? 0, $0.id) < ($1.source.paragraphs.first?.value ?? 0, $1.id)
    }.map { table -> [String: Any] in
        var values: [String: Any] = [
            "html": chartFigureHTML(table, spec: table.source.chart!, id: "overview-\(table.id)", withDataTable: true),
            "href": linker.href(.table(table.id)), "caption": table.source.caption.value,
            "paragraphs_html": linker.paragraphsHTML(table.source.paragraphs.map(\.value), graph: graph),
        ]
        if let slug = table.section, let section = graph.section(slug) {
            values["section_title"] = section.title
            values["section_href"] = linker.href(.section(slug))
        }
        return values
    }
    return BuiltPage(
        template: "home", title: graph.config.title,
        description: "\(graph.config.organisation): assurance on the Strategic Policing Requirement",
        context: [
            "site_title": graph.config.title,
            "report": reportContext,
            "threats": threats,
            "context_sections": other,
            "commitments": Array(commitments.prefix(6)),
            "commitment_count": graph.commitments.count,
            "charts": charts,
            "threat_count": threats.count,
            "search_href": linker.href(.search),
            "commitments_href": linker.href(.commitments),
            "capability_count": graph.capabilities.count,
            "capabilities_href": linker.href(.capabilities),
            "table_count": graph.tables.count,
            "tables_href": linker.href(.tables),
            "glossary_count": graph.glossary.count,
            "glossary_href": linker.href(.glossary),
            "report_href": graph.config.fullReport ? linker.href(.report) : "",
            "paragraph_count": graph.paragraphIndex.count,
        ])
}

func threatCard(_ section: Section, linker: Linker, graph: SiteGraph) -> [String: Any] {
    var card: [String: Any] = [
        "title": section.title, "href": linker.href(.section(section.slug)), "summary": section.source.summary,
        "capability_count": section.capabilities.count,
        "capability_noun": section.capabilities.count == 1 ? "capability" : "capabilities",
        "boards": boardLinks(section, linker: linker, graph: graph),
        "key_figures": section.source.keyFigures.map { figureContext($0, linker: linker, graph: graph) },
        "paragraph_range": paragraphRange(section),
        "capabilities_href": linker.href(.section(section.slug), fragment: "capabilities"),
    ]
    if let lead = section.source.lead { card["lead"] = lead }
    if let inspection = section.source.inspection {
        card["inspection"] = inspectionContext(inspection, linker: linker, graph: graph)
    }
    return card
}

func boardLinks(_ section: Section, linker: Linker, graph: SiteGraph) -> [[String: Any]] {
    section.boards.compactMap { id in
        graph.entities.first { $0.source.kind == .board && $0.id == id }.map {
            ["name": $0.source.name, "href": linker.href(.register(.board), fragment: $0.anchor)]
        }
    }
}

func inspectionContext(_ inspection: Inspection, linker: Linker, graph: SiteGraph) -> [String: Any] {
    var context: [String: Any] = ["body": inspection.body, "status": inspection.status]
    if let date = inspection.date, let parsed = PartialDate(date) {
        context["date"] = parsed.formatted
        context["date_iso"] = parsed.iso
    }
    if let paragraph = inspection.paragraph, let href = linker.paragraph(paragraph.value, graph: graph) {
        context["paragraph"] = paragraph.value
        context["paragraph_href"] = href
    }
    return context
}

/// "Paragraphs 69 to 81", the way a board paper is cited.
func paragraphRange(_ section: Section) -> String {
    guard let first = section.paragraphs.first?.number, let last = section.paragraphs.last?.number else { return "" }
    return first == last ? "Paragraph \(first)" : "Paragraphs \(first) to \(last)"
}

func commitmentContext(_ commitment: Commitment, linker: Linker, graph: SiteGraph) -> [String: Any] {
    let source = commitment.source
    var context: [String: Any] = [
        "what": source.what, "paragraph": source.paragraph.value,
        "paragraph_href": linker.paragraph(source.paragraph.value, graph: graph) ?? "",
        "due": source.due?.formatted ?? source.dueText ?? "Not stated",
    ]
    if let due = source.due { context["due_iso"] = due.iso }
    if let text = source.dueText { context["due_text"] = text }
    if let slug = commitment.section, let section = graph.section(slug) {
        context["section_title"] = section.title
        context["section_href"] = linker.href(.section(slug))
    }
    return context
}

/// The last day a partial date can mean: "2024" ends in December, "March 2024" on the 31st.
func endOfPeriod(_ date: PartialDate) -> (Int, Int, Int) {
    (date.year, date.month ?? 12, date.day ?? 31)
}
