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

/// A site for any force and any report: `portal init`, the built-in theme, section kinds and
/// capability levels named by the site, and no word of the shipped report in code or theme.
@Suite("Any force")
struct AnyForceTests {
    @Test func builtInThemeMatchesThemesDefault() throws {
        let folder = repositoryRoot.appendingPathComponent("Themes/default")
        let onDisk = listFiles(under: folder)
        #expect(onDisk == builtInThemeFiles.map(\.path), "run .ci/embed-theme")
        for file in builtInThemeFiles {
            let bytes = try Data(contentsOf: folder.appendingPathComponent(file.path))
            #expect(
                Array(bytes) == Array(file.text.utf8), "\(file.path) differs from Themes/default: run .ci/embed-theme")
        }
    }

    @Test func initMakesASiteThatBuildsCleanlyWithoutThemes() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        guard case .success(let made) = initSite(at: root, copyTheme: false) else {
            Issue.record("init failed")
            return
        }
        #expect(made.created.contains("Content/site.yaml"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Themes").path))
        let diagnostics = check(root: root)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        guard case .success(let report) = build(BuildOptions(root: root)) else {
            Issue.record("the new site must build")
            return
        }
        #expect(report.warnings.isEmpty)
        #expect(report.paragraphs == 5)
        #expect(report.tables == 1)
        let home = try String(contentsOf: root.appendingPathComponent("Public/index.html"), encoding: .utf8)
        #expect(home.contains("The threat at a glance"))
        #expect(home.contains("12 March 2025"))
        // The new site's sections live in Content/sections/, and so do their pages.
        #expect(
            FileManager.default.fileExists(
                atPath: root.appendingPathComponent("Public/sections/example-threat.html").path))
        // Nothing of the shipped report, and no SPR wording the content did not ask for.
        for file in listFiles(under: root.appendingPathComponent("Public")) where file.hasSuffix(".html") {
            let text = try String(contentsOf: root.appendingPathComponent("Public/\(file)"), encoding: .utf8)
            for word in ["West Midlands", "WMP", "Strategic Policing", "national threat", "Fast Parcel", "CTSFO"] {
                #expect(!text.contains(word), "\(file) says \(word)")
            }
        }
    }

    @Test func initNeverOverwrites() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("Content"), withIntermediateDirectories: true)
        try Data("title: Mine\n".utf8).write(to: root.appendingPathComponent("Content/site.yaml"))
        guard case .failure(let error) = initSite(at: root, copyTheme: false) else {
            Issue.record("init must refuse a folder that has a site")
            return
        }
        #expect(error.message.contains("Content/site.yaml already exists"))
        #expect(
            try String(contentsOf: root.appendingPathComponent("Content/site.yaml"), encoding: .utf8) == "title: Mine\n"
        )
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("Content/sections").path))
    }

    @Test func initCanCopyTheThemeOutAndASiteFileOverridesTheBuiltInOne() throws {
        let root = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        guard case .success = initSite(at: root, copyTheme: true) else {
            Issue.record("init failed")
            return
        }
        let template = root.appendingPathComponent("Themes/default/templates/not-found.mustache")
        #expect(FileManager.default.fileExists(atPath: template.path))
        try Data("<h1>Lost, {{title}}?</h1>\n".utf8).write(to: template)
        // Files left as copied are the built-in ones; removing one falls back to the built-in.
        try FileManager.default.removeItem(at: root.appendingPathComponent("Themes/default/templates/search.mustache"))
        guard case .success = build(BuildOptions(root: root)) else {
            Issue.record("the site must build")
            return
        }
        let page = try String(contentsOf: root.appendingPathComponent("Public/404.html"), encoding: .utf8)
        #expect(page.contains("<h1>Lost,"))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Public/search/index.html").path))
    }

    @Test func sectionKindsAndLevelsComeFromSiteYAML() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/site.yaml": """
            title: Test portal
            organisation: Test Constabulary
            section_kinds:
              - {id: finding, label: finding, plural: findings, cards: true}
              - {id: appendix, label: appendix, plural: appendices}
            capability_levels: [force, partnership]
            """,
            "Content/threats/alpha.md": """
            ---
            title: Alpha finding
            order: 1
            kind: finding
            summary: How the force meets the alpha finding.
            capabilities: [drones]
            ---

            1. The force relies on [its drones](capability:drones) and the [ACC](para:2).

            2. The table below shows the figures.

               ![Drone numbers](table:drone-numbers)

            3. See [paragraph 1](#p1) and [the beta section](section:beta#p4).
            """,
            "Content/threats/beta.md": nil,
            "Content/sections/beta.md": """
            ---
            title: Beta appendix
            order: 2
            kind: appendix
            summary: Beta.
            ---

            4. Beta relies on [drones](capability:drones) as well.
            """,
            "Content/capabilities/drones.md": """
            ---
            title: Drones
            summary: Unmanned aircraft.
            level: partnership
            threats: [alpha]
            ---

            Drones are described in [paragraph 1](para:1).
            """,
        ])
        defer { fixture.cleanUp() }
        guard case .success = fixture.build() else {
            Issue.record("expected a clean build: \(fixture.failingBuild())")
            return
        }
        let home = try fixture.read("index.html")
        #expect(home.contains("The finding at a glance"))
        #expect(home.contains("<h2 id=\"appendix\">Appendices</h2>"))
        #expect(try fixture.read("sections/beta.html").contains("Beta appendix"))
        #expect(try fixture.read("threats/alpha.html").contains("href=\"../sections/beta.html#p4\""))
        let index = try fixture.read("capabilities/index.html")
        #expect(index.contains("id=\"level-partnership\">Partnership"))
    }

    @Test func unknownKindAndLevelAreErrorsWithTheSiteWords() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md": "---\ntitle: Beta\norder: 2\nkind: apendix\nsummary: B.\n---\n\n4. Text.\n",
            "Content/capabilities/drones.md": """
            ---
            title: Drones
            summary: Unmanned aircraft.
            level: county
            threats: [alpha]
            ---

            Text.
            """,
        ])
        defer { fixture.cleanUp() }
        let diagnostics = fixture.failingBuild()
        let kind = diagnostics.first { $0.location.file == "Content/threats/beta.md" }
        #expect(kind?.location.line == 4)
        #expect(kind?.message.contains("threat, context") == true)
        let level = diagnostics.first { $0.location.file == "Content/capabilities/drones.md" }
        #expect(level?.location.line == 4)
        #expect(level?.message.contains("local, regional, national") == true)
    }

    @Test func countsReadRightInTheSingular() {
        #expect(counted(1, "table", "tables") == "1 table")
        #expect(counted(1_113, "table", "tables") == "1,113 tables")
        var report = BuildReport(
            pages: 1, capabilities: 1, tables: 1, references: 1, paragraphs: 1, milliseconds: 5,
            write: WriteSummary(), warnings: [])
        report.incremental = nil
        #expect(report.summary.hasPrefix("built 1 page (1 capability, 1 table, 1 paragraph, 1 reference)"))
    }
}

/// A new folder under the tests' scratch folder; the caller removes it.
func temporaryFolder() -> URL { scratchFolder() }

@Suite("Acronyms in data text")
struct AcronymTextTests {
    @Test func aTermIsMarkedOnceAndEscaped() {
        let index = AbbreviationIndex([
            GlossaryEntry(term: "ACC", expansion: "Assistant Chief Constable", location: SourceLocation(file: "g")),
            GlossaryEntry(term: "PSU", expansion: "Police Support Unit", location: SourceLocation(file: "g")),
        ])
        var seen: Set<String> = []
        let first = abbreviatedHTML("The ACC & 3 PSU’s <b>", index: index, seen: &seen)
        #expect(
            first
                == "The <abbr title=\"Assistant Chief Constable\">ACC</abbr><span class=\"abbr-expansion\"> "
                + "(Assistant Chief Constable)</span> &amp; 3 <abbr title=\"Police Support Unit\">PSU</abbr>"
                + "<span class=\"abbr-expansion\"> (Police Support Unit)</span>’s &lt;b&gt;")
        #expect(abbreviatedHTML("ACC again", index: index, seen: &seen) == "ACC again")
        var fresh: Set<String> = []
        #expect(
            abbreviatedHTML("an Assistant Chief Constable (ACC)", index: index, seen: &fresh)
                == "an Assistant Chief Constable (<abbr title=\"Assistant Chief Constable\">ACC</abbr>)")
    }

    /// Text in ASCII is marked a byte at a time, any other text a character at a time: both
    /// must mark the same words. A trailing "é" sends the same text down the other path.
    @Test func asciiTextIsMarkedAsAnyOtherText() {
        let index = AbbreviationIndex([
            GlossaryEntry(term: "ACC", expansion: "Assistant Chief Constable", location: SourceLocation(file: "g")),
            GlossaryEntry(term: "PSU", expansion: "Police & <Support> Unit", location: SourceLocation(file: "g")),
        ])
        let texts = [
            "ACC", "ACCs and PSUs", "The ACC's 3 PSU2 units, PSU-led", "\"ACC\" <ACC> & 'PSU'", "xACC ACCx A C C",
            "Police & <Support> Unit (PSU) then ACC", "", "  \r\n  ", "PSUs, PSUs and PSUss",
        ]
        for text in texts {
            var asciiSeen: Set<String> = []
            var otherSeen: Set<String> = []
            let ascii = abbreviatedHTML(text, index: index, seen: &asciiSeen)
            let other = abbreviatedHTML(text + " é", index: index, seen: &otherSeen)
            #expect(ascii + " é" == other, "\(text)")
            #expect(asciiSeen == otherSeen, "\(text)")
        }
    }

    @Test func anExpansionIsRecognisedJustBeforeItsAcronym() {
        #expect(
            followsItsExpansion(
                "the Counter Terrorism Operations Centre (", expansion: "Counter Terrorism Operations Centre"))
        #expect(followsItsExpansion("Multi Agency Safeguarding Hubs (", expansion: "Multi-Agency Safeguarding Hub"))
        #expect(
            followsItsExpansion(
                "Counter Terrorism Advisory Group (",
                expansion: "Counter Terrorism Advisory Group or Counter Terrorism Action Group"))
        #expect(!followsItsExpansion("the Operations Centre (", expansion: "Counter Terrorism Operations Centre"))
        #expect(
            !followsItsExpansion(
                "Counter Terrorism Operations Centre and ", expansion: "Counter Terrorism Operations Centre"))
    }
}
