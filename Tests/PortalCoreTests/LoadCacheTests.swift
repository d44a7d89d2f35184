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
        LoadCache(folders: SiteFolders(root: fixture.root), buildID: buildID, reads: reads, prunes: true)
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

    func entryKey(_ fixture: SiteFixture, _ cache: LoadCache, path: String, environment: UInt64) throws -> [UInt8] {
        let bytes = try #require(readFileBytes(fixture.root.path + "/" + path))
        return cache.key(path: path, environment: environment, bytes: bytes)
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
        // The second load read every source from its entry.
        let environment = environment(fixture)
        for path in markdownSourceFiles(root: fixture.root) {
            let key = try entryKey(fixture, cache, path: path, environment: environment)
            let hit = try #require(cache.lookup(path: path, key: key), "no entry for \(path)")
            #expect(hit.diagnostics.count == hit.diagnostics.count)
        }
    }

    @Test func anEntryIsUsedOnlyForItsBytesBinaryAndEnvironment() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        _ = load(fixture, cache: cache)
        let path = "Content/threats/beta.md"
        let environment = environment(fixture)
        let key = try entryKey(fixture, cache, path: path, environment: environment)
        #expect(cache.lookup(path: path, key: key) != nil)
        // Another binary, another environment, other bytes, another file: all misses.
        let other = self.cache(fixture, buildID: "another-build")
        #expect(
            other.lookup(path: path, key: try entryKey(fixture, other, path: path, environment: environment)) == nil)
        #expect(
            cache.lookup(path: path, key: try entryKey(fixture, cache, path: path, environment: environment &+ 1))
                == nil)
        #expect(cache.lookup(path: path, key: cache.key(path: path, environment: environment, bytes: [0x41])) == nil)
        #expect(cache.lookup(path: "Content/threats/alpha.md", key: key) == nil)
        // `--full` reads no entry.
        #expect(self.cache(fixture, reads: false).lookup(path: path, key: key) == nil)
        // A glossary change changes the environment: the same bytes are parsed again.
        try fixture.write("- term: FOO\n  expansion: Foo Office\n", to: "Content/data/glossary.yaml")
        #expect(self.environment(fixture) != environment)
        #expect(!load(fixture, cache: cache).1.contains { $0.code == "acronym-missing" && $0.message.contains("FOO") })
    }

    @Test(arguments: ["truncated", "flipped", "foreign", "empty", "folder"])
    func aDamagedEntryIsAMiss(_ damage: String) throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        let parsed = summary(load(fixture, cache: nil).0)
        _ = load(fixture, cache: cache)
        let environment = environment(fixture)
        for path in markdownSourceFiles(root: fixture.root) {
            let entry = cache.entryPath(path)
            var bytes = try #require(readFileBytes(entry))
            switch damage {
            case "truncated": bytes.removeLast(bytes.count / 3)
            case "flipped": bytes[bytes.count - 20] ^= 0x10
            case "foreign": bytes = Array(repeating: 0xFF, count: bytes.count)
            case "empty": bytes = []
            default:
                try FileManager.default.removeItem(atPath: entry)
                try FileManager.default.createDirectory(atPath: entry, withIntermediateDirectories: false)
            }
            if damage != "folder" { try writeFileBytes(bytes, to: entry) }
            #expect(
                cache.lookup(path: path, key: try entryKey(fixture, cache, path: path, environment: environment)) == nil
            )
        }
        #expect(summary(load(fixture, cache: cache).0) == parsed)
    }

    @Test func entriesOfRemovedSourcesArePruned() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        let cache = cache(fixture)
        _ = load(fixture, cache: cache)
        let gamma = cache.entryPath("Content/threats/gamma.md")
        #expect(FileManager.default.fileExists(atPath: gamma))
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("Content/threats/gamma.md"))
        _ = load(fixture, cache: cache)
        #expect(!FileManager.default.fileExists(atPath: gamma))
    }

    /// Through the build: edits after the cache was used, and over a damaged cache, give the
    /// bytes a build from nothing gives.
    @Test func buildsOverTheCacheMatchAFullBuild() throws {
        let fixture = try SiteFixture(overriding: Self.extraFiles)
        guard case .success = fixture.build() else { throw BuildFailure.write("first build failed") }
        let folder = SiteFolders(root: fixture.root).cache.appendingPathComponent("load")
        let edits: [(String, String, String)] = [
            ("Content/threats/beta.md", "Beta relies", "Beta still relies"),
            ("Content/threats/gamma.md", "Text after.", "Text after, edited."),
            ("Content/data/glossary.yaml", "Assistant Chief Constable", "Assistant Chief Constable (ACC)"),
        ]
        for (index, (path, old, new)) in edits.enumerated() {
            Thread.sleep(forTimeInterval: 0.01)
            let text = try String(contentsOf: fixture.root.appendingPathComponent(path), encoding: .utf8)
            try fixture.write(text.replacingOccurrences(of: old, with: new), to: path)
            if index == 1 {
                for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                    try writeFileBytes(Array("portal-load 1\nnot an entry".utf8), to: folder.path + "/" + name)
                }
            }
            guard case .success = fixture.build() else { throw BuildFailure.write("build \(index) failed") }
            let fresh = fixture.root.appendingPathComponent("fresh-\(index)")
            guard case .success = build(BuildOptions(root: fixture.root, output: fresh, incremental: false)) else {
                throw BuildFailure.write("full build \(index) failed")
            }
            #expect(snapshot(of: fixture.output).mapValues(\.0) == snapshot(of: fresh).mapValues(\.0))
        }
    }
}
