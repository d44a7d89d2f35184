/// The search page: a form, and the results `assets/search.js` finds in `search/index.js`.
/// Without JavaScript it says so and points to the ways round: the full report (with the
/// browser's own find), the capability index and the glossary.
func searchPage(_ context: RenderContext) -> BuiltPage {
    let graph = context.graph
    let linker = Linker(from: .search)
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
        ])
}
