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
            "index_src": relativeURL(from: PageID.search.path, to: searchIndexPath),
            "script_src": relativeURL(from: PageID.search.path, to: "assets/search.js"),
            "root": rootPrefix(of: PageID.search.path),
            "report_href": context.graph.config.fullReport ? linker.href(.report) : "",
            "capabilities_href": linker.href(.capabilities),
            "glossary_href": linker.href(.glossary),
            "tables_href": linker.href(.tables),
            "paragraph_count": graph.paragraphIndex.count,
            "capability_count": graph.capabilities.count,
        ])
}
