import Foundation

/// A capability: what the report says about it, its figures, and every threat and paragraph
/// that relies on it (the backlinks).
func capabilityPage(_ capability: Capability, context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let page = PageID.capability(capability.slug)
    let linker = Linker(from: page)
    let body = context.capabilityBodies[capability.slug]?.html ?? ""
    var values: [String: Any] = [
        "title": capability.title,
        "summary": capability.source.summary,
        "level": levelName(capability.source.level),
        "has_level": capability.source.level != nil,
        "aliases": capability.source.aliases.joined(separator: ", "),
        "figures": capability.source.figures.map { figureContext($0, linker: linker, graph: graph) },
        "body": body,
        "has_body": !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
        "threats": capability.sections.compactMap { slug in
            graph.section(slug).map { ["title": $0.title, "href": linker.href(.section(slug))] }
        },
    ]
    let citations = graph.citations[.capability(capability.slug)] ?? []
    values["citations"] = citationGroups(citations, linker: linker, graph: graph)
    let citingParagraphs = Set(citations.compactMap(\.paragraph)).count
    values["citation_count"] = citingParagraphs
    values["citation_noun"] = citingParagraphs == 1 ? "paragraph" : "paragraphs"
    let fromPages = Set(citations.filter { $0.paragraph == nil }.map(\.page)).sorted()
    values["other_citations"] = fromPages.compactMap { page -> [String: Any]? in
        if case .capability(let slug) = page, let other = graph.capability(slug) {
            return ["title": other.title, "href": linker.href(page)]
        }
        if case .section(let slug) = page, let section = graph.section(slug) {
            return ["title": section.title, "href": linker.href(page)]
        }
        return nil
    }
    // Tables the capability's own text points to are drawn here, chart and all, unless embedded.
    var linked: [String] = []
    var embedded = Set<String>()
    for target in capability.links {
        switch target {
        case .page(.table(let id), _)?: if !linked.contains(id) { linked.append(id) }
        case .embedTable(let id)?: embedded.insert(id)
        default: break
        }
    }
    values["tables"] = linked.filter { !embedded.contains($0) }.compactMap { id in
        graph.table(id).map { table -> [String: Any] in
            [
                "caption": table.source.caption.value, "href": linker.href(.table(id)),
                "csv_href": relativeURL(from: page.path, to: "tables/\(id).csv"),
                "table_html": renderDataTable(table, base: rootPrefix(of: page.path), graph: graph),
            ]
        }
    }
    var contents: [[String: String]] = []
    if !capability.source.figures.isEmpty { contents.append(["id": "key-facts", "text": "Figures"]) }
    if !linked.isEmpty { contents.append(["id": "tables", "text": "Tables of figures"]) }
    contents.append(["id": "cited-in", "text": "Where the report relies on it"])
    values["contents"] = contents
    values["has_contents"] = contents.count > 2 || citingParagraphs > 6
    return BuiltPage(
        template: "capability", title: capability.title, description: capability.source.summary,
        breadcrumbs: [Crumb(title: "Capabilities", page: .capabilities)], context: values,
        sources: [capability.source.file])
}

/// Citing paragraphs grouped by section, in report order, each with a short excerpt. Only the
/// citing sections are visited: a capability on a 10,000-section site is cited by a few dozen.
func citationGroups(_ citations: [Citation], linker: Linker, graph: SiteGraph) -> [[String: Any]] {
    var bySection: [Int: Set<Int>] = [:]
    for citation in citations {
        guard let number = citation.paragraph, case .section(let slug) = citation.page,
            let position = graph.sectionIndex[slug]
        else { continue }
        bySection[position, default: []].insert(number)
    }
    return bySection.keys.sorted().map { position -> [String: Any] in
        let section = graph.sections[position]
        let page = PageID.section(section.slug)
        let texts = Dictionary(section.paragraphs.map { ($0.number, $0.text) }) { first, _ in first }
        return [
            "title": section.title, "href": linker.href(page),
            "paragraphs": bySection[position]!.sorted().compactMap { number -> [String: Any]? in
                guard let text = texts[number] else { return nil }
                return [
                    "number": number, "href": linker.href(page, fragment: "p\(number)"),
                    // Escaped and marked, so an edit of the paragraph can be spliced in (Incremental/).
                    "excerpt_html": excerptFragment(number: number, text: text),
                ]
            },
        ]
    }
}

/// All capabilities, by level and by the threats that rely on them.
func capabilitiesIndexPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .capabilities)
    let levels: [CapabilityLevel?] = CapabilityLevel.allCases + [nil]
    let byLevel = levels.compactMap { level -> [String: Any]? in
        let items = graph.capabilities.filter { $0.source.level == level }
        guard !items.isEmpty else { return nil }
        return [
            "name": levelName(level), "id": "level-\(level?.rawValue ?? "not-stated")", "count": items.count,
            "items": items.map { capabilityLink($0, linker: linker) },
        ]
    }
    let byThreat = graph.sections.compactMap { section -> [String: Any]? in
        let items = section.capabilities.compactMap { graph.capability($0) }
        guard !items.isEmpty else { return nil }
        return [
            "title": section.title, "href": linker.href(.section(section.slug)), "id": "threat-\(section.slug)",
            "count": items.count, "items": items.map { capabilityLink($0, linker: linker) },
        ]
    }
    return BuiltPage(
        template: "capabilities", title: "Capabilities",
        description: "Capabilities the force relies on to meet the Strategic Policing Requirement",
        context: [
            "count": graph.capabilities.count, "by_level": byLevel, "by_threat": byThreat,
            "all": graph.capabilities.map { capabilityLink($0, linker: linker) },
        ])
}
