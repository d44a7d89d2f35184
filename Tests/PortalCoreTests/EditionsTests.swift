import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalPublish
@testable import PortalRender
@testable import PortalResolve
@testable import PortalScaffold
@testable import PortalSupport

/// Recorded editions: recording, the checks every build makes of them, their pages under
/// `editions/<id>/`, `edition:` references and the cache that leaves their files alone.
@Suite struct EditionsTests {
    /// The fixture site with edition `2023-12` recorded from it.
    static func recorded(_ id: String = "2023-12", date: String? = "2023-12-12") throws -> SiteFixture {
        let fixture = try SiteFixture()
        let result = recordEdition(
            folders: SiteFolders(root: fixture.root), id: id, title: "December paper", date: date)
        if case .failure(let error) = result { Issue.record("recording failed: \(error)") }
        return fixture
    }

    @Test func sha256MatchesTheStandardVectors() {
        #expect(sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(sha256Hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(sha256Hex(long) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            sha256Hex([UInt8](repeating: 0x61, count: 1000))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func recordingFreezesContentWithAManifest() throws {
        let fixture = try Self.recorded()
        let folders = SiteFolders(root: fixture.root)
        let (editions, problems) = loadEditionManifests(folders: folders)
        #expect(problems.isEmpty, "\(problems)")
        #expect(editions.map(\.info) == [EditionInfo(id: "2023-12", title: "December paper", date: "2023-12-12")])
        #expect(editions[0].files.map(\.path).contains("Content/threats/alpha.md"))
        let frozen = try String(
            contentsOf: fixture.root.appendingPathComponent("Editions/2023-12/Content/threats/alpha.md"),
            encoding: .utf8)
        #expect(frozen == SiteFixture.validFiles["Content/threats/alpha.md"])
        #expect(verifyEdition(editions[0], folders: folders).isEmpty)
        // Never twice, never an id that cannot be a folder, never content with errors.
        guard case .failure(let again) = recordEdition(folders: folders, id: "2023-12", title: nil, date: nil) else {
            Issue.record("recorded the same id twice")
            return
        }
        #expect(again.message.contains("already recorded"))
        guard case .failure(let bad) = recordEdition(folders: folders, id: "../x", title: nil, date: nil) else {
            Issue.record("recorded an id with a slash")
            return
        }
        #expect(bad.isUsage)
        try fixture.write("1. Broken [link](capability:nope).\n", to: "Content/threats/beta.md")
        guard case .failure(let broken) = recordEdition(folders: folders, id: "2024-03", title: nil, date: nil) else {
            Issue.record("recorded content with errors")
            return
        }
        #expect(broken.message.contains("error"))
        #expect(!FileManager.default.fileExists(atPath: folders.editions.appendingPathComponent("2024-03").path))
    }

    @Test func anEditedRecordedEditionFailsTheBuildAndLeavesTheOutput() throws {
        let fixture = try Self.recorded()
        guard case .success = fixture.build() else {
            Issue.record("the site with an edition must build")
            return
        }
        let before = snapshot(of: fixture.output)
        try fixture.write("changed\n", to: "Editions/2023-12/Content/threats/beta.md")
        let diagnostics = fixture.failingBuild()
        #expect(diagnostics.contains { $0.code == "edition-changed" && $0.location.file.hasSuffix("threats/beta.md") })
        #expect(snapshot(of: fixture.output).mapValues(\.0) == before.mapValues(\.0))

        try fixture.write(
            SiteFixture.validFiles["Content/threats/beta.md"]!, to: "Editions/2023-12/Content/threats/beta.md")
        try fixture.write("- term: X\n", to: "Editions/2023-12/Content/data/extra.yaml")
        #expect(fixture.failingBuild().contains { $0.code == "edition-changed" && $0.message.contains("added") })
    }

    @Test func aBrokenManifestIsReportedAtItsLine() throws {
        let fixture = try Self.recorded()
        let manifest = "Editions/2023-12/edition.yaml"
        let text = try String(contentsOf: fixture.root.appendingPathComponent(manifest), encoding: .utf8)
        try fixture.write(text.replacingOccurrences(of: "id: \"2023-12\"", with: "id: \"2023-11\""), to: manifest)
        let diagnostics = fixture.failingBuild()
        let problem = diagnostics.first { $0.code == "edition-id" }
        #expect(problem?.location.file == manifest)
        #expect(problem?.location.line == 3)
        try fixture.remove(manifest)
        #expect(fixture.failingBuild().contains { $0.code == "edition-manifest-missing" })
    }

    @Test func editionPagesCarryABannerAndTheListOfEditions() throws {
        let fixture = try Self.recorded()
        try fixture.write(
            SiteFixture.validFiles["Content/threats/beta.md"]!.replacingOccurrences(
                of: "4. Beta relies", with: "4. In the next paper, beta relies"), to: "Content/threats/beta.md")
        guard case .success = fixture.build() else {
            Issue.record("the site with an edition must build")
            return
        }
        let old = try fixture.read("editions/2023-12/threats/beta.html")
        #expect(old.contains("4. Beta relies") || old.contains("Beta relies"))
        #expect(!old.contains("In the next paper"))
        let current = try fixture.read("threats/beta.html")
        #expect(current.contains("In the next paper"))
        #expect(!current.contains("edition-banner"))
        // The minimal theme's layout has no banner; the built-in one is tested below.
        let editions = try fixture.read("editions/index.html")
        #expect(editions.contains("2023-12/index.html"))
        #expect(editions.contains("December paper"))
        #expect(
            !FileManager.default.fileExists(
                atPath: fixture.output.appendingPathComponent("editions/2023-12/404.html").path))
    }

    @Test func theBuiltInThemeShowsTheBannerWithLinksThatResolve() throws {
        let fixture = try SiteFixture(theme: .builtIn)
        _ = recordEdition(
            folders: SiteFolders(root: fixture.root), id: "2023-12", title: "December paper", date: "2023-12-12")
        try fixture.remove("Content/capabilities/drones.md")
        try fixture.write(
            SiteFixture.validFiles["Content/threats/alpha.md"]!.replacingOccurrences(
                of: "capabilities: [drones]\n", with: ""
            )
            .replacingOccurrences(of: "[its drones](capability:drones)", with: "its drones"),
            to: "Content/threats/alpha.md")
        try fixture.write(
            SiteFixture.validFiles["Content/threats/beta.md"]!.replacingOccurrences(
                of: "[drones](capability:drones)", with: "drones"), to: "Content/threats/beta.md")
        guard case .success = fixture.build() else {
            Issue.record("the site must build: \(fixture.failingBuild())")
            return
        }
        let page = try fixture.read("editions/2023-12/threats/alpha.html")
        #expect(page.contains("class=\"edition-banner\""))
        #expect(page.contains("12 December 2023"))
        #expect(page.contains("href=\"../../../threats/alpha.html\">Read this page in the current edition"))
        // The capability is gone from the current edition: its old page leads to the overview.
        let capability = try fixture.read("editions/2023-12/capabilities/drones.html")
        #expect(capability.contains("href=\"../../../index.html\">Read the overview in the current edition"))
        #expect(capability.contains("href=\"../../../editions/index.html\">All editions"))
    }

    @Test func editionReferencesAreCheckedAgainstThatEditionsNumbers() throws {
        let fixture = try Self.recorded()
        let beta = SiteFixture.validFiles["Content/threats/beta.md"]!
        try fixture.write(
            beta.replacingOccurrences(
                of: "under [the board](board:alpha-board).",
                with: "under [the board](board:alpha-board), as [the last paper said](edition:2023-12/para:4) "
                    + "([its overview](edition:2023-12))."), to: "Content/threats/beta.md")
        guard case .success = fixture.build() else {
            Issue.record("the site must build: \(fixture.failingBuild())")
            return
        }
        let page = try fixture.read("threats/beta.html")
        #expect(page.contains("href=\"../editions/2023-12/threats/beta.html#p4\""))
        #expect(page.contains("href=\"../editions/2023-12/index.html\""))

        for (written, code) in [
            ("edition:2023-11/para:4", "unknown-edition"), ("edition:2023-12/para:9", "unknown-paragraph"),
            ("edition:2023-12/table:x", "invalid-edition-reference"), ("edition:2023-12#p4", "unknown-fragment"),
        ] {
            try fixture.write(
                beta.replacingOccurrences(of: "board:alpha-board", with: written), to: "Content/threats/beta.md")
            let problem = fixture.failingBuild().first { $0.severity == .error }
            #expect(problem?.code == code, "\(written)")
            #expect(problem?.location.file == "Content/threats/beta.md")
            #expect(problem?.location.line == 7)
        }
    }

    @Test func aRebuildLeavesTheEditionsFilesAlone() throws {
        let fixture = try Self.recorded()
        guard case .success = fixture.build() else {
            Issue.record("the site must build")
            return
        }
        let folder = fixture.output.appendingPathComponent("editions")
        let before = snapshot(of: folder)
        try fixture.write(
            "- term: ACC\n  expansion: Assistant Chief Constable (edited)\n", to: "Content/data/glossary.yaml")
        guard case .success(let report) = fixture.build() else {
            Issue.record("the edited site must build")
            return
        }
        #expect(report.write.written.allSatisfy { !$0.hasPrefix("editions/2023-12/") })
        let after = snapshot(of: folder)
        #expect(after.keys.sorted() == before.keys.sorted())
        #expect(after.allSatisfy { before[$0.key]?.0 == $0.value.0 && before[$0.key]?.1 == $0.value.1 })
        // A file of the edition's output removed by hand is put back by the next build.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("2023-12/threats/beta.html"))
        try fixture.write("- term: ACC\n  expansion: Assistant Chief Constable\n", to: "Content/data/glossary.yaml")
        guard case .success = fixture.build() else {
            Issue.record("the site must build again")
            return
        }
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("2023-12/threats/beta.html").path))
    }

    @Test func searchListsTheEarlierEditionsIndexes() throws {
        let fixture = try Self.recorded()
        guard case .success = fixture.build(), let (graph, _) = Optional(fixture.graph()), let graph else {
            Issue.record("the site must build")
            return
        }
        #expect(graph.editions.recorded.map(\.info.id) == ["2023-12"])
        let built = searchPage(RenderContext(graph: graph, links: [:]))
        guard case .text(let json)? = built.context["editions_json"] else {
            Issue.record("the search page lists no editions")
            return
        }
        #expect(json == #"[["2023-12","December paper (2023-12)","editions/2023-12/search/index.js"]]"#)
        #expect(
            FileManager.default.fileExists(
                atPath: fixture.output.appendingPathComponent("editions/2023-12/search/index.js").path))
    }

    /// A number that now holds other words than the last edition's paragraph of that number is
    /// warned about wherever it is cited, with where the old words went.
    @Test func aCitationOfARenumberedParagraphIsWarnedAbout() throws {
        let fixture = try Self.recorded()
        try fixture.write(
            """
            ---
            title: Alpha threat
            order: 1
            summary: How the force meets the alpha threat.
            capabilities: [drones]
            boards: [alpha-board]
            ---

            1. The force relies on [its drones](capability:drones) and the [ACC](para:2).

            2. A paragraph this test adds, so the ones after it are numbered again.

            3. The table below shows the figures.

               ![Drone numbers](table:drone-numbers)

            ## Later questions

            4. See [paragraph 1](#p1) and [the beta section](threat:beta#p5).
            """, to: "Content/threats/alpha.md")
        try fixture.write(
            SiteFixture.validFiles["Content/threats/beta.md"]!.replacingOccurrences(of: "4. Beta", with: "5. Beta"),
            to: "Content/threats/beta.md")
        try fixture.write(
            SiteFixture.validFiles["Content/data/boards.yaml"]!.replacingOccurrences(of: "[4]", with: "[5]"),
            to: "Content/data/boards.yaml")
        try fixture.write(
            SiteFixture.validFiles["Content/data/tables/drone-numbers.yaml"]!.replacingOccurrences(
                of: "paragraphs: [2]", with: "paragraphs: [3]"), to: "Content/data/tables/drone-numbers.yaml")
        let (graph, diagnostics) = fixture.graph()
        #expect(graph != nil, "\(diagnostics)")
        let warnings = diagnostics.filter { $0.code == "paragraph-renumbered" }
        #expect(warnings.count == 1, "\(warnings)")
        #expect(warnings.first?.location.file == "Content/threats/alpha.md")
        #expect(warnings.first?.location.line == 9)
        #expect(warnings.first?.message.contains("that text is now paragraph 3") == true)
        #expect(warnings.first?.hint?.contains("para:3") == true)
        #expect(warnings.first?.hint?.contains("edition:2023-12/para:2") == true)
        let moved = graph?.changes?.paragraphs.filter { $0.kind == .moved }.compactMap { $0.new?.number }
        #expect(moved == [3, 4, 5])
    }
}
