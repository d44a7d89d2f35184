import Foundation
import PortalLoad
import PortalResolve
import PortalSupport
import PortalTemplates

/// A capability: what the report says about it, its figures, and every section and paragraph
/// that relies on it (the backlinks).
func capabilityPage(_ capability: Capability, context: RenderContext) -> BuiltPage {
    let marker = AcronymMarker(context.abbreviations)
    let graph = context.graph
    let page = PageID.capability(capability.slug)
    let linker = Linker(from: page)
    let body = context.capabilityBody(capability)
    var values: TemplateObject = [
        "title": .text(capability.title),
        "summary": .text(capability.source.summary),
        "level": .text(levelName(capability.source.level)),
        "has_level": .bool(capability.source.level != nil),
        "aliases": .text(capability.source.aliases.joined(separator: ", ")),
        "figures": .list(
            capability.source.figures.map { .object(figureContext($0, linker: linker, graph: graph, marker: marker)) }),
        "body": .html(body),
        // Any block at all counts, even one that renders to nothing.
        "has_body": .bool(!capability.source.body.blocks.isEmpty),
        "threats": .list(
            capability.sections.compactMap { slug in
                graph.section(slug).map { ["title": .text($0.title), "href": .text(linker.href($0.page))] }
            }),
    ]
    let citations = graph.citations[.capability(capability.slug)] ?? []
    values["citations"] = .list(citationGroups(citations, linker: linker, context: context))
    let citingParagraphs = Set(citations.compactMap(\.paragraph)).count
    values["citation_count"] = .number(citingParagraphs)
    values["citation_noun"] = citingParagraphs == 1 ? "paragraph" : "paragraphs"
    let fromPages = Set(citations.filter { $0.paragraph == nil }.map(\.page)).sorted()
    values["other_citations"] = .list(
        fromPages.compactMap { page -> TemplateValue? in
            if case .capability(let slug) = page, let other = graph.capability(slug) {
                return ["title": .text(other.title), "href": .text(linker.href(page))]
            }
            if case .section(let slug, _) = page, let section = graph.section(slug) {
                return ["title": .text(section.title), "href": .text(linker.href(page))]
            }
            return nil
        })
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
    values["tables"] = .list(
        linked.filter { !embedded.contains($0) }.compactMap { id in
            graph.table(id).map { table -> TemplateValue in
                [
                    "caption": .text(table.source.caption.value), "href": .text(linker.href(.table(id))),
                    "csv_href": .text(relativeURL(from: page.path, to: "tables/\(id).csv")),
                    "table_html": .text(renderDataTable(table, base: rootPrefix(of: page.path), graph: graph)),
                ]
            }
        })
    var contents: [TemplateValue] = []
    if !capability.source.figures.isEmpty { contents.append(["id": "key-facts", "text": "Figures"]) }
    if !linked.isEmpty { contents.append(["id": "tables", "text": "Tables of figures"]) }
    contents.append(["id": "cited-in", "text": "Where the report relies on it"])
    values["contents"] = .list(contents)
    values["has_contents"] = .bool(contents.count > 2 || citingParagraphs > 6)
    return BuiltPage(
        template: "capability", title: capability.title, description: capability.source.summary,
        breadcrumbs: [Crumb(title: "Capabilities", page: .capabilities)], context: values,
        sources: [capability.file])
}

/// Citing paragraphs grouped by section, in report order, each with a short excerpt. Only the
/// citing sections are visited: a capability on a 10,000-section site is cited by a few dozen.
func citationGroups(_ citations: [Citation], linker: Linker, context: RenderContext) -> [TemplateValue] {
    let graph = context.graph
    var bySection: [Int: Set<Int>] = [:]
    for citation in citations {
        guard let number = citation.paragraph, case .section(let slug, _) = citation.page,
            let position = graph.sectionIndex[slug]
        else { continue }
        bySection[position, default: []].insert(number)
    }
    return bySection.keys.sorted().map { position -> TemplateValue in
        let section = graph.sections[position]
        // Worked out once per section: a capability page can quote hundreds of paragraphs.
        let href = linker.href(section.page)
        return [
            "title": .text(section.title), "href": .text(href),
            "paragraphs": .list(
                bySection[position]!.sorted().compactMap { number -> TemplateValue? in
                    guard let text = context.paragraphText(number, in: section) else { return nil }
                    return [
                        "number": .number(number), "href": .text(href + "#p\(number)"),
                        "excerpt_html": .text(escapeHTML(excerpt(text))),
                    ]
                }),
        ]
    }
}

/// All capabilities, by level and by the sections that rely on them.
func capabilitiesIndexPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .capabilities)
    let levels: [String?] = graph.config.capabilityLevels + [nil]
    let byLevel = levels.compactMap { level -> TemplateValue? in
        let items = graph.capabilities.filter { $0.source.level == level }
        guard !items.isEmpty else { return nil }
        return [
            "name": .text(levelName(level)), "id": "level-\(level.map(slugify) ?? "not-stated")",
            "count": .number(items.count), "items": .list(items.map { .object(capabilityLink($0, linker: linker)) }),
        ]
    }
    let bySection = graph.sections.compactMap { section -> TemplateValue? in
        let items = section.capabilities.compactMap { graph.capability($0) }
        guard !items.isEmpty else { return nil }
        return [
            "title": .text(section.title), "href": .text(linker.href(section.page)),
            "id": "threat-\(section.slug)", "count": .number(items.count),
            "items": .list(items.map { .object(capabilityLink($0, linker: linker)) }),
        ]
    }
    return BuiltPage(
        template: "capabilities", title: "Capabilities",
        description:
            "Capabilities \(graph.config.organisation.isEmpty ? "the report" : graph.config.organisation) relies on",
        context: [
            "count": .number(graph.capabilities.count),
            "count_text": .text(counted(graph.capabilities.count, "capability", "capabilities")),
            "by_level": .list(byLevel), "by_threat": .list(bySection),
            "all": .list(graph.capabilities.map { .object(capabilityLink($0, linker: linker)) }),
        ])
}
