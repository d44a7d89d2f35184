/// The glossary, grouped by first letter.
func glossaryPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .glossary)
    let sorted = graph.glossary.sorted {
        ($0.term.uppercased(), $0.term, $0.expansion) < ($1.term.uppercased(), $1.term, $1.expansion)
    }
    var groups: [(String, [GlossaryEntry])] = []
    for entry in sorted {
        let letter = entry.term.first.map { String($0).uppercased() } ?? "#"
        let key = letter.first!.isLetter ? letter : "#"
        if groups.last?.0 == key { groups[groups.count - 1].1.append(entry) } else { groups.append((key, [entry])) }
    }
    return BuiltPage(
        template: "glossary", title: "Glossary", description: "Acronyms used in the report",
        context: [
            "count": graph.glossary.count,
            "letters": groups.map { letter, entries -> [String: Any] in
                [
                    "letter": letter, "id": "letter-\(letter == "#" ? "other" : letter.lowercased())",
                    "entries": entries.map { entry -> [String: Any] in
                        var values: [String: Any] = [
                            "term": entry.term, "expansion": entry.expansion, "expanded": !entry.expansion.isEmpty,
                        ]
                        if let paragraph = entry.paragraph, let href = linker.paragraph(paragraph.value, graph: graph) {
                            values["paragraph"] = paragraph.value
                            values["paragraph_href"] = href
                        }
                        return values
                    },
                ]
            },
        ])
}

/// Boards, partners or operations: one entry each, with where the report mentions it.
func registerPage(_ kind: EntityKind, context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let page = PageID.register(kind)
    let linker = Linker(from: page)
    let title: String
    let intro: String
    switch kind {
    case .board:
        title = "Governance boards"
        intro = "Boards, groups and meetings the report names, with who chairs them where it says."
    case .partner:
        title = "Partners"
        intro = "Organisations the report names as working with the force."
    case .operation:
        title = "Operations"
        intro = "Named operations the report mentions."
    }
    let entries = graph.entities.filter { $0.source.kind == kind }.sorted {
        ($0.source.name.lowercased(), $0.id) < ($1.source.name.lowercased(), $1.id)
    }
    return BuiltPage(
        template: "register", title: title, description: intro,
        context: [
            "title": title, "intro": intro, "count": entries.count,
            "entries": entries.map { entity -> [String: Any] in
                let source = entity.source
                var values: [String: Any] = ["anchor": entity.anchor, "name": source.name]
                if let chair = source.chair { values["chair"] = chair }
                if let scope = source.scope { values["scope"] = scope }
                if let description = source.description { values["description"] = description }
                values["threats"] = source.threats.compactMap { slug in
                    graph.section(slug.value).map { ["title": $0.title, "href": linker.href(.section(slug.value))] }
                }
                let cited = (graph.citations[.entity(kind, entity.id)] ?? []).compactMap(\.paragraph)
                let paragraphs = Array(Set(source.paragraphs.map(\.value) + cited)).sorted()
                if !paragraphs.isEmpty { values["paragraphs_html"] = linker.paragraphsHTML(paragraphs, graph: graph) }
                return values
            },
        ])
}

/// Dated commitments and milestones, soonest first.
func commitmentsPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .commitments)
    return BuiltPage(
        template: "commitments", title: "Commitments",
        description: "Dated commitments and milestones the report states",
        context: [
            "count": graph.commitments.count,
            "commitments": graph.commitments.map { commitmentContext($0, linker: linker, graph: graph) },
        ])
}

/// The whole report in paragraph order, for reading straight through and printing.
func reportPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let report = graph.config.report
    return BuiltPage(
        template: "report", title: "Full report",
        description: report.title ?? graph.config.title,
        context: [
            "report_title": report.title ?? graph.config.title,
            "organisation": graph.config.organisation,
            "board": report.board ?? "",
            "agenda_item": report.agendaItem ?? "",
            "sections": graph.sections.map { section -> [String: Any] in
                [
                    "title": section.title, "id": "section-\(section.slug)",
                    "href": relativeURL(from: PageID.report.path, to: PageID.section(section.slug).path),
                    "summary": section.source.summary,
                    "body": context.sectionBodies[section.slug]?.html(headingShift: 1) ?? "",
                    "paragraph_range": paragraphRange(section),
                ]
            },
        ])
}

func notFoundPage(_ context: RenderContext) -> BuiltPage {
    BuiltPage(template: "not-found", title: "Page not found", context: [:])
}
