import Foundation
import PortalLoad
import PortalResolve
import PortalSupport

/// A rebuild whose changed files changed only their text takes the graph's structure from the
/// snapshot the last full pass left (`GraphSnapshot`) and loads only the changed files
/// (`loadTextEdit`, `resolveTextEdit`); every other stage is the normal pipeline's. Nil whenever
/// that could give anything but what a full pass would, and the build loads and resolves all:
/// - no snapshot of the last state's graph, or one of another binary;
/// - recorded editions (what changed since the last one reads every section's text);
/// - a problem the snapshot holds in a changed file (its line may have moved with the text);
/// - a changed file that now reports any problem, or whose interface is not the last state's.
func textEditGraph(_ options: BuildOptions, stamps: InputStamps, changed: [String], previous: BuildState) -> (
    graph: SiteGraph, diagnostics: [Diagnostic], deferred: DeferredSources
)? {
    let folders = options.folders
    guard let token = previous.graph, !hasRecordedEditions(folders) else { return nil }
    var cache = LoadCache(folders: folders, buildID: executableStamp(), reads: true)
    cache.stamps = stamps.forLoadCache
    // The snapshot is read while the data and the changed files load.
    let (loaded, read) = concurrently(
        { loadTextEdit(folders: folders, content: stamps.content, changed: changed, cache: cache) },
        { MappedFile(path: graphSnapshotPath(folders)).flatMap { decodedSnapshot($0, buildID: executableStamp()) } })
    let changedFiles = Set(changed)
    guard let snapshot = read, snapshot.token == token,
        !snapshot.diagnostics.contains(where: { changedFiles.contains($0.location.file) }),
        let load = loaded, let site = load.site
    else { return nil }
    // The site's own problems (data, walk) are the snapshot's already; a changed file has none.
    let known = Set(snapshot.diagnostics)
    guard load.diagnostics.allSatisfy({ known.contains($0) && !changedFiles.contains($0.location.file) }) else {
        return nil
    }
    let interfaces = site.sections.map { ($0.file, $0.interface) } + site.capabilities.map { ($0.file, $0.interface) }
    guard interfaces.count == changed.count,
        interfaces.allSatisfy({
            previous.sources.source($0.0, near: stamps.content.position(of: $0.0))?.interface == $0.1
        }),
        let graph = resolveTextEdit(site, snapshot: snapshot, deferred: load.deferred)
    else { return nil }
    return (graph, snapshot.diagnostics, load.deferred)
}

/// Where the graph snapshot is kept between builds.
func graphSnapshotPath(_ folders: SiteFolders) -> String { folders.cache.appendingPathComponent("graph").path }

/// Whether `Editions/` holds anything: a text-only rebuild is for sites without recorded editions.
private func hasRecordedEditions(_ folders: SiteFolders) -> Bool {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folders.fullPath(SitePath.editions))) ?? []
    return !names.isEmpty
}

/// Writes the snapshot of a build's graph (one that resolved everything; none with recorded
/// editions); returns its token for the state, or nil when none could be written, and none is
/// left behind.
func saveGraphSnapshot(_ bytes: [UInt8]?, token: UInt64, folders: SiteFolders) -> UInt64? {
    let path = graphSnapshotPath(folders)
    guard let bytes else {
        unlink(path)
        return nil
    }
    do {
        try createFolders(folders.cache.path)
        try writeFileAtomically(bytes, to: path)
        return token
    } catch {
        unlink(path)
        return nil
    }
}
