import Foundation
import PortalMarkdown
import PortalSupport

/// A text-only rebuild's load (see `resolveTextEdit`): the site's data, config and theme as
/// always, but not git's history, which the graph snapshot keeps; the changed sources parsed
/// through the load cache, whose index keeps every other source's entry; and the unchanged
/// sources left in the cache (`DeferredSources`), read only when a page asks for one. Nil when the cache cannot serve that (no pack, or one due to be
/// written anew): the build then loads everything.
package func loadTextEdit(folders: SiteFolders, content: ContentFiles, changed: [String], cache: LoadCache) -> (
    site: LoadedSite?, diagnostics: [Diagnostic], deferred: DeferredSources
)? {
    let root = folders.root
    let made = DeferredMaker()
    let (site, diagnostics) = loadSite(folders: folders, content: content, edition: nil) { environment in
        // Without a session the build loads everything anyway: nothing here.
        guard let session = cache.textEditSession(environment: environment.fingerprint), let pack = session.pack
        else { return LoadedSources(history: GitHistory()) }
        made.deferred = DeferredSources(pack: pack, stamps: cache.stamps, root: root, environment: environment)
        // Git's history is the graph snapshot's (`resolveTextEdit`): no git process here.
        return loadSources(
            changed, root: root, environment: environment, session: { session }, progress: nil,
            history: { GitHistory() })
    }
    guard let deferred = made.deferred else { return nil }
    return (site, diagnostics, deferred)
}

/// Holds what the load closure made, for the function that called it.
private final class DeferredMaker: @unchecked Sendable {
    var deferred: DeferredSources?
}

/// The sources a text-only rebuild did not load, read from the last build's load cache when a
/// page first asks for one: by the stamp the build took, so only the bytes the build saw are
/// used; a source the cache cannot give is parsed from its file, if the file still has those
/// bytes. One that can be read neither way (changed while the build ran) is given as an empty
/// source and named in `failed`: the build must then be discarded and run again in full.
package final class DeferredSources: @unchecked Sendable {
    private let pack: LoadCachePack
    private let stamps: SourceStampLookup
    private let root: URL
    private let environment: SourceEnvironment
    private let lock = NSLock()
    private var unread: [String] = []

    init(pack: LoadCachePack, stamps: SourceStampLookup, root: URL, environment: SourceEnvironment) {
        self.pack = pack
        self.stamps = stamps
        self.root = root
        self.environment = environment
    }

    /// Sources that could not be read as they were stamped, and other deferred parts of the
    /// build's graph that could not be decoded (`fail`).
    package var failed: [String] { lock.withLock { unread } }

    /// Records that a deferred part of the graph could not be read, so the build is run again.
    package func fail(_ what: String) { lock.withLock { unread.append(what) } }

    package func section(_ path: String) -> SectionSource {
        if case .section(let source)? = document(path) { return source }
        fail(path)
        return SectionSource(
            file: path, slug: slug(ofFile: path), folder: sectionFolder(ofPath: path) ?? "",
            title: Located("", at: SourceLocation(file: path)), order: Located(0, at: SourceLocation(file: path)),
            kind: "", summary: "", lead: nil, boards: [], capabilities: [], inspection: nil, keyFigures: [],
            body: emptyBody(path), interface: "")
    }

    package func capability(_ path: String) -> CapabilitySource {
        if case .capability(let source)? = document(path) { return source }
        fail(path)
        return CapabilitySource(
            file: path, slug: slug(ofFile: path), title: Located("", at: SourceLocation(file: path)), summary: "",
            level: nil, sections: [], figures: [], aliases: [], body: emptyBody(path), interface: "")
    }

    private func document(_ path: String) -> SourceDocument? {
        guard let stamp = stamps[path] else { return nil }
        if let hit = pack.lookup(path: path, size: stamp.size, hash: stamp.hash)?.loaded.value { return hit }
        guard case .success(let bytes) = readRegularFile(root.path + "/" + path), bytes.count == stamp.size,
            bytes.withUnsafeBytes(contentHash) == stamp.hash
        else { return nil }
        return loadSource(path: path, read: SourceFile.decode(bytes, path: path), environment: environment).value
    }

    private func emptyBody(_ path: String) -> ParsedBody {
        ParsedBody(
            file: path, paragraphs: [], headings: [], links: [], blocks: StoredBlocks([]), diagnostics: [],
            isEmpty: true)
    }
}
