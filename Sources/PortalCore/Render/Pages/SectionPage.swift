/// A report section: its narrative with paragraph anchors, key facts, the capabilities it relies
/// on, its tables and commitments, and links to the sections either side.
func sectionPage(_ section: Section, context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let page = PageID.section(section.slug)
    let linker = Linker(from: page)
    let body = context.sectionBodies[section.slug] ?? RenderedBody(blocks: [])
    let position = graph.sections.firstIndex { $0.slug == section.slug } ?? 0

    var values = threatCard(section, linker: linker, graph: graph)
    values["is_threat"] = section.source.kind == .threat
    values["body"] = body.html
    values["contents"] = section.headings.map { ["id": $0.id, "text": $0.text, "sub": $0.level > 2] }
    values["has_contents"] = section.headings.count > 1
    values["capabilities"] = section.capabilities.compactMap { slug in
        graph.capability(slug).map { capabilityLink($0, linker: linker) }
    }
    values["tables"] = section.tables.compactMap { id in
        graph.table(id).map {
            [
                "caption": $0.source.caption.value, "href": linker.href(.table(id)),
                "paragraphs_html": linker.paragraphsHTML($0.source.paragraphs.map(\.value), graph: graph),
            ]
        }
    }
    values["commitments"] = graph.commitments.filter { $0.section == section.slug }.map {
        commitmentContext($0, linker: linker, graph: graph)
    }
    if position > 0 {
        let previous = graph.sections[position - 1]
        values["previous"] = ["title": previous.title, "href": linker.href(.section(previous.slug))]
    }
    if position + 1 < graph.sections.count {
        let next = graph.sections[position + 1]
        values["next"] = ["title": next.title, "href": linker.href(.section(next.slug))]
    }
    return BuiltPage(
        template: "section", title: section.title, description: section.source.summary,
        breadcrumbs: [], context: values)
}

func capabilityLink(_ capability: Capability, linker: Linker) -> [String: Any] {
    var values: [String: Any] = [
        "title": capability.title, "href": linker.href(.capability(capability.slug)),
        "summary": capability.source.summary,
    ]
    if let level = capability.source.level { values["level"] = levelName(level) }
    return values
}
