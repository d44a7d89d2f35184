import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalMarkdown
@testable import PortalPublish
@testable import PortalRender
@testable import PortalResolve
@testable import PortalScaffold
@testable import PortalServe
@testable import PortalSupport
@testable import PortalTemplates
@testable import PortalWrite

/// The repository root, found from this file, so tests can use the real theme and content.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// One folder per test process for everything the tests write, removed as the process exits,
/// so a test that stops half-way (or forgets to clean up) leaves nothing in $TMPDIR. Fixtures
/// also remove their own folders as soon as they are done with them, to keep the disk small.
let testScratchFolder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("portal-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: testScratchFolder) }
    return url
}()

/// A new folder's address under `testScratchFolder` (not made yet).
func scratchFolder(_ prefix: String = "portal-test") -> URL {
    testScratchFolder.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
}

/// Which theme a fixture's site is built with.
enum FixtureTheme {
    /// `minimalThemeFiles`, made for the tests: the pipeline's tests do not depend on the real theme.
    case minimal
    /// A copy of the repository's `Themes/` as the site's own folder: tests of the real theme's
    /// output, or of editing a real template.
    case real
    /// No `Themes/` folder: the theme built into the tool (the real one).
    case builtIn
}

/// A throwaway site on disk: the files a test gives, built with the minimal fixture theme
/// (`FixtureTheme`). Its folder, and the folders tests make beside it (`<root>-published`),
/// are removed when the last reference to the fixture goes.
final class SiteFixture: Sendable {
    let root: URL

    /// A small but complete site that builds cleanly; tests override files to break it.
    static let validFiles: [String: String] = [
        "Content/site.yaml": """
        title: Test portal
        organisation: Test Constabulary
        language: en-GB
        report:
          board: Test Board
          agenda_item: 3
        """,
        "Content/threats/alpha.md": """
        ---
        title: Alpha threat
        order: 1
        summary: How the force meets the alpha threat.
        capabilities: [drones]
        boards: [alpha-board]
        ---

        1. The force relies on [its drones](capability:drones) and the [ACC](para:2).

        2. The table below shows the figures.

           ![Drone numbers](table:drone-numbers)

        ## Later questions

        3. See [paragraph 1](#p1) and [the beta section](threat:beta#p4).
        """,
        "Content/threats/beta.md": """
        ---
        title: Beta threat
        order: 2
        summary: Beta.
        ---

        4. Beta relies on [drones](capability:drones) as well, under [the board](board:alpha-board).
        """,
        "Content/capabilities/drones.md": """
        ---
        title: Drones
        summary: Unmanned aircraft.
        level: local
        threats: [alpha]
        ---

        Drones are described in [paragraph 1](para:1).
        """,
        "Content/data/glossary.yaml": """
        - term: ACC
          expansion: Assistant Chief Constable
        """,
        "Content/data/boards.yaml": """
        - id: alpha-board
          name: Alpha Board
          chair: The Chair
          paragraphs: [4]
        """,
        "Content/data/tables/drone-numbers.csv": """
        Measure,North,South,Total
        Drones,2,3,5
        Pilots,4,1.5,5.5
        """,
        "Content/data/tables/drone-numbers.yaml": """
        caption: Drones and pilots by area
        paragraphs: [2]
        totals:
          - column: Total
            sum_of: [North, South]
        """,
    ]

    init(overriding overrides: [String: String?] = [:], theme: FixtureTheme = .minimal) throws {
        root = scratchFolder()
        var files: [String: String?] = Self.validFiles
        if theme == .minimal {
            for (path, text) in minimalThemeFiles { files["Themes/default/\(path)"] = text }
        }
        for (path, text) in overrides { files[path] = text }
        for (path, text) in files {
            guard let text else { continue }
            try write(text, to: path)
        }
        if theme == .real {
            try FileManager.default.copyItem(
                at: repositoryRoot.appendingPathComponent("Themes"), to: root.appendingPathComponent("Themes"))
        }
    }

    deinit { cleanUp() }

    func write(_ text: String, to path: String) throws {
        try writeBytes(Array(text.utf8), to: path)
    }

    func writeBytes(_ bytes: [UInt8], to path: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Removes the fixture's folder (with the staging folders beside its output, inside it) and
    /// the folders tests made beside it, named after it.
    func cleanUp() {
        let manager = FileManager.default
        let parent = root.deletingLastPathComponent()
        for name in (try? manager.contentsOfDirectory(atPath: parent.path)) ?? []
        where name.hasPrefix(root.lastPathComponent) {
            try? manager.removeItem(at: parent.appendingPathComponent(name))
        }
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(path))
    }

    var output: URL { root.appendingPathComponent("Public") }

    func build() -> Result<BuildReport, BuildFailure> {
        PortalBuild.build(BuildOptions(root: root))
    }

    /// Builds and returns the diagnostics of a failed build (failing the test if it succeeds).
    func failingBuild(sourceLocation: Testing.SourceLocation = #_sourceLocation) -> [Diagnostic] {
        switch build() {
        case .success:
            Issue.record("expected the build to fail", sourceLocation: sourceLocation)
            return []
        case .failure(.content(let diagnostics)): return diagnostics
        case .failure(.write(let message)):
            Issue.record("unexpected write failure: \(message)", sourceLocation: sourceLocation)
            return []
        }
    }

    /// The valid site, built, then changed: with a snapshot of the output the change must not
    /// touch. Nil (and a recorded issue) if the valid site does not build.
    static func builtThenChanged(
        _ change: (SiteFixture) throws -> Void, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> (fixture: SiteFixture, before: [String: (Data, Date)])? {
        let fixture = try SiteFixture()
        guard case .success = fixture.build() else {
            Issue.record("the valid fixture must build", sourceLocation: sourceLocation)
            return nil
        }
        let before = snapshot(of: fixture.output)
        try change(fixture)
        return (fixture, before)
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
    }

    func graph() -> (SiteGraph?, [Diagnostic]) { loadAndResolve(root: root) }
}

/// Every file under a folder with its bytes and modification time, to prove a folder unchanged.
func snapshot(of folder: URL) -> [String: (Data, Date)] {
    var result: [String: (Data, Date)] = [:]
    let manager = FileManager.default
    guard let enumerator = manager.enumerator(atPath: folder.path) else { return [:] }
    for case let path as String in enumerator {
        let url = folder.appendingPathComponent(path)
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
        let attributes = try? manager.attributesOfItem(atPath: url.path)
        result[path] = (
            manager.contents(atPath: url.path) ?? Data(), attributes?[.modificationDate] as? Date ?? .distantPast
        )
    }
    return result
}

func sameSnapshot(_ a: [String: (Data, Date)], _ b: [String: (Data, Date)]) -> Bool {
    a.count == b.count && a.allSatisfy { key, value in b[key].map { $0.0 == value.0 && $0.1 == value.1 } ?? false }
}

/// Runs git in `folder` (with the author and committer `date`, if given); false if it fails.
func git(_ arguments: [String], in folder: URL, date: String? = nil) -> Bool {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", folder.path] + arguments
    var environment = ProcessInfo.processInfo.environment
    if let date {
        environment["GIT_AUTHOR_DATE"] = date
        environment["GIT_COMMITTER_DATE"] = date
    }
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return false }
    process.waitUntilExit()
    return process.terminationStatus == 0
}
