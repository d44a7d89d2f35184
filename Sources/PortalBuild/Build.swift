import Foundation
import PortalLoad
import PortalRender
import PortalResolve
import PortalSupport
import PortalWrite

public struct BuildOptions: Sendable {
    /// The site's folders, from `--root` and `--output`.
    public var folders: SiteFolders
    public var root: URL { folders.root }
    public var output: URL { folders.output }

    /// Reuse the last build where it is safe (see `incrementalBuild`); off, every build is full.
    public var incremental: Bool
    /// Called as each stage advances, from any thread; the command line draws a progress line.
    public var progress: (@Sendable (BuildProgress) -> Void)?
    /// The process ends once this build is done (`portal build`): the site graph is then left for
    /// the system to take back whole, as compilers do, instead of being freed object by object
    /// (a tenth of a second at 10,000 pages). The preview server, which builds again, frees it.
    public var exitsAfterBuild = false
    /// A rebuild whose changed files changed only their text may take the graph from the last
    /// build's snapshot (`textEditGraph`); off, it loads and resolves everything.
    var textEdits = true

    public init(folders: SiteFolders, incremental: Bool = true) {
        self.folders = folders
        self.incremental = incremental
        self.progress = nil
    }

    public init(root: URL, output: URL? = nil, incremental: Bool = true) {
        self.init(folders: SiteFolders(root: root, output: output), incremental: incremental)
    }
}

/// What a finished build did, for its one-line summary.
public struct BuildReport: Sendable {
    public var pages: Int
    public var capabilities: Int
    public var tables: Int
    public var references: Int
    public var paragraphs: Int
    public var milliseconds: Int
    public var write: WriteSummary
    public var warnings: [Diagnostic]
    /// Set when the build reused the last one: "up to date" or how many files changed.
    public var incremental: String? = nil
    /// Why a build that could have reused the last one rebuilt everything, e.g. "data changed".
    public var fullBuildReason: String? = nil
    /// Wall and CPU time (every thread, user and system) of each stage of a full build, in
    /// order, for `portal build --timings`.
    public var stages: [(stage: String, milliseconds: Int, cpuMilliseconds: Int)] = []

    /// "load 1210 ms (cpu 2300 ms), resolve 240 ms (cpu 260 ms), ...", or nil when the build had
    /// no stages to time. CPU well under twice the wall time on two cores shows a stage that
    /// leaves a core idle.
    public var timings: String? {
        stages.isEmpty
            ? nil
            : stages.map { "\($0.stage) \($0.milliseconds) ms (cpu \($0.cpuMilliseconds) ms)" }.joined(
                separator: ", ")
    }

    public var summary: String {
        let how = incremental.map { " (incremental: \($0))" } ?? fullBuildReason.map { " (full build: \($0))" } ?? ""
        func count(_ n: Int, _ noun: String, _ plural: String? = nil) -> String {
            "\(n) \(n == 1 ? noun : plural ?? noun + "s")"
        }
        return "built \(count(pages, "page")) (\(count(capabilities, "capability", "capabilities")), "
            + "\(count(tables, "table")), \(count(paragraphs, "paragraph")), \(count(references, "reference"))) "
            + "in \(milliseconds) ms\(how): \(write.written.count) written, "
            + "\(write.unchanged) unchanged, \(write.removed.count) removed"
    }
}

/// A build that found problems in the content or could not write.
public enum BuildFailure: Error, Sendable {
    case content([Diagnostic])
    case write(String)
}

/// Load and resolve, with the recorded editions: everything a build checks before rendering.
public func loadAndResolve(root: URL) -> (SiteGraph?, [Diagnostic]) {
    let resolved = loadAndResolveWithEditions(folders: SiteFolders(root: root), useCache: false)
    return (resolved.graph, resolved.diagnostics)
}

/// The current content loaded, the recorded editions prepared with its theme, and the current
/// content resolved against them (for `edition:` references and what changed). `links`: the
/// last build's resolved links, given back with this build's (nil when none were asked for).
func loadAndResolveWithEditions(
    folders: SiteFolders, useCache: Bool, loadCache: LoadCache? = nil, linkStore: LinkStore? = nil,
    content: ContentFiles? = nil, progress: (@Sendable (BuildProgress) -> Void)? = nil,
    clock: UnsafeMutablePointer<StageClock>? = nil
) -> (graph: SiteGraph?, editions: [PreparedEdition], diagnostics: [Diagnostic], links: LinkStore?) {
    // The whole site is loaded: hundreds of megabytes at 10,000 pages, faster in huge pages.
    allowHugePages()
    let (loaded, loadDiagnostics) = loadSite(
        folders: folders, progress: progress, edition: nil, cache: loadCache, content: content)
    releaseFreeMemory()
    clock?.pointee.lap("load")
    guard let loaded else { return (nil, [], loadDiagnostics.sortedByLocation(), nil) }
    let (editions, editionDiagnostics) = prepareEditions(
        folders: folders, theme: loaded.config.theme, useCache: useCache)
    if !editions.isEmpty || !editionDiagnostics.isEmpty { clock?.pointee.lap("editions") }
    let resolved = resolveSite(loaded, editions: editionHistory(editions), links: linkStore)
    releaseFreeMemory()
    clock?.pointee.lap("resolve")
    // Load errors stop the build only after resolve, so authors see every problem at once.
    let all = (loadDiagnostics + editionDiagnostics + resolved.diagnostics).sortedByLocation()
    if all.hasErrors { return (nil, editions, all, nil) }
    return (resolved.graph, editions, all, resolved.links)
}

/// Every validation a build does, without rendering or writing anything.
public func check(root: URL) -> [Diagnostic] {
    loadAndResolve(root: root).1
}

/// Every validation a build does, recorded editions included.
public func check(folders: SiteFolders) -> [Diagnostic] {
    checkedSite(folders: folders).diagnostics
}

/// Every validation a build does, and the resolved site when it has no errors.
public func checkedSite(folders: SiteFolders) -> (graph: SiteGraph?, diagnostics: [Diagnostic]) {
    let resolved = loadAndResolveWithEditions(folders: folders, useCache: false)
    return (resolved.graph, resolved.diagnostics)
}

/// Load, resolve, render, write: one pipeline for every build. Nothing changed: nothing is read
/// or written. Only some section or capability files changed: the whole site is loaded and
/// resolved as always, and just the pages that read a fact those files now give differently
/// are rendered again (`affectedPages`), into the same writer; otherwise every page is.
public func build(_ options: BuildOptions) -> Result<BuildReport, BuildFailure> {
    let start = DispatchTime.now()
    // Started first, so the cache check's CPU time is counted too.
    var clock = StageClock(start: start)
    // A commit cut short is finished before the output is compared with anything.
    do { try finishInterruptedCommit(output: options.output.path) } catch { return .failure(.write("\(error)")) }
    // The last state and the walk of Content/ do not depend on each other: side by side.
    let root = options.root
    // The state's files are stamped as soon as it is read, and the walk's thread joins in when it
    // is done; the stamps are used if the walk lists the same files.
    let ahead = options.incremental ? StampsAhead() : nil
    let (last, content) = concurrently(
        { ahead?.readState(root: root) },
        {
            let walk = ContentFiles(root: root)
            ahead?.help()
            return walk
        })
    let previous = last?.state
    let stamps = InputStamps.take(root: root, previous: previous, content: content, early: last?.stamps.stamps)
    // A one-shot build's large values are never freed piece by piece (`keepUntilExit`): at
    // 10,000 pages freeing the last state and the stamps cost a rebuild several milliseconds.
    if options.exitsAfterBuild { keepUntilExit((last, stamps)) }
    var fullBuildReason: String?
    var rebuild: (changed: [String], previous: BuildState)?
    switch planBuild(options, stamps: stamps, previous: previous, start: start) {
    case .upToDate(let report): return .success(report)
    case .rebuild(let changed, let state): rebuild = (changed, state)
    case .full(let reason): fullBuildReason = reason
    }
    if options.incremental { clock.lap("cache check") }
    // What each page read is needed only once the graph is there: read meanwhile.
    let recorded = rebuild.map { _ in Started { RecordedInputs.read(root: root) } }
    if options.exitsAfterBuild { keepUntilExit(recorded) }
    let reads = SourceReads()
    let textEdit = rebuild.flatMap { rebuild in
        options.textEdits
            ? textEditGraph(options, stamps: stamps, changed: rebuild.changed, previous: rebuild.previous) : nil
    }
    let (resolved, diagnostics) =
        textEdit.map { (($0.graph, []), $0.diagnostics) }
        ?? loadAndResolveThroughCaches(options, stamps: stamps, reads: reads, clock: &clock)
    if textEdit != nil { clock.lap("load and resolve the changed files") }
    guard let (graph, editions) = resolved else { return .failure(.content(diagnostics)) }
    let stampsRead = stamps.withLoadedContent(reads, root: options.root)
    let affected = rebuild.map {
        affectedPages(
            changed: $0.changed, graph: graph, previous: $0.previous, content: stamps.content,
            recorded: recorded?.value)
    }
    if let affected {
        fullBuildReason = affected.reason
        clock.lap("affected pages")
    }
    let only = affected?.pages
    let staged: StagedSite
    switch renderIntoStaging(
        graph, editions: editions, only: only, diagnostics: diagnostics, options: options, clock: &clock)
    {
    case .success(let value): staged = value
    case .failure(let failure): return .failure(failure)
    }
    // A source that changed while it waited in the load cache: the build starts again in full.
    if let deferred = textEdit?.deferred, !deferred.failed.isEmpty {
        staged.writer.discard()
        var again = options
        again.textEdits = false
        return build(again)
    }
    // The graph's snapshot goes with the state: kept by a text-only rebuild, made by any other
    // build without recorded editions, and removed by one with them.
    let snapshot: GraphSnapshotPlan =
        textEdit != nil
        ? .keep(rebuild?.previous.graph) : editions.isEmpty ? .make(UInt64.random(in: 1...UInt64.max)) : .remove
    // A rebuild keeps the last state and inputs but for what it changed and rendered.
    var rebuilt: (inputs: RecordedInputs, changed: [String], previous: BuildState)?
    if only != nil, let rebuild, let affected { rebuilt = (affected.inputs, rebuild.changed, rebuild.previous) }
    let files = rebuilt?.previous.summary.files ?? staged.output.paths.count + 1
    let counts = BuildCounts(
        pages: allPages(graph).count, capabilities: graph.capabilities.count, tables: graph.tables.count,
        paragraphs: graph.paragraphIndex.count, references: graph.referenceCount, files: files)
    var summary: WriteSummary
    switch commitAndSaveState(
        staged, graph: graph, options: options, stamps: stampsRead, counts: counts,
        rebuilt: rebuilt, snapshot: snapshot)
    {
    case .success(let value): summary = value
    case .failure(let failure): return .failure(failure)
    }
    clock.lap("commit and save state")
    if options.exitsAfterBuild { keepUntilExit((affected, rebuilt, textEdit)) }
    if rebuilt != nil { summary.unchanged = files - summary.written.count }
    let elapsed = Int((DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000)
    let changedCount = rebuild?.changed.count ?? 0
    return .success(
        BuildReport(
            pages: counts.pages, capabilities: counts.capabilities, tables: counts.tables,
            references: counts.references, paragraphs: counts.paragraphs, milliseconds: elapsed, write: summary,
            warnings: staged.warnings,
            incremental: only == nil ? nil : "\(changedCount) changed file\(changedCount == 1 ? "" : "s")",
            fullBuildReason: fullBuildReason, stages: clock.laps))
}

/// Load and resolve through the load cache (only files whose bytes changed are parsed; `--full`
/// parses all and refreshes it) and the links cache, which is saved as soon as the links are
/// resolved and let go: rendering does not read it, and at 10,000 pages it is megabytes that
/// would otherwise sit through the build's peak. Nil, with every problem, when there are errors.
private func loadAndResolveThroughCaches(
    _ options: BuildOptions, stamps: InputStamps, reads: SourceReads, clock: inout StageClock
) -> (resolved: (graph: SiteGraph, editions: [PreparedEdition])?, diagnostics: [Diagnostic]) {
    var cache = LoadCache(folders: options.folders, buildID: executableStamp(), reads: options.incremental)
    if stamps.hashed {
        cache.stamps = stamps.forLoadCache
    } else {
        cache.readHashes = reads
    }
    let linkStore = LinkStore(
        bytes: options.incremental ? readFileBytes(linkStorePath(options.folders)) : nil, buildID: cache.buildID)
    let resolved = loadAndResolveWithEditions(
        folders: options.folders, useCache: options.incremental, loadCache: cache, linkStore: linkStore,
        content: stamps.content, progress: options.progress, clock: &clock)
    guard let graph = resolved.graph, !resolved.diagnostics.hasErrors else { return (nil, resolved.diagnostics) }
    saveLinkStore(resolved.links, folders: options.folders)
    return ((graph, resolved.editions), resolved.diagnostics)
}

/// A site rendered into the staging folder, not yet moved into place.
private struct StagedSite {
    var writer: SiteWriter
    var output: RenderOutput
    var editionCaches: [(id: String, cache: EditionCache)]
    /// What Load and Resolve reported (warnings only: the build passed them).
    var checked: [Diagnostic]
    var warnings: [Diagnostic]
}

/// What a build does with the graph snapshot.
private enum GraphSnapshotPlan {
    /// A text-only rebuild: the last one still describes the graph, under its token.
    case keep(UInt64?)
    /// Written anew, under a new token.
    case make(UInt64)
    case remove
}

/// Renders the pages (all, or `only` these) into a staging folder beside the output, each page
/// going to disk as soon as it is rendered; a full build keeps or renders every recorded
/// edition's pages into `editions/<id>/` too (a rebuild touches only the current edition's).
/// Nothing is moved in unless all of it is there: on an error the staging folder is discarded.
private func renderIntoStaging(
    _ graph: SiteGraph, editions: [PreparedEdition], only: Set<String>?, diagnostics: [Diagnostic],
    options: BuildOptions, clock: inout StageClock
) -> Result<StagedSite, BuildFailure> {
    let writer: SiteWriter
    do { writer = try SiteWriter(output: options.output, partial: only != nil) } catch {
        return .failure(.write("\(error)"))
    }
    let output = renderSiteStreaming(graph, only: only, progress: options.progress, emit: writer.put)
    clock.lap("render and write")
    var editionCaches: [(id: String, cache: EditionCache)] = []
    if only == nil && !editions.isEmpty {
        let (caches, problems) = renderEditions(editions, current: graph, folders: options.folders, writer: writer)
        editionCaches = caches
        clock.lap("editions")
        if problems.hasErrors {
            writer.discard()
            return .failure(.content((diagnostics + problems).sortedByLocation()))
        }
    }
    if output.diagnostics.hasErrors {
        writer.discard()
        return .failure(.content((diagnostics + output.diagnostics).sortedByLocation()))
    }
    return .success(
        StagedSite(
            writer: writer, output: output, editionCaches: editionCaches, checked: diagnostics,
            warnings: (diagnostics + output.diagnostics).warnings))
}

/// Moves the staged site into place while the state for the next build (and the graph's
/// snapshot) is worked out, then saves them and the editions' caches.
private func commitAndSaveState(
    _ staged: StagedSite, graph: SiteGraph, options: BuildOptions, stamps: InputStamps, counts: BuildCounts,
    rebuilt: (inputs: RecordedInputs, changed: [String], previous: BuildState)?, snapshot: GraphSnapshotPlan
) -> Result<WriteSummary, BuildFailure> {
    // The commit is quick and working out the state is not: the snapshot goes with the commit.
    let ((written, savedSnapshot), prepared) = concurrently(
        {
            let written = Result { try staged.writer.commit() }
            switch snapshot {
            case .keep(let token): return (written, token)
            case .make(let token):
                let bytes = encodedSnapshot(
                    graph, diagnostics: staged.checked, buildID: executableStamp(), token: token)
                return (written, saveGraphSnapshot(bytes, token: token, folders: options.folders))
            case .remove: return (written, saveGraphSnapshot(nil, token: 0, folders: options.folders))
            }
        },
        {
            prepareState(
                options: options, stamps: stamps, graph: graph, output: staged.output, warnings: staged.warnings,
                counts: counts, rebuilt: rebuilt)
        })
    let summary: WriteSummary
    switch written {
    case .success(let value): summary = value
    case .failure(let error): return .failure(.write("\(error)"))
    }
    var state = prepared
    state?.state.graph = savedSnapshot
    saveState(state, options: options)
    saveEditionCaches(staged.editionCaches, folders: options.folders)
    if options.exitsAfterBuild { keepUntilExit((graph, staged.output)) }
    return .success(summary)
}

/// Where `LinkStore` keeps each body's resolved links between builds.
func linkStorePath(_ folders: SiteFolders) -> String { folders.cache.appendingPathComponent("links").path }

/// Best effort: a store that cannot be written is removed, and the next build resolves every link.
func saveLinkStore(_ store: LinkStore?, folders: SiteFolders) {
    guard let store, store.changed else { return }
    let path = linkStorePath(folders)
    do {
        try createFolders(folders.cache.path)
        try writeFileAtomically(store.encoded(), to: path)
    } catch { unlink(path) }
}

/// Wall and CPU time between the stages of a build.
struct StageClock {
    var last: DispatchTime
    var lastCPU: Int
    var laps: [(stage: String, milliseconds: Int, cpuMilliseconds: Int)] = []

    init(start: DispatchTime) {
        last = start
        lastCPU = processCPUMilliseconds()
    }

    mutating func lap(_ stage: String) {
        let now = DispatchTime.now()
        let cpu = processCPUMilliseconds()
        laps.append((stage, Int((now.uptimeNanoseconds - last.uptimeNanoseconds) / 1_000_000), cpu - lastCPU))
        last = now
        lastCPU = cpu
    }
}

/// User and system time of every thread of the process so far.
private func processCPUMilliseconds() -> Int {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
    func milliseconds(_ time: timeval) -> Int { time.tv_sec * 1000 + Int(time.tv_usec) / 1000 }
    return milliseconds(usage.ru_utime) + milliseconds(usage.ru_stime)
}

/// Holds a value for the rest of the process, so it is never freed piece by piece.
private func keepUntilExit<Value>(_ value: Value) {
    _ = Unmanaged.passRetained(KeptValue(value))
}

private final class KeptValue<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
}
