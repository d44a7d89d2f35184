import PortalLoad
import PortalResolve
import PortalTemplates

/// A report section: its narrative with paragraph anchors, key facts, the capabilities it relies
/// on, its tables and commitments, and links to the sections either side.
func sectionPage(_ section: Section, context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let page = section.page
    let linker = Linker(from: page)
    let position = graph.sectionIndex[section.slug] ?? 0

    // The page's opening (its question, lead and key figures) marks acronyms once between them;
    // the narrative below marks its own first uses.
    var values = sectionCard(section, linker: linker, graph: graph, marker: AcronymMarker(context.abbreviations))
    values["capabilities_href"] = "#capabilities"
    if let kind = graph.config.sectionKind(section.source.kind) {
        values["kind_label"] = .text(kind.label.capitalisedFirst)
    }
    values["body"] = .html(context.sectionBody(section))
    values["capabilities"] = .list(
        section.capabilities.compactMap { slug in
            graph.capability(slug).map { .object(capabilityLink($0, linker: linker)) }
        })
    // A table drawn in the narrative is linked from here; any other is drawn here, chart and all.
    let embedded = Set(
        section.links.compactMap { target -> String? in
            if case .embedTable(let id) = target { return id }
            return nil
        })
    values["tables"] = .list(
        section.tables.compactMap { id in
            graph.table(id).map { table -> TemplateValue in
                var item: TemplateObject = [
                    "caption": .text(table.source.caption.value), "href": .text(linker.href(.table(id))),
                    "paragraphs_html": .text(linker.paragraphsHTML(table.source.paragraphs.map(\.value), graph: graph)),
                    "csv_href": .text(relativeURL(from: page.path, to: "tables/\(id).csv")),
                ]
                if embedded.contains(id) {
                    item["embedded_href"] = "#table-\(id)"
                } else {
                    item["table_html"] = .text(renderDataTable(table, base: rootPrefix(of: page.path), graph: graph))
                }
                return .object(item)
            }
        })
    let commitments = graph.commitments.filter { $0.section == section.slug }
    values["commitments"] = .list(commitments.map { .object(commitmentContext($0, linker: linker, graph: graph)) })

    // The contents list: the section's own headings, then the parts this page adds.
    var contents: [TemplateValue] = section.headings.map {
        ["id": .text($0.id), "text": .text($0.text), "sub": .bool($0.level > 2)]
    }
    if !section.capabilities.isEmpty {
        contents.append(["id": "capabilities", "text": "Capabilities this section relies on", "sub": false])
    }
    if !section.tables.isEmpty { contents.append(["id": "tables", "text": "Figures", "sub": false]) }
    if !commitments.isEmpty { contents.append(["id": "commitments", "text": "Commitments", "sub": false]) }
    values["contents"] = .list(contents)
    values["has_contents"] = .bool(contents.count > 1)

    if position > 0 {
        let previous = graph.sections[position - 1]
        values["previous"] = ["title": .text(previous.title), "href": .text(linker.href(previous.page))]
    }
    if position + 1 < graph.sections.count {
        let next = graph.sections[position + 1]
        values["next"] = ["title": .text(next.title), "href": .text(linker.href(next.page))]
    }
    for (key, value) in changesLinkValues(graph, from: page, to: .sectionChanges(section.slug)) { values[key] = value }
    if graph.config.fullReport {
        values["report_href"] = .text(linker.href(.report, fragment: "section-\(section.slug)"))
    }
    return BuiltPage(
        template: "section", title: section.title, description: section.source.summary,
        breadcrumbs: [], context: values, sources: [section.file])
}

func capabilityLink(_ capability: Capability, linker: Linker) -> TemplateObject {
    var values: TemplateObject = [
        "title": .text(capability.title), "href": .text(linker.href(.capability(capability.slug))),
        "summary": .text(capability.source.summary),
    ]
    if let level = capability.source.level { values["level"] = .text(levelName(level)) }
    return values
}
