import Foundation
import Testing

@testable import PortalBuild
@testable import PortalSupport

/// The claims ARCHITECTURE.md makes about the code's shape, checked on the source tree.
@Suite("Architecture")
struct ArchitectureTests {
    /// The stages in order: a target may import only targets before it in this list. Targets on
    /// one line share a level and must not import each other.
    static let levels: [[String]] = [
        ["PortalSupport"],
        ["PortalTemplates", "PortalMarkdown"],
        ["PortalLoad"],
        ["PortalResolve"],
        ["PortalRender"],
        ["PortalWrite"],
        ["PortalBuild"],
        ["PortalServe", "PortalPublish", "PortalScaffold"],
    ]

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Each Swift file under `Sources/<target>/`, with its text.
    static func sources(of target: String) -> [(path: String, text: String)] {
        let folder = repository.appendingPathComponent("Sources/\(target)")
        let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        return names.filter { $0.hasSuffix(".swift") }.sorted().compactMap { name in
            (try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)).map {
                ("\(target)/\(name)", $0)
            }
        }
    }

    static func level(of target: String) -> Int? { levels.firstIndex { $0.contains(target) } }

    @Test func everyStageImportsOnlyStagesBeforeIt() {
        var backwards: [String] = []
        for (index, level) in Self.levels.enumerated() {
            for target in level {
                let files = Self.sources(of: target)
                #expect(!files.isEmpty, "no sources for \(target)")
                for (path, text) in files {
                    for line in text.split(separator: "\n") where line.hasPrefix("import Portal") {
                        let imported = String(line.dropFirst("import ".count))
                        guard let importedLevel = Self.level(of: imported) else {
                            backwards.append("\(path): \(imported) is in no level")
                            continue
                        }
                        if importedLevel >= index { backwards.append("\(path) imports \(imported)") }
                    }
                }
            }
        }
        #expect(backwards == [])
    }

    /// Git runs in Load (its history) and Publish (rsync) only; Render gets the dates in the graph.
    @Test func onlyLoadAndPublishRunProcesses() {
        var found: [String] = []
        for target in Self.levels.joined() where target != "PortalLoad" && target != "PortalPublish" {
            for (path, text) in Self.sources(of: target)
            where text.contains("Process()") || text.contains("GitHistory.load") {
                found.append(path)
            }
        }
        #expect(found == [])
    }

    /// Render and the stages below it read no files: what they need is in the loaded site.
    @Test func renderAndResolveReadNoFiles() {
        let reads = ["readFileBytes(", "readRegularFile(", "FileManager", "contentsOf: URL", "contentsOfFile"]
        var found: [String] = []
        for target in ["PortalTemplates", "PortalResolve", "PortalRender"] {
            for (path, text) in Self.sources(of: target) where reads.contains(where: text.contains) {
                found.append(path)
            }
        }
        #expect(found == [])
    }

    /// Every path the "where each feature lives" table names exists, so a reader finds each feature.
    @Test func everyPathInTheFeatureTableExists() throws {
        let text = try String(contentsOf: Self.repository.appendingPathComponent("ARCHITECTURE.md"), encoding: .utf8)
        let table = text.split(separator: "\n").filter { $0.hasPrefix("| ") && !$0.hasPrefix("| feature") }
        #expect(table.count > 20)
        var missing: [String] = []
        for row in table {
            let cells = row.split(separator: "|", omittingEmptySubsequences: false)
            guard cells.count >= 3 else { continue }
            // Code spans in the file column; backticked names that are not paths (`FolderWalk`) are skipped.
            for (index, span) in cells[2].split(separator: "`", omittingEmptySubsequences: false).enumerated()
            where index % 2 == 1 && span.contains("/") {
                let path = span.replacingOccurrences(of: "*.swift", with: "")
                let underSources = ["Tests/", "Themes/", ".ci/"].allSatisfy { !path.hasPrefix($0) }
                let url = Self.repository.appendingPathComponent(underSources ? "Sources/" + path : path)
                if !FileManager.default.fileExists(atPath: url.path) { missing.append(String(span)) }
            }
        }
        #expect(missing == [])
    }
}

@Suite("Site folders")
struct SiteFoldersTests {
    @Test func madeOnceFromRootAndOutput() {
        let folders = SiteFolders(root: URL(fileURLWithPath: "/tmp/site/./x/.."))
        #expect(folders.root.path == "/tmp/site")
        #expect(folders.output.path == "/tmp/site/Public")
        #expect(folders.content.path == "/tmp/site/Content")
        #expect(folders.themes.path == "/tmp/site/Themes")
        #expect(folders.fullPath(SitePath.siteFile) == "/tmp/site/Content/site.yaml")
        #expect(folders.cache.path == "/tmp/site/.portal-cache")
        #expect(BuildState.folder(root: folders.root) == folders.cache)
        let elsewhere = SiteFolders(root: folders.root, output: URL(fileURLWithPath: "/tmp/out/../built"))
        #expect(elsewhere.output.path == "/tmp/built")
        #expect(BuildOptions(root: folders.root, output: elsewhere.output).folders == elsewhere)
    }

    /// The build hands the same folders to every stage: the loaded site and the graph carry them.
    @Test func theGraphCarriesTheFoldersItWasLoadedFrom() throws {
        let fixture = try SiteFixture()
        let (graph, diagnostics) = loadAndResolve(root: fixture.root)
        #expect(!diagnostics.hasErrors)
        #expect(graph?.folders == SiteFolders(root: fixture.root))
    }

    /// `Content/…` is spelled in `SitePath` only, in the stages that read the site.
    @Test func contentPathsAreSpelledInOnePlace() {
        var found: [String] = []
        for target in ["PortalLoad", "PortalResolve", "PortalRender", "PortalMarkdown", "PortalScaffold"] {
            for (path, text) in ArchitectureTests.sources(of: target) where !path.hasSuffix("BuiltInTheme.swift") {
                if text.contains("\"Content/") || text.contains("\"Content\"") { found.append(path) }
            }
        }
        // SiteRenderer's key for a source file is the incremental build's, rewritten on its own branch.
        #expect(found == ["PortalRender/SiteRenderer.swift"])
    }
}

extension ArchitectureTests {
    /// Package.swift declares the same order: no target depends on one at its own level or above.
    @Test func packageDependenciesFollowTheLevels() throws {
        let manifest = try String(contentsOf: Self.repository.appendingPathComponent("Package.swift"), encoding: .utf8)
        var upward: [String] = []
        // Each target's text up to the next target's: the Portal names in it are its dependencies.
        let blocks = manifest.replacingOccurrences(of: ".executableTarget(", with: ".target(")
            .replacingOccurrences(of: ".testTarget(", with: ".target(").components(separatedBy: ".target(").dropFirst()
        for block in blocks {
            let names = block.components(separatedBy: "\"").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            guard let target = names.first, let level = Self.level(of: target) else { continue }
            for dependency in names.dropFirst() where dependency.hasPrefix("Portal") {
                if (Self.level(of: dependency) ?? Int.max) >= level { upward.append("\(target) -> \(dependency)") }
            }
        }
        #expect(blocks.count >= Self.levels.joined().count)
        #expect(upward == [])
    }
}
