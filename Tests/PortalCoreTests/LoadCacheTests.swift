import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalMarkdown
@testable import PortalSupport

/// The load cache (`LoadCache`): an entry gives back exactly what parsing the file gives, is used
/// only for the bytes, binary and environment it was made with, and a damaged one is a miss.
@Suite("Load cache")
struct LoadCacheTests {
    static let extraFiles: [String: String?] = [
        // Figures (a Decimal), an inspection, a lead, a heading and a warning: every field coded.
        "Content/threats/gamma.md": """
        ---
        title: Gamma threat
        order: 3
        summary: Gamma.
        lead: The lead.
        inspection:
          body: HMICFRS
          status: good
          paragraph: 5
        key_figures:
          - label: Cost
            value: "1,113.50"
            unit: "£"
            paragraph: 5
          - label: Words
            value: many
            paragraph: 5
        ---

        5. Gamma uses the FOO and [a link](https://example.org) and ![a chart](table:drone-numbers).

        ## A heading

        Text after.
        """
    ]

    func cache(_ fixture: SiteFixture, buildID: String = "test-build", reads: Bool = true) -> LoadCache {
        LoadCache(folders: SiteFolders(root: fixture.root), buildID: buildID, reads: reads)
    }

    func openPack(_ fixture: SiteFixture, _ cache: LoadCache, environment: UInt64? = nil) -> LoadCachePack? {
        LoadCachePack(
            path: cache.file.path, header: cache.header(environment: environment ?? self.environment(fixture)))
    }

    /// The pack's entry for a source as it is on disk now.
    func entry(_ pack: LoadCachePack?, _ fixture: SiteFixture, path: String) throws -> Loaded<SourceDocument>? {
        let bytes = try #require(readFileBytes(fixture.root.path + "/" + path))
        return pack?.lookup(path: path, size: bytes.count, hash: bytes.withUnsafeBytes(contentHash))?.loaded
    }

    /// Everything a source document carries that later stages read, as one comparable value.
    func summary(_ site: LoadedSite?) -> [String] {
        guard let site else { return ["no site"] }
        var lines: [String] = []
        for section in site.sections {
            lines.append(
                "\(section.file) \(section.slug) \(section.folder) \(section.title.value) \(section.title.location) "
                    + "\(section.order.value) \(section.kind) \(section.summary) \(section.lead ?? "-") "
                    + "\(section.boards.map { "\($0.value)@\($0.location)" }) "
                    + "\(section.capabilities.map { "\($0.value)@\($0.location)" }) "
                    + "\(String(describing: section.inspection)) \(String(describing: section.keyFigures)) "
                    + "\(section.interface)")
            lines.append(String(describing: section.body))
        }
        for capability in site.capabilities {
            lines.append(
                "\(capability.file) \(capability.slug) \(capability.title.value) \(capability.summary) "
                    + "\(capability.level ?? "-") \(capability.sections.map(\.value)) "
                    + "\(String(describing: capability.figures)) \(capability.aliases) \(capability.interface)")
            lines.append(String(describing: capability.body))
        }
        return lines
    }

    func load(_ fixture: SiteFixture, cache: LoadCache?) -> (LoadedSite?, [Diagnostic]) {
        loadSite(folders: SiteFolders(root: fixture.root), cache: cache)
    }

    func environment(_ fixture: SiteFixture) -> UInt64 {
        var diagnostics: [Diagnostic] = []
        let config = loadConfig(root: fixture.root, files: nil, diagnostics: &diagnostics)
        return loadDataFiles(root: fixture.root, config: config, files: nil, diagnostics: &diagnostics)
            .environment.fingerprint
    }

    @Test func anEntryGivesBackWhatParsingGives() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        let parsed = load(fixture, cache: nil)
        let stored = load(fixture, cache: cache)
        let reused = load(fixture, cache: cache)
        #expect(summary(parsed.0) == summary(stored.0))
        #expect(summary(parsed.0) == summary(reused.0))
        #expect(parsed.1 == reused.1)
        #expect(parsed.1.contains { $0.code == "acronym-missing" })
        // The pack holds an entry for every source.
        let pack = try #require(openPack(fixture, cache))
        for path in markdownSourceFiles(root: fixture.root) {
            #expect(try entry(pack, fixture, path: path) != nil, "no entry for \(path)")
        }
    }

    /// A reused entry leaves its texts and HTML in the mapped pack until asked for; they read the
    /// same as parsing gives even after the pack is rewritten and its file removed.
    @Test func aReusedBodyDefersItsTextsAndOutlivesItsPack() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        let parsed = try #require(load(fixture, cache: nil).0)
        _ = load(fixture, cache: cache)
        let reused = try #require(load(fixture, cache: cache).0)
        let section = try #require(reused.sections.first { $0.file == "Content/threats/gamma.md" })
        let paragraph = try #require(section.body.paragraphs.first)
        guard case .mapped = paragraph.storedText else {
            Issue.record("a reused paragraph's text was copied out of the pack")
            return
        }
        // A full load writes the pack anew (a new file renamed over the old), then it is removed.
        _ = load(fixture, cache: self.cache(fixture, reads: false))
        unlink(cache.file.path)
        let original = try #require(parsed.sections.first { $0.file == section.file })
        #expect(paragraph.text == original.body.paragraphs.first?.text)
        #expect(section.body.blocks == original.body.blocks)
        #expect(section.body == original.body)
        #expect(!section.body.blocks.isEmpty)
    }

    @Test func anEntryIsUsedOnlyForItsBytesBinaryAndEnvironment() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        _ = load(fixture, cache: cache)
        let path = "Content/threats/beta.md"
        let environment = environment(fixture)
        #expect(try entry(openPack(fixture, cache), fixture, path: path) != nil)
        // Another binary, another environment: the pack is not used at all.
        #expect(openPack(fixture, self.cache(fixture, buildID: "another-build")) == nil)
        #expect(openPack(fixture, cache, environment: environment &+ 1) == nil)
        // Other bytes, another file: misses.
        let pack = try #require(openPack(fixture, cache))
        #expect(pack.lookup(path: path, size: 1, hash: 0) == nil)
        let bytes = try #require(readFileBytes(fixture.root.path + "/" + path))
        #expect(
            pack.lookup(path: "Content/threats/alpha.md", size: bytes.count, hash: bytes.withUnsafeBytes(contentHash))
                == nil)
        // `--full` reads no entry.
        #expect(self.cache(fixture, reads: false).session(environment: environment, paths: [])?.pack == nil)
        // A glossary change changes the environment: the same bytes are parsed again.
        try fixture.write("- term: FOO\n  expansion: Foo Office\n", to: "Content/data/glossary.yaml")
        #expect(self.environment(fixture) != environment)
        #expect(!load(fixture, cache: cache).1.contains { $0.code == "acronym-missing" && $0.message.contains("FOO") })
    }

    /// A stamp that matches an entry spares reading the file; one that matches none (the file
    /// changed) is a miss, and the file is read and parsed.
    @Test func aStampThatMatchesNoEntryIsAMiss() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        var cache = cache(fixture)
        _ = load(fixture, cache: cache)
        let path = "Content/threats/gamma.md"
        let text = try String(contentsOf: fixture.root.appendingPathComponent(path), encoding: .utf8)
        try fixture.write(text.replacingOccurrences(of: "Text after.", with: "Text after, edited."), to: path)
        let parsed = summary(load(fixture, cache: nil).0)
        var stamps: [String: (size: Int, hash: UInt64)] = [path: (size: 3, hash: 42)]
        for other in markdownSourceFiles(root: fixture.root) where other != path {
            let bytes = try #require(readFileBytes(fixture.root.path + "/" + other))
            stamps[other] = (bytes.count, bytes.withUnsafeBytes(contentHash))
        }
        cache.stamps = SourceStampLookup(stamps)
        #expect(summary(load(fixture, cache: cache).0) == parsed)
        #expect(parsed.contains { $0.contains("Text after, edited.") })
    }

    @Test(arguments: ["truncated", "flipped", "foreign", "empty", "folder", "index"])
    func aDamagedPackIsAMiss(_ damage: String) throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        let parsed = summary(load(fixture, cache: nil).0)
        _ = load(fixture, cache: cache)
        let file = cache.file.path
        var bytes = try #require(readFileBytes(file))
        let gamma = "Content/threats/gamma.md"
        let offset = try #require(openPack(fixture, cache)?.index[gamma]?.offset)
        switch damage {
        case "truncated": bytes.removeLast(bytes.count / 3)
        case "flipped": bytes[offset + 60] ^= 0x10
        case "foreign": bytes = Array(repeating: 0xFF, count: bytes.count)
        case "empty": bytes = []
        case "index": bytes[bytes.count - 30] ^= 0x01
        default:
            try FileManager.default.removeItem(atPath: file)
            try FileManager.default.createDirectory(atPath: file, withIntermediateDirectories: false)
        }
        if damage != "folder" { try writeFileBytes(bytes, to: file) }
        let pack = openPack(fixture, cache)
        if damage == "flipped" {
            // One entry damaged: that one is a miss, the others still serve.
            #expect(try entry(pack, fixture, path: gamma) == nil)
            #expect(try entry(pack, fixture, path: "Content/threats/beta.md") != nil)
        } else {
            #expect(pack == nil)
        }
        #expect(summary(load(fixture, cache: cache).0) == parsed)
        if damage == "folder" { try FileManager.default.removeItem(atPath: file) }
        // The load after the damage left a whole pack again.
        #expect(summary(load(fixture, cache: cache).0) == parsed)
        #expect(try entry(openPack(fixture, cache), fixture, path: gamma) != nil)
    }

    /// A pack a killed build left half-written goes; one a running process is writing stays.
    @Test func abandonedPacksAreRemoved() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        _ = load(fixture, cache: cache)
        // A process id no process has (above Linux's largest), and this process's parent's.
        let abandoned = cache.file.path + ".tmp-999999999-1"
        let running = cache.file.path + ".tmp-\(getppid())-2"
        for path in [abandoned, running] { try writeFileBytes(Array("half a pack".utf8), to: path) }
        _ = load(fixture, cache: self.cache(fixture, reads: false))
        #expect(!FileManager.default.fileExists(atPath: abandoned))
        #expect(FileManager.default.fileExists(atPath: running))
    }

    /// A rebuild appends what it parsed; the pack is written anew once dead entries outweigh
    /// live ones, and a removed source's entry goes then.
    @Test func aRebuildAppendsAndThePackStaysSmall() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        _ = load(fixture, cache: cache)
        let first = try #require(readFileBytes(cache.file.path)).count
        var sizes: [Int] = []
        for round in 0..<12 {
            let path = "Content/threats/gamma.md"
            let text = try String(contentsOf: fixture.root.appendingPathComponent(path), encoding: .utf8)
            try fixture.write(text.replacingOccurrences(of: "Text after", with: "Text after \(round)"), to: path)
            let parsed = summary(load(fixture, cache: nil).0)
            #expect(summary(load(fixture, cache: cache).0) == parsed)
            sizes.append(try #require(readFileBytes(cache.file.path)).count)
        }
        #expect(sizes[0] > first)
        #expect(sizes.allSatisfy { $0 <= first * 2 + 4096 })
        #expect(zip(sizes, sizes.dropFirst()).contains { $1 < $0 })
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/threats/gamma.md"))
        for _ in 0..<12 { _ = load(fixture, cache: cache) }
        _ = load(fixture, cache: self.cache(fixture, reads: false))
        #expect(openPack(fixture, cache)?.index["Content/threats/gamma.md"] == nil)
    }

    /// Through the build: edits after the cache was used, and over a damaged cache, give the
    /// bytes a build from nothing gives.
    @Test func buildsOverTheCacheMatchAFullBuild() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        guard case .success = fixture.build() else { throw BuildFailure.write("first build failed") }
        let file = SiteFolders(root: fixture.root).cache.appendingPathComponent("load.pack")
        let edits: [(String, String, String)] = [
            ("Content/threats/beta.md", "Beta relies", "Beta still relies"),
            ("Content/threats/gamma.md", "Text after.", "Text after, edited."),
            ("Content/data/glossary.yaml", "Assistant Chief Constable", "Assistant Chief Constable (ACC)"),
        ]
        for (index, (path, old, new)) in edits.enumerated() {
            Thread.sleep(forTimeInterval: 0.01)
            let text = try String(contentsOf: fixture.root.appendingPathComponent(path), encoding: .utf8)
            try fixture.write(text.replacingOccurrences(of: old, with: new), to: path)
            if index == 1 { try writeFileBytes(Array("portal-load-pack 1\nnot a pack".utf8), to: file.path) }
            guard case .success = fixture.build() else { throw BuildFailure.write("build \(index) failed") }
            let fresh = fixture.root.appendingPathComponent("fresh-\(index)")
            guard case .success = build(BuildOptions(root: fixture.root, output: fresh, incremental: false)) else {
                throw BuildFailure.write("full build \(index) failed")
            }
            #expect(snapshot(of: fixture.output).mapValues(\.0) == snapshot(of: fresh).mapValues(\.0))
        }
    }
}
