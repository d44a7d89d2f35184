/// A report section: its narrative with paragraph anchors, key facts, the capabilities it relies
/// on, its tables and commitments, and links to the sections either side.
func sectionPage(_ section: Section, context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let page = PageID.section(section.slug)
    let linker = Linker(from: page)
    let body = context.sectionBodies[section.slug] ?? RenderedBody(blocks: [])
    let position = graph.sectionIndex[section.slug] ?? 0

    var values = threatCard(section, linker: linker, graph: graph)
    values["capabilities_href"] = "#capabilities"
    values["is_threat"] = section.source.kind == .threat
    values["body"] = body.html
    values["capabilities"] = section.capabilities.compactMap { slug in
        graph.capability(slug).map { capabilityLink($0, linker: linker) }
    }
    // A table drawn in the narrative is linked from here; any other is drawn here, chart and all.
    let embedded = Set(
        section.links.compactMap { target -> String? in
            if case .embedTable(let id) = target { return id }
            return nil
        })
    values["tables"] = section.tables.compactMap { id in
        graph.table(id).map { table -> [String: Any] in
            var item: [String: Any] = [
                "caption": table.source.caption.value, "href": linker.href(.table(id)),
                "paragraphs_html": linker.paragraphsHTML(table.source.paragraphs.map(\.value), graph: graph),
                "csv_href": relativeURL(from: page.path, to: "tables/\(id).csv"),
            ]
            if embedded.contains(id) {
                item["embedded_href"] = "#table-\(id)"
            } else {
                item["table_html"] = renderDataTable(table, base: rootPrefix(of: page.path), graph: graph)
            }
            return item
        }
    }
    let commitments = graph.commitments.filter { $0.section == section.slug }
    values["commitments"] = commitments.map { commitmentContext($0, linker: linker, graph: graph) }

    // The contents list: the section's own headings, then the parts this page adds.
    var contents: [[String: Any]] = section.headings.map { ["id": $0.id, "text": $0.text, "sub": $0.level > 2] }
    if !section.capabilities.isEmpty {
        contents.append(["id": "capabilities", "text": "Capabilities this section relies on", "sub": false])
    }
    if !section.tables.isEmpty { contents.append(["id": "tables", "text": "Figures", "sub": false]) }
    if !commitments.isEmpty { contents.append(["id": "commitments", "text": "Commitments", "sub": false]) }
    values["contents"] = contents
    values["has_contents"] = contents.count > 1

    if position > 0 {
        let previous = graph.sections[position - 1]
        values["previous"] = ["title": previous.title, "href": linker.href(.section(previous.slug))]
    }
    if position + 1 < graph.sections.count {
        let next = graph.sections[position + 1]
        values["next"] = ["title": next.title, "href": linker.href(.section(next.slug))]
    }
    if graph.config.fullReport { values["report_href"] = linker.href(.report, fragment: "section-\(section.slug)") }
    return BuiltPage(
        template: "section", title: section.title, description: section.source.summary,
        breadcrumbs: [], context: values, sources: [section.source.file])
}

func capabilityLink(_ capability: Capability, linker: Linker) -> [String: Any] {
    var values: [String: Any] = [
        "title": capability.title, "href": linker.href(.capability(capability.slug)),
        "summary": capability.source.summary,
    ]
    if let level = capability.source.level { values["level"] = levelName(level) }
    return values
}
