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

/// `portal new`: every file it makes builds as it is, and nothing is ever overwritten.
@Suite("Scaffold")
struct ScaffoldTests {
    func created(_ kind: ScaffoldKind, _ name: String, in fixture: SiteFixture) -> ScaffoldResult? {
        switch scaffold(kind, name: name, root: fixture.root) {
        case .success(let result): return result
        case .failure(let error):
            Issue.record("scaffold failed: \(error)")
            return nil
        }
    }

    @Test func slugs() {
        #expect(slugify("Roads Safety") == "roads-safety")
        #expect(slugify("  Fatal 4: speeding & drink-driving  ") == "fatal-4-speeding-drink-driving")
        #expect(slugify("Children's Services") == "childrens-services")
        #expect(slugify("Café Élan") == "cafe-elan")
        #expect(slugify("!!!") == "")
    }

    @Test func everyKindBuildsCleanlyTogether() throws {
        let fixture = try SiteFixture()
        let threat = try #require(created(.threat, "Roads Safety", in: fixture))
        #expect(threat.created == ["Content/threats/roads-safety.md"])
        let capability = try #require(created(.capability, "Roads Policing: Fatal 4", in: fixture))
        #expect(capability.created == ["Content/capabilities/roads-policing-fatal-4.md"])
        let table = try #require(created(.table, "Speeding offences", in: fixture))
        #expect(
            table.created == [
                "Content/data/tables/speeding-offences.csv", "Content/data/tables/speeding-offences.yaml",
            ])
        #expect(capability.next.joined().contains("warns"))

        let text = try String(contentsOf: fixture.root.appendingPathComponent(threat.created[0]), encoding: .utf8)
        // The fixture's sections are ordered 1 and 2 and number paragraphs 1 to 4.
        #expect(text.contains("\norder: 3 "))
        #expect(text.contains("\n5. Replace this"))
        let sidecar = try String(contentsOf: fixture.root.appendingPathComponent(table.created[1]), encoding: .utf8)
        #expect(sidecar.contains("paragraphs: [5]"))

        switch fixture.build() {
        case .success(let report):
            // The only warning is the one the command announces: nothing cites the capability yet.
            #expect(report.warnings.map(\.code) == ["orphan-capability"])
            #expect(try fixture.read("threats/roads-safety.html").contains("Roads Safety"))
            #expect(try fixture.read("tables/speeding-offences.html").contains("Speeding offences"))
        case .failure(let failure):
            Issue.record("the scaffolded site does not build: \(failure)")
        }
    }

    @Test func titlesThatNeedQuotingStayOneString() throws {
        let fixture = try SiteFixture()
        let result = try #require(created(.threat, "Fraud: \"the #1 crime\"", in: fixture))
        #expect(result.created == ["Content/threats/fraud-the-1-crime.md"])
        guard case .success = fixture.build() else {
            Issue.record("a title with a colon, quotes and a hash does not build")
            return
        }
        #expect(try fixture.read("threats/fraud-the-1-crime.html").contains("Fraud: &quot;the #1 crime&quot;"))
    }

    @Test func neverOverwrites() throws {
        let fixture = try SiteFixture()
        let before = try String(
            contentsOf: fixture.root.appendingPathComponent("Content/threats/alpha.md"), encoding: .utf8)
        guard case .failure(let error) = scaffold(.threat, name: "Alpha", root: fixture.root) else {
            Issue.record("an existing file was overwritten")
            return
        }
        #expect(!error.isUsage)
        #expect(
            error.description
                == "error: Content/threats/alpha.md already exists; nothing was created (edit that file, or choose another name)"
        )
        #expect(
            try String(contentsOf: fixture.root.appendingPathComponent("Content/threats/alpha.md"), encoding: .utf8)
                == before)

        // A table is two files: if either exists, neither is written.
        try fixture.write("caption: Orphan sidecar\nparagraphs: [1]\n", to: "Content/data/tables/lonely.yaml")
        guard case .failure = scaffold(.table, name: "Lonely", root: fixture.root) else {
            Issue.record("a table was created over an existing sidecar")
            return
        }
        #expect(
            !FileManager.default.fileExists(
                atPath: fixture.root.appendingPathComponent("Content/data/tables/lonely.csv").path))
    }

    @Test func namesWithoutLettersAndMissingSitesAreErrors() throws {
        let fixture = try SiteFixture()
        guard case .failure(let usage) = scaffold(.capability, name: "***", root: fixture.root) else {
            Issue.record("a name without letters was accepted")
            return
        }
        #expect(usage.isUsage)
        let empty = scratchFolder("portal-empty")
        guard case .failure(let missing) = scaffold(.threat, name: "Roads", root: empty) else {
            Issue.record("scaffolded into a folder without a site")
            return
        }
        #expect(missing.description.contains("no Content/site.yaml"))
        #expect(!FileManager.default.fileExists(atPath: empty.path))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: CommandLineTests.binary.path)))
    func theCommandPrintsWhatItCreated() throws {
        let fixture = try SiteFixture()
        let made = try CommandLineTests().run(["new", "threat", "Roads", "Safety", "--root", fixture.root.path])
        #expect(made.status == 0)
        #expect(made.stdout.hasPrefix("created Content/threats/roads-safety.md\nnext: "))
        let again = try CommandLineTests().run(["new", "threat", "Roads Safety", "--root", fixture.root.path])
        #expect(again.status == 1)
        #expect(again.stderr.split(separator: "\n").count == 1)
        #expect(try CommandLineTests().run(["new", "chart", "X", "--root", fixture.root.path]).status == 2)
        #expect(try CommandLineTests().run(["new", "table", "%%", "--root", fixture.root.path]).status == 2)
        #expect(try CommandLineTests().run(["build", "--root", fixture.root.path]).status == 0)
    }
}
