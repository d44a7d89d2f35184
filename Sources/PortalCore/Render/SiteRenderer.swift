import Foundation

/// One file of the built site.
public struct OutputFile: Sendable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    init(path: String, text: String) {
        self.path = path
        self.bytes = Array(text.utf8)
    }
}

/// Everything the page builders share: the graph and each body rendered once.
struct RenderContext: @unchecked Sendable {
    var graph: SiteGraph
    var sectionBodies: [String: RenderedBody]
    var capabilityBodies: [String: RenderedBody]
}

/// Render stage: every Markdown body once, then every page, in parallel. Pure: returns the
/// files; writing them is the Write stage's job.
public func renderSite(_ graph: SiteGraph) -> ([OutputFile], [Diagnostic]) {
    let sectionBodies = parallelMap(graph.sections) { section in
        finishBody(
            section.source.body, links: section.links, headings: section.headings, section: section.slug, graph: graph)
    }
    let capabilityBodies = parallelMap(graph.capabilities) { capability in
        finishBody(
            capability.source.body, links: capability.links, headings: capability.headings, section: nil, graph: graph)
    }
    let context = RenderContext(
        graph: graph,
        sectionBodies: Dictionary(uniqueKeysWithValues: zip(graph.sections.map(\.slug), sectionBodies)),
        capabilityBodies: Dictionary(uniqueKeysWithValues: zip(graph.capabilities.map(\.slug), capabilityBodies)))

    let pages = allPages(graph)
    let rendered = parallelMap(pages) { page in renderPage(page, context: context) }
    var files: [OutputFile] = []
    var diagnostics: [Diagnostic] = []
    for result in rendered {
        switch result {
        case .success(let file): files.append(file)
        case .failure(let diagnostic): diagnostics.append(diagnostic)
        }
    }
    // Authors and analysts can take the figures away as CSV, exactly as the build verified them.
    for table in graph.tables {
        files.append(OutputFile(path: "tables/\(table.id).csv", text: table.source.csvText))
    }
    for asset in graph.theme.assets {
        let url = URL(fileURLWithPath: graph.root).appendingPathComponent("\(graph.theme.folder)/assets/\(asset)")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            diagnostics.append(
                .error(
                    "unreadable-file", "cannot read theme asset",
                    at: SourceLocation(file: "\(graph.theme.folder)/assets/\(asset)")))
            continue
        }
        files.append(OutputFile(path: "assets/\(asset)", bytes: [UInt8](data)))
    }
    return (files.sorted { $0.path < $1.path }, diagnostics)
}

/// Every page of the site, in a stable order.
func allPages(_ graph: SiteGraph) -> [PageID] {
    var pages: [PageID] = [.home, .capabilities, .tables, .glossary, .commitments, .report, .notFound]
    pages += EntityKind.allCases.map { .register($0) }
    pages += graph.sections.map { .section($0.slug) }
    pages += graph.capabilities.map { .capability($0.slug) }
    pages += graph.tables.map { .table($0.id) }
    return pages
}

private func renderPage(_ page: PageID, context: RenderContext) -> Result<OutputFile, Diagnostic> {
    let built = buildPage(page, context: context)
    let theme = context.graph.theme
    guard let inner = theme.render(built.context, template: built.template) else {
        return .failure(missingTemplate(built.template, theme: theme))
    }
    var layout = layoutContext(for: page, title: built.title, breadcrumbs: built.breadcrumbs, graph: context.graph)
    layout["content"] = inner
    layout["description"] = built.description
    guard let html = theme.render(layout, template: "layout") else {
        return .failure(missingTemplate("layout", theme: theme))
    }
    return .success(OutputFile(path: page.path, text: html))
}

private func missingTemplate(_ name: String, theme: Theme) -> Diagnostic {
    .error(
        "template-missing", "theme '\(theme.name)' has no '\(name)' template",
        hint: "create \(theme.folder)/templates/\(name).mustache",
        at: SourceLocation(file: "\(theme.folder)/templates/\(name).mustache"))
}

/// What a page builder returns: the template to fill and the values to fill it with.
struct BuiltPage {
    var template: String
    var title: String
    var description: String = ""
    var breadcrumbs: [Crumb] = []
    var context: [String: Any]
}

struct Crumb {
    var title: String
    var page: PageID
}

private func buildPage(_ page: PageID, context: RenderContext) -> BuiltPage {
    switch page {
    case .home: return homePage(context)
    case .section(let slug): return sectionPage(context.graph.section(slug)!, context: context)
    case .capability(let slug): return capabilityPage(context.graph.capability(slug)!, context: context)
    case .capabilities: return capabilitiesIndexPage(context)
    case .table(let id): return tablePage(context.graph.table(id)!, context: context)
    case .tables: return tablesIndexPage(context)
    case .glossary: return glossaryPage(context)
    case .register(let kind): return registerPage(kind, context: context)
    case .commitments: return commitmentsPage(context)
    case .report: return reportPage(context)
    case .search: return BuiltPage(template: "search", title: "Search", context: [:])
    case .notFound: return notFoundPage(context)
    }
}
