import Foundation
import PortalLoad
import PortalMarkdown
import PortalResolve
import PortalSupport
import PortalTemplates

/// One file of the built site.
public struct OutputFile: Sendable {
    public var path: String
    public var bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    package init(path: String, text: String) {
        self.path = path
        self.bytes = Array(text.utf8)
    }
}

/// One fact a page read while it was rendered. A rebuild re-renders exactly the pages that read
/// a fact that changed (`affectedPages`), so every read of a source's text goes through
/// `RenderContext`, which records it.
package enum PageInput: Hashable, Sendable {
    /// What is not one source's text: site.yaml, data, tables, theme, git history, and every
    /// source's interface (front matter, paragraph numbers, headings, links). Every page reads it.
    case site
    /// A source's body, as HTML (`Content/threats/t1.md`).
    case body(String)
    /// The text of one numbered paragraph.
    case paragraph(Int)
    /// The texts of every numbered paragraph of a source.
    case paragraphs(String)
    /// What the search index keeps of a section's paragraphs (their openings: `searchTexts`).
    case searchTexts(String)
    /// The glossary terms each paragraph of a section uses (`acronymUses`).
    case acronymUses(String)
    /// What the what-changed pages show of one section's paragraphs since the edition before, by
    /// the section's slug; the empty slug for the whole report's (`editionChanges`). Matching is
    /// report-wide, so an edit anywhere can change any section's; the fingerprint tells which did.
    case editionChanges(String)
}

/// What one page read, written to by the page builders through `RenderContext`. One per page,
/// used by the one thread that renders it.
final class PageReads {
    private(set) var inputs: Set<PageInput> = [.site]
    /// The fingerprint of what a derived read (`.searchTexts`, `.acronymUses`) gave, made from
    /// the value the page used, so the next build compares like with like (`sectionReadFacts`).
    private(set) var fingerprints: [PageInput: UInt64] = [:]
    func record(_ input: PageInput) { inputs.insert(input) }
    func record(_ input: PageInput, fingerprint: UInt64) {
        inputs.insert(input)
        fingerprints[input] = fingerprint
    }
}

/// Everything the page builders share: the graph and where each body's links point.
struct RenderContext: @unchecked Sendable {
    var graph: SiteGraph
    /// Each body's resolved links, by source file.
    var links: [String: BodyLinks]
    /// Where a body's links are made when first asked for, for bodies `links` does not hold.
    var lazyLinks: BodyLinkTable? = nil
    /// When each source file last changed, for "Last updated" lines; empty outside git.
    var history = GitHistory()
    /// The page shell's navigation, built once per folder.
    var shell = LayoutShell()
    /// The glossary's acronyms, for marking them in text from data (key figures, cards).
    var abbreviations = AbbreviationIndex([])
    /// The page being rendered records here what it reads (`renderPage` gives each its own).
    var reads = PageReads()

    /// A section's body as its page shows it (or, shifted, as the full report does).
    func sectionBody(_ section: Section, headingShift: Int = 0) -> [UInt8] {
        body(
            of: section.file, section.source.body, headingIDs: section.headings.map(\.id),
            headingShift: headingShift)
    }

    func capabilityBody(_ capability: Capability) -> [UInt8] {
        body(of: capability.file, capability.source.body, headingIDs: capability.headings.map(\.id))
    }

    /// A source's body with its links filled, recorded as read.
    private func body(of file: String, _ body: ParsedBody, headingIDs: [String], headingShift: Int = 0) -> [UInt8] {
        reads.record(.body(file))
        return bodyHTML(
            body, links: links[file] ?? lazyLinks?.links(of: file) ?? BodyLinks(hrefs: [], embeds: [:]),
            headingIDs: headingIDs,
            headingShift: headingShift)
    }

    /// A section's numbered paragraphs, texts and all.
    func paragraphs(of section: Section) -> [Paragraph] {
        reads.record(.paragraphs(section.file))
        return section.paragraphs
    }

    /// What the search index keeps of a section's numbered paragraphs, recorded as that, not as
    /// their texts: an edit past the kept openings renders no index again.
    func searchTexts(of section: Section, limit: Int) -> [SearchText] {
        let texts = PortalRender.searchTexts(section.paragraphs, limit: limit)
        reads.record(.searchTexts(section.file), fingerprint: fingerprint(texts))
        return texts
    }

    /// The glossary terms each numbered paragraph of a section uses, recorded as that: an edit
    /// that adds or removes no use renders no glossary again.
    func acronymUses(of section: Section) -> [AcronymUse] {
        let uses = PortalRender.acronymUses(section.paragraphs, index: abbreviations)
        reads.record(.acronymUses(section.file), fingerprint: fingerprint(uses))
        return uses
    }

    /// What changed in one section's paragraphs since the edition before (`slug`), or in the
    /// whole report's (nil), recorded as that: an edit that changes no page's comparison renders
    /// no what-changed page again.
    func editionChanges(inSection slug: String?) -> [ParagraphChange] {
        guard let changes = graph.changes else { return [] }
        let shown = slug.map(changes.paragraphs(inSection:)) ?? changes.visibleParagraphs
        reads.record(.editionChanges(slug ?? ""), fingerprint: fingerprint(shown))
        return shown
    }

    /// The text of paragraph `number` of `section`, if it has one.
    func paragraphText(_ number: Int, in section: Section) -> String? {
        reads.record(.paragraph(number))
        let paragraphs = section.paragraphs
        return paragraphs.firstIndex { $0.number == number }.map { paragraphs[$0].text }
    }
}

/// Each body's links, made the first time a page asks for them and kept for the next, from any
/// thread: the same `bodyLinks` a full build runs for every body up front.
final class BodyLinkTable: @unchecked Sendable {
    private let graph: SiteGraph
    private let sections: [String: Section]
    private let capabilities: [String: Capability]
    private var made: [String: BodyLinks] = [:]
    private let lock = NSLock()

    init(_ graph: SiteGraph) {
        self.graph = graph
        sections = Dictionary(graph.sections.map { ($0.file, $0) }) { first, _ in first }
        capabilities = Dictionary(graph.capabilities.map { ($0.file, $0) }) { first, _ in first }
    }

    func links(of file: String) -> BodyLinks? {
        if let known = lock.withLock({ made[file] }) { return known }
        let links: BodyLinks
        if let section = sections[file] {
            links = bodyLinks(section.links, section: section.slug, graph: graph)
        } else if let capability = capabilities[file] {
            links = bodyLinks(capability.links, section: nil, graph: graph)
        } else {
            return nil
        }
        lock.withLock { made[file] = links }
        return links
    }
}

/// Render stage: every page in parallel, each body made as its page is. Pure: returns the
/// files; writing them is the Write stage's job.
public func renderSite(_ graph: SiteGraph) -> ([OutputFile], [Diagnostic]) {
    let collected = FileCollector()
    let output = renderSiteStreaming(graph, emit: collected.add)
    return (collected.files.sorted { $0.path < $1.path }, output.diagnostics)
}

/// Gathers emitted files from any thread, for callers that want the site in memory.
private final class FileCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var gathered: [OutputFile] = []
    var files: [OutputFile] { lock.withLock { gathered } }
    func add(_ file: OutputFile) { lock.withLock { gathered.append(file) } }
}

/// What rendering produced besides the files: problems, and what each page read, which the next
/// build's `affectedPages` looks up.
package struct RenderOutput {
    package var diagnostics: [Diagnostic]
    /// Paths of the files emitted, sorted.
    package var paths: [String]
    /// What each rendered page read (the search index too), by its path.
    package var reads: [String: Set<PageInput>] = [:]
    /// The fingerprints of the derived reads the rendered pages made (`PageReads.fingerprints`).
    package var fingerprints: [PageInput: UInt64] = [:]
}

/// Fingerprints of what `RenderContext.searchTexts` and `acronymUses` give for a section, made
/// by the same functions from the same values, for a rebuild to compare with what the last build
/// recorded (`index`: the glossary's, `AbbreviationIndex(graph.glossary)`).
package func sectionReadFacts(_ section: Section, graph: SiteGraph, index: AbbreviationIndex) -> [PageInput: UInt64] {
    let limit = searchTextLimit(paragraphs: graph.paragraphIndex.count)
    return [
        .searchTexts(section.file): fingerprint(searchTexts(section.paragraphs, limit: limit)),
        .acronymUses(section.file): fingerprint(acronymUses(section.paragraphs, index: index)),
    ]
}

/// Fingerprints of what `RenderContext.editionChanges` gives for every section and for the
/// whole report, for a rebuild to compare with what the last build recorded. Empty without an
/// edition before this one.
package func editionChangesFacts(_ graph: SiteGraph) -> [PageInput: UInt64] {
    guard let changes = graph.changes, let previous = graph.editions.previous else { return [:] }
    var facts: [PageInput: UInt64] = [.editionChanges(""): fingerprint(changes.visibleParagraphs)]
    for slug in changeSectionSlugs(graph, previous: previous.snapshot) {
        facts[.editionChanges(slug)] = fingerprint(changes.paragraphs(inSection: slug))
    }
    return facts
}

/// A fingerprint of paragraph changes: their kinds, numbers, sections and texts (the word
/// difference is made from the texts).
func fingerprint(_ changes: [ParagraphChange]) -> UInt64 {
    var hasher = StableHasher()
    for change in changes {
        hasher.combine(change.kind.rawValue)
        for side in [change.old, change.new] {
            guard let side else {
                hasher.combine("-")
                continue
            }
            hasher.combine(side.number)
            hasher.combine(side.section)
            hasher.combine(side.text)
        }
    }
    return hasher.value
}

/// Renders every file, or with `only` just those pages (by path), and hands each to `emit` as
/// soon as it is made, from any thread, so a large site streams to disk instead of being held
/// in memory whole. A rebuild passes `only`; the table downloads and theme assets, which depend
/// on nothing a rebuild can change, are then not made again.
package func renderSiteStreaming(
    _ graph: SiteGraph, only: Set<String>? = nil, progress: (@Sendable (BuildProgress) -> Void)? = nil,
    emit: @Sendable (OutputFile) -> Void
) -> RenderOutput {
    // A full build fills every body's links up front, on every core; a rebuild, which renders a
    // few pages, only those of the bodies they show (`BodyLinkTable`).
    var links: [String: BodyLinks] = [:]
    if only == nil {
        let sectionLinks = parallelMap(graph.sections) { bodyLinks($0.links, section: $0.slug, graph: graph) }
        let capabilityLinks = parallelMap(graph.capabilities) { bodyLinks($0.links, section: nil, graph: graph) }
        links = Dictionary(
            uniqueKeysWithValues: Array(zip(graph.sections.map(\.file), sectionLinks))
                + Array(zip(graph.capabilities.map(\.file), capabilityLinks)))
    }
    let pages = allPages(graph)
    let context = RenderContext(
        graph: graph, links: links, lazyLinks: only == nil ? nil : BodyLinkTable(graph), history: graph.history,
        shell: layoutShell(graph: graph, pages: pages), abbreviations: AbbreviationIndex(graph.glossary))

    let diagnostics: [Diagnostic] = []
    var paths: [String] = []
    func send(_ file: OutputFile) {
        paths.append(file.path)
        emit(file)
    }
    if only == nil {
        // Authors and analysts can take the figures away as CSV, exactly as the build verified them.
        for table in graph.tables {
            send(OutputFile(path: "tables/\(table.id).csv", text: downloadCSV(table.source)))
        }
        for asset in graph.theme.assets {
            send(OutputFile(path: "assets/\(asset.path)", bytes: asset.bytes))
        }
    }

    // The search index is one long job: it goes first, so the pages fill the other cores.
    let jobs = ([nil] + pages.map { Optional($0) }).filter { only?.contains($0?.path ?? searchIndexPath) ?? true }
    let counter = progress.map { ProgressCounter(stage: "rendering", total: jobs.count, report: $0) }
    typealias Rendered = (path: String, inputs: Set<PageInput>, fingerprints: [PageInput: UInt64])
    let rendered = parallelMap(jobs, progress: counter) { page -> Result<Rendered, Diagnostic> in
        var pageContext = context
        pageContext.reads = PageReads()
        guard let page else {
            let file = searchIndexFile(pageContext)
            emit(file)
            return .success((file.path, pageContext.reads.inputs, pageContext.reads.fingerprints))
        }
        switch renderPage(page, context: pageContext) {
        case .success(let file):
            emit(file)
            return .success((file.path, pageContext.reads.inputs, pageContext.reads.fingerprints))
        case .failure(let diagnostic): return .failure(diagnostic)
        }
    }
    var output = RenderOutput(diagnostics: diagnostics, paths: paths)
    for result in rendered {
        switch result {
        case .success(let page):
            output.paths.append(page.path)
            output.reads[page.path] = page.inputs
            output.fingerprints.merge(page.fingerprints) { _, new in new }
        case .failure(let diagnostic): output.diagnostics.append(diagnostic)
        }
    }
    output.paths.sort()
    return output
}

/// Every page of the site, in a stable order.
package func allPages(_ graph: SiteGraph) -> [PageID] {
    var pages: [PageID] = [.home, .capabilities, .tables, .glossary, .commitments, .search, .notFound]
    if graph.config.fullReport { pages.append(.report) }
    if graph.editions.building == nil && !graph.editions.recorded.isEmpty { pages.append(.editions) }
    pages += Register.allCases.map { .register($0) }
    pages += graph.sections.map(\.page)
    pages += graph.capabilities.map { .capability($0.slug) }
    pages += graph.tables.map { .table($0.id) }
    pages += changesPages(graph)
    return pages
}

private func renderPage(_ page: PageID, context: RenderContext) -> Result<OutputFile, Diagnostic> {
    let built = buildPage(page, context: context)
    let theme = context.graph.theme
    guard let inner = theme.renderBytes(.object(built.context), template: built.template) else {
        return .failure(missingTemplate(built.template, theme: theme))
    }
    var layout = layoutValue(
        for: page, title: built.title, breadcrumbs: built.breadcrumbs, shell: context.shell, graph: context.graph)
    layout["content"] = .html(inner)
    layout["description"] = .text(built.description)
    if let banner = editionBanner(for: page, graph: context.graph) { layout["edition_banner"] = .object(banner) }
    if let change = context.history.lastChange(of: built.sources) {
        layout["last_updated"] = .object([
            "date": .text(change.date.formatted), "date_iso": .text(change.date.iso), "author": .text(change.author),
        ])
    }
    // The layout adds some kilobytes around the page's own content.
    guard let html = theme.renderBytes(.object(layout), template: "layout", capacity: inner.count + 32_768) else {
        return .failure(missingTemplate("layout", theme: theme))
    }
    return .success(OutputFile(path: page.path, bytes: html))
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
    var context: TemplateObject
    /// The source files the page shows, for its "Last updated" line.
    var sources: [String] = []
}

struct Crumb {
    var title: String
    var page: PageID
}

private func buildPage(_ page: PageID, context: RenderContext) -> BuiltPage {
    switch page {
    case .home: return homePage(context)
    case .section(let slug, _): return sectionPage(context.graph.section(slug)!, context: context)
    case .capability(let slug): return capabilityPage(context.graph.capability(slug)!, context: context)
    case .capabilities: return capabilitiesIndexPage(context)
    case .table(let id): return tablePage(context.graph.table(id)!, context: context)
    case .tables: return tablesIndexPage(context)
    case .glossary: return glossaryPage(context)
    case .register(let kind): return registerPage(kind, context: context)
    case .commitments: return commitmentsPage(context)
    case .report: return reportPage(context)
    case .search: return searchPage(context)
    case .notFound: return notFoundPage(context)
    case .changes: return changesPage(context)
    case .sectionChanges(let slug): return sectionChangesPage(slug, context: context)
    case .editions: return editionsPage(context)
    }
}
