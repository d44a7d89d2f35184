import PortalResolve

/// The search page: a form, and the results `assets/search.js` finds in `search/index.js`.
/// Without JavaScript it says so and points to the ways round: the full report (with the
/// browser's own find), the capability index and the glossary.
func searchPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .search)
    let examples = searchExamples(graph)
    return BuiltPage(
        template: "search", title: "Search",
        description: "Search the report's paragraphs, capabilities, figures and glossary",
        context: [
            "index_src": .text(relativeURL(from: PageID.search.path, to: searchIndexPath)),
            "script_src": .text(relativeURL(from: PageID.search.path, to: "assets/search.js")),
            "root": .text(rootPrefix(of: PageID.search.path)),
            "report_href": .text(context.graph.config.fullReport ? linker.href(.report) : ""),
            "capabilities_href": .text(linker.href(.capabilities)),
            "glossary_href": .text(linker.href(.glossary)),
            "tables_href": .text(linker.href(.tables)),
            "paragraph_count": .number(graph.paragraphIndex.count),
            "capability_count": .number(graph.capabilities.count),
            "paragraphs_text": .text(counted(graph.paragraphIndex.count, "paragraph", "paragraphs")),
            "capabilities_text": .text(counted(graph.capabilities.count, "capability", "capabilities")),
            "examples": .list(
                examples.enumerated().map { index, text in
                    let separator = index == examples.count - 1 ? "" : index == examples.count - 2 ? " or " : ", "
                    return ["text": .text(text), "separator": .text(separator)]
                }),
            "editions_json": .text(earlierSearchIndexes(graph)),
        ])
}

/// The earlier editions' search indexes, for "include earlier editions": a JSON list of
/// [id, name, index address from the site root], newest first; empty without editions.
private func earlierSearchIndexes(_ graph: SiteGraph) -> String {
    guard graph.editions.building == nil, !graph.editions.recorded.isEmpty else { return "" }
    let items = graph.editions.recorded.reversed().map { recorded in
        "["
            + [recorded.info.id, recorded.info.name, recorded.info.folder + searchIndexPath].map(jsonString).joined(
                separator: ",") + "]"
    }
    return "[" + items.joined(separator: ",") + "]"
}

/// What the search hint suggests trying, taken from this site's own content: a capability's
/// name, an acronym from the glossary and a paragraph number that exists.
func searchExamples(_ graph: SiteGraph) -> [String] {
    let numbers = graph.paragraphIndex.numbers
    return [
        graph.capabilities.map(\.title).min { ($0.count, $0) < ($1.count, $1) },
        graph.glossary.map(\.term).min(),
        numbers.isEmpty ? nil : "para \(numbers[numbers.count / 2])",
    ].compactMap { $0 }
}
