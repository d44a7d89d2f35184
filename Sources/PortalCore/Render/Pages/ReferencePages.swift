/// The glossary, grouped by first letter.
func glossaryPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .glossary)
    // Anchors follow the glossary file's order, so search links to the same entry.
    let anchors = glossaryAnchors(graph.glossary)
    let sorted = graph.glossary.indices.sorted {
        let a = graph.glossary[$0]
        let b = graph.glossary[$1]
        return (a.term.uppercased(), a.term, a.expansion, $0) < (b.term.uppercased(), b.term, b.expansion, $1)
    }
    var groups: [(String, [Int])] = []
    for index in sorted {
        let letter = graph.glossary[index].term.first.map { String($0).uppercased() } ?? "#"
        let key = letter.first!.isLetter ? letter : "#"
        if groups.last?.0 == key { groups[groups.count - 1].1.append(index) } else { groups.append((key, [index])) }
    }
    return BuiltPage(
        template: "glossary", title: "Glossary", description: "Acronyms used in the report",
        context: [
            "count": graph.glossary.count,
            "letters": groups.map { letter, entries -> [String: Any] in
                [
                    "letter": letter, "id": "letter-\(letter == "#" ? "other" : letter.lowercased())",
                    "count": entries.count,
                    "entries": entries.map { index -> [String: Any] in
                        let entry = graph.glossary[index]
                        var values: [String: Any] = [
                            "term": entry.term, "expansion": entry.expansion, "expanded": !entry.expansion.isEmpty,
                            "anchor": anchors[index],
                        ]
                        if let paragraph = entry.paragraph, let href = linker.paragraph(paragraph.value, graph: graph) {
                            values["paragraph"] = paragraph.value
                            values["paragraph_href"] = href
                        }
                        return values
                    },
                ]
            },
        ], sources: ["Content/data/glossary.yaml"])
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
        ], sources: ["Content/data/\(kind.file)"])
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
        ], sources: ["Content/data/commitments.yaml"])
}

/// The whole report in paragraph order, for reading straight through and printing.
func reportPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let report = graph.config.report
    // Only what the report states: Mustache shows a section for an empty string too.
    var details: [String: Any] = [:]
    let stated: [(String, String?)] = [
        ("board", report.board), ("recipient", report.recipient), ("agenda_item", report.agendaItem),
        ("meeting_date", report.meetingDate),
    ]
    for (key, value) in stated {
        if let value, !value.isEmpty { details[key] = value }
    }
    return BuiltPage(
        template: "report", title: "Full report",
        description: report.title ?? graph.config.title,
        context: details.merging([
            "report_title": report.title ?? graph.config.title,
            "organisation": graph.config.organisation,
            "paragraph_count": graph.paragraphIndex.count,
            "sections": graph.sections.map { section -> [String: Any] in
                [
                    "title": section.title, "id": "section-\(section.slug)",
                    "href": relativeURL(from: PageID.report.path, to: PageID.section(section.slug).path),
                    // The paper prints a threat's question under its title; a context section's
                    // summary only repeats its first paragraph.
                    "summary": section.source.kind == .threat ? section.source.summary : "",
                    "body": context.sectionBodies[section.slug]?.html(headingShift: 1) ?? "",
                    "paragraph_range": paragraphRange(section),
                ]
            },
        ]) { first, _ in first }, sources: graph.sections.map(\.source.file))
}

func notFoundPage(_ context: RenderContext) -> BuiltPage {
    BuiltPage(template: "not-found", title: "Page not found", context: [:])
}
