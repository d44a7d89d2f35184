import Foundation
import PortalLoad
import PortalRender
import PortalResolve
import PortalSupport
import PortalWrite

// Recorded editions in a build: each is checked against its manifest, loaded and resolved with
// the current tool and theme, and rendered into `editions/<id>/` through the same pipeline as the
// current content. They cannot change, so what a build made of one is kept in
// `.portal-cache/editions/<id>.json` (its snapshot, and the stamps of its source and output
// files): while the tool, the theme, the edition and the current site's list of pages are the
// same, a build only checks those stamps, and the edition's files are left exactly as they are.

/// A recorded edition as this build has it.
struct PreparedEdition {
    var edition: RecordedEdition
    var snapshot: EditionSnapshot
    /// Loaded and resolved this build; nil when the snapshot came from the cache (it is then
    /// loaded again only if its pages must be rendered).
    var graph: SiteGraph?
    var cache: EditionCache
    var snapshotKey: String
}

/// What the last build kept of one recorded edition.
struct EditionCache: Codable, Equatable {
    static let version = 2
    var version = EditionCache.version
    /// The manifest as the last build read it, while its file's identity stamp is this one.
    var manifestStamp: [Int64] = []
    var manifest: CachedManifest?
    /// Tool and manifest: what the snapshot depends on.
    var snapshotKey = ""
    var snapshot = EditionSnapshot()
    /// Source files verified against the manifest, by path under the root: their identity stamps.
    var verified: [String: [Int64]] = [:]
    /// Tool, theme, snapshot, the other editions and the current site's pages: what the pages
    /// depend on.
    var outputKey = ""
    /// The edition's output files, by path in the output folder: their identity stamps.
    var outputs: [String: [Int64]] = [:]

    static func path(_ id: String, root: URL) -> String {
        BuildState.folder(root: root).appendingPathComponent("editions/\(id).json").path
    }

    /// Anything unreadable, short or from another version is no cache at all.
    static func read(_ id: String, root: URL) -> EditionCache? {
        guard let bytes = readFileBytes(path(id, root: root)),
            let cache = try? JSONDecoder().decode(EditionCache.self, from: Data(bytes)), cache.version == version
        else { return nil }
        return cache
    }

    func write(_ id: String, root: URL) {
        let file = Self.path(id, root: root)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(self) else { return }
        try? createFolders((file as NSString).deletingLastPathComponent)
        try? writeFileAtomically(Array(data), to: file)
    }
}

/// A manifest as the cache keeps it.
struct CachedManifest: Codable, Equatable {
    var title: String?
    var date: String?
    /// path, SHA-256, updated (ISO date or ""), author.
    var files: [[String]]

    init(_ edition: RecordedEdition) {
        title = edition.info.title
        date = edition.info.date
        files = edition.files.map { [$0.path, $0.sha256, $0.updated?.date.iso ?? "", $0.updated?.author ?? ""] }
    }

    func edition(_ id: String, folders: SiteFolders) -> RecordedEdition? {
        var read: [EditionFile] = []
        for file in files {
            guard file.count == 4 else { return nil }
            let updated = PartialDate(file[2]).map { LastChange(date: $0, author: file[3]) }
            read.append(EditionFile(path: file[0], sha256: file[1], updated: updated))
        }
        return RecordedEdition(
            info: EditionInfo(id: id, title: title, date: date), folder: folders.editions.appendingPathComponent(id),
            files: read)
    }
}

private func identity(_ path: String) -> [Int64]? {
    FileStamp.ofIdentity(path).map { [$0.size, $0.modified, Int64(bitPattern: $0.content)] }
}

/// Every recorded edition, oldest first, verified and resolved (or taken from the cache), each
/// compared with the ones before it. The errors of an edition are the build's errors, at the
/// edition's files; its warnings were there when it was recorded and cannot be acted on, so they
/// are not repeated on every build.
func prepareEditions(folders: SiteFolders, theme: Located<String>, useCache: Bool) -> (
    [PreparedEdition], [Diagnostic]
) {
    var caches: [String: EditionCache] = [:]
    let (editions, manifestProblems) = loadEditionManifests(folders: folders) { id in
        guard useCache, let cache = EditionCache.read(id, root: folders.root) else { return nil }
        caches[id] = cache
        guard let manifest = cache.manifest, !cache.manifestStamp.isEmpty,
            cache.manifestStamp == identity(folders.fullPath(SitePath.editionManifest(id)))
        else { return nil }
        return manifest.edition(id, folders: folders)
    }
    var diagnostics = manifestProblems
    var prepared: [PreparedEdition] = []
    let tool = executableStamp()
    for edition in editions {
        var cache = caches[edition.info.id] ?? EditionCache()
        cache.manifestStamp = identity(folders.fullPath(edition.manifest)) ?? []
        cache.manifest = CachedManifest(edition)
        let base = "\(SitePath.editions)/\(edition.info.id)/"
        let verified = cache.verified
        let problems = verifyEdition(edition, folders: folders) { path in
            verified[path] != nil && verified[path] == identity(folders.fullPath(path))
        }
        diagnostics += problems
        if problems.hasErrors { continue }
        cache.verified = Dictionary(
            uniqueKeysWithValues: edition.files.compactMap { file in
                identity(folders.fullPath(base + file.path)).map { (base + file.path, $0) }
            })
        var hasher = StableHasher()
        hasher.combine(tool)
        hasher.combine(readFileBytes(folders.fullPath(edition.manifest)) ?? [])
        let snapshotKey = hasher.hex
        if cache.snapshotKey == snapshotKey {
            prepared.append(
                PreparedEdition(
                    edition: edition, snapshot: cache.snapshot, graph: nil, cache: cache, snapshotKey: snapshotKey))
            continue
        }
        let history = EditionHistory(
            recorded: prepared.map { .init(info: $0.edition.info, snapshot: $0.snapshot) }, building: edition.info)
        let (graph, problemsOfEdition) = resolveEdition(edition, folders: folders, theme: theme, history: history)
        diagnostics += problemsOfEdition
        guard let graph else { continue }
        cache.snapshotKey = snapshotKey
        cache.snapshot = editionSnapshot(of: graph)
        prepared.append(
            PreparedEdition(
                edition: edition, snapshot: cache.snapshot, graph: graph, cache: cache, snapshotKey: snapshotKey))
    }
    return (prepared, diagnostics)
}

/// Loads and resolves one recorded edition from its frozen `Content/`. Its problems are reported
/// at its own files (`Editions/<id>/Content/...`).
private func resolveEdition(
    _ edition: RecordedEdition, folders: SiteFolders, theme: Located<String>, history: EditionHistory
) -> (SiteGraph?, [Diagnostic]) {
    let editionFolders = SiteFolders(root: edition.folder, output: folders.output)
    let (loaded, loadProblems) = loadSite(
        folders: editionFolders,
        edition: EditionLoad(themeRoot: folders.root, theme: theme, history: edition.history))
    var problems = loadProblems
    var graph: SiteGraph?
    if let loaded {
        let resolved = resolveSite(loaded, editions: history)
        graph = resolved.0
        problems += resolved.1
    }
    let prefix = "\(SitePath.editions)/\(edition.info.id)/"
    let errors = problems.errors.map { problem -> Diagnostic in
        var moved = problem
        // Theme files are the current site's, and already named from its root.
        if !moved.location.file.hasPrefix(SitePath.themes + "/") { moved.location.file = prefix + moved.location.file }
        moved.message = "edition '\(edition.info.id)': " + moved.message
        return moved
    }
    return (errors.isEmpty ? graph : nil, errors)
}

/// What the current graph is told of the recorded editions.
func editionHistory(_ prepared: [PreparedEdition]) -> EditionHistory {
    EditionHistory(recorded: prepared.map { .init(info: $0.edition.info, snapshot: $0.snapshot) })
}

/// Renders every recorded edition into `editions/<id>/` through `writer`, or, where nothing its
/// pages depend on changed and its files are as the last build left them, keeps them as they are.
/// Returns the caches to save once the files are in place, and any render errors.
func renderEditions(
    _ prepared: [PreparedEdition], current: SiteGraph, folders: SiteFolders, writer: SiteWriter
) -> ([(id: String, cache: EditionCache)], [Diagnostic]) {
    let currentPages = Set(allPages(current).map(\.path))
    var pagesHasher = StableHasher()
    for path in currentPages.sorted() { pagesHasher.combine(path) }
    // The theme's files are read once for every edition's key.
    let theme = themeFingerprint(root: folders.root)
    var diagnostics: [Diagnostic] = []
    var caches: [(id: String, cache: EditionCache)] = []
    for (position, item) in prepared.enumerated() {
        var cache = item.cache
        let folder = item.edition.info.folder
        var hasher = StableHasher()
        hasher.combine(item.snapshotKey)
        hasher.combine(theme)
        hasher.combine(pagesHasher.hex)
        // Its changes pages compare it with the one before; its banner names it.
        for earlier in prepared[..<position] { hasher.combine(earlier.snapshotKey) }
        hasher.combine(item.edition.info.name + (item.edition.info.date ?? ""))
        let outputKey = hasher.hex
        if cache.outputKey == outputKey, !cache.outputs.isEmpty,
            cache.outputs.allSatisfy({ identity(folders.output.path + "/" + $0.key) == $0.value })
        {
            writer.keep(cache.outputs.keys.sorted())
            caches.append((item.edition.info.id, cache))
            continue
        }
        var graph: SiteGraph
        if let resolved = item.graph {
            graph = resolved
        } else {
            let history = EditionHistory(
                recorded: prepared[..<position].map { .init(info: $0.edition.info, snapshot: $0.snapshot) },
                building: item.edition.info)
            let (resolved, problems) = resolveEdition(
                item.edition, folders: folders, theme: current.config.theme, history: history)
            diagnostics += problems
            guard let resolved else { continue }
            graph = resolved
        }
        graph.editions.currentPages = currentPages
        let paths = PathCollector()
        let output = renderSiteStreaming(graph) { file in
            // The not-found page is served for the whole site, from its root.
            guard file.path != PageID.notFound.path else { return }
            let placed = OutputFile(path: folder + file.path, bytes: file.bytes)
            paths.add(placed.path)
            writer.put(placed)
        }
        diagnostics += output.diagnostics.errors
        cache.outputKey = outputKey
        cache.outputs = Dictionary(uniqueKeysWithValues: paths.all.map { ($0, [Int64]()) })
        caches.append((item.edition.info.id, cache))
    }
    return (caches, diagnostics)
}

/// After the commit: the stamps of each edition's files as they now are, and the caches saved.
func saveEditionCaches(_ caches: [(id: String, cache: EditionCache)], folders: SiteFolders) {
    for (id, var cache) in caches {
        var outputs: [String: [Int64]] = [:]
        for path in cache.outputs.keys {
            guard let stamp = identity(folders.output.path + "/" + path) else { continue }
            outputs[path] = stamp
        }
        // A file that could not be stamped makes the next build render the edition again.
        cache.outputs = outputs.count == cache.outputs.count ? outputs : [:]
        cache.write(id, root: folders.root)
    }
}

private final class PathCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var paths: [String] = []
    var all: [String] { lock.withLock { paths } }
    func add(_ path: String) { lock.withLock { paths.append(path) } }
}
