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

@Suite("Resolve")
struct ResolveTests {
    @Test func buildsParagraphsReferencesAndBacklinks() throws {
        let fixture = try SiteFixture()
        let (graph, diagnostics) = fixture.graph()
        let site = try #require(graph, "\(diagnostics)")
        #expect(site.sections.map(\.slug) == ["alpha", "beta"])
        #expect(site.paragraphIndex.entries.map { "\($0)\($1)" } == ["1alpha", "2alpha", "3alpha", "4beta"])
        let citations = site.citations[.capability("drones")] ?? []
        #expect(citations.compactMap(\.paragraph) == [1, 4])
        #expect(site.capability("drones")?.sections == ["alpha", "beta"])
        #expect(site.section("beta")?.capabilities == ["drones"])
        #expect(site.citations[.registerEntry(.board, "alpha-board")]?.first?.paragraph == 4)
    }

    @Test func paragraphNumbersAreTheOnesAuthorsWrote() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md": "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. Four.\n\n6. Six.\n"
        ])
        let (graph, diagnostics) = fixture.graph()
        let site = try #require(graph)
        #expect(site.section("beta")?.paragraphs.map(\.number) == [4, 6])
        #expect(diagnostics.contains { $0.code == "paragraph-sequence" && $0.severity == .warning })
    }

    @Test func unknownReferenceSuggestsTheNearestSlug() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md":
                "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. Uses [drones](capability:drone).\n"
        ])
        let (graph, diagnostics) = fixture.graph()
        #expect(graph == nil)
        let error = try #require(diagnostics.first { $0.code == "unknown-reference" })
        #expect(error.location == PortalSupport.SourceLocation(file: "Content/threats/beta.md", line: 7, column: 9))
        #expect(error.hint == "did you mean 'drones'?")
    }

    @Test func paragraphFragmentMustExistOnTheTarget() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md": "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. See [x](threat:alpha#p4).\n"
        ])
        let (_, diagnostics) = fixture.graph()
        let error = try #require(diagnostics.first { $0.code == "unknown-paragraph" })
        #expect(error.hint?.contains("para:4") == true)
    }

    @Test func unknownSchemeIsAnError() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md": "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. See [x](capabilty:drones).\n"
        ])
        let (_, diagnostics) = fixture.graph()
        let error = try #require(diagnostics.first { $0.code == "unknown-scheme" })
        #expect(error.hint == "did you mean 'capability'?")
    }

    @Test func relativeMarkdownLinksResolveToPages() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md":
                "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. See [alpha](alpha.md#p1) and [drones](../capabilities/drones.md).\n"
        ])
        let (graph, diagnostics) = fixture.graph()
        let site = try #require(graph, "\(diagnostics)")
        let targets = Set(site.section("beta")?.links.compactMap { $0 } ?? [])
        #expect(targets.contains(.page(.section("alpha", in: "threats"), fragment: "p1")))
        #expect(targets.contains(.page(.capability("drones"), fragment: nil)))
    }

    @Test func orphanCapabilityIsAWarning() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/capabilities/lonely.md": "---\ntitle: Lonely\nsummary: Nobody cites it.\n---\n"
        ])
        let (graph, diagnostics) = fixture.graph()
        #expect(graph != nil)
        #expect(diagnostics.contains { $0.code == "orphan-capability" && $0.severity == .warning })
    }

    @Test func tableTotalsAreVerified() throws {
        let source = try #require(SiteFixture().graph().0?.table("drone-numbers"))
        #expect(source.verifiedTotals == 2)
        #expect(source.numericColumns == [false, true, true, true])
    }

    @Test func declaredDiscrepancyIsCheckedAndUsedByDependentTotals() throws {
        // The paragraph-75 shape: a cell the report states wrongly, and a grand total that is
        // right only with the corrected cell.
        let fixture = try SiteFixture(overriding: [
            "Content/data/tables/drone-numbers.csv":
                "Measure,North,South,Total\nDrones,2,3,5\nPilots,4,1,5\nAll,6,3,10\n",
            "Content/data/tables/drone-numbers.yaml": """
            caption: Drones
            paragraphs: [2]
            totals:
              - column: Total
                sum_of: [North, South]
              - row: All
                sum_of: [Drones, Pilots]
            discrepancies:
              - row: All
                column: South
                expected: 4
                note: The report states 3; its rows sum to 4.
            """,
        ])
        let (graph, diagnostics) = fixture.graph()
        let table = try #require(graph?.table("drone-numbers"), "\(diagnostics)")
        #expect(table.discrepancies.count == 1)
        // Three row totals and two column totals hold; the discrepant cell is confirmed, not counted.
        #expect(table.verifiedTotals == 5)
    }

    @Test func headingIDsAreUniqueAcrossTheReport() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md":
                "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n## Later questions\n\n4. Text.\n"
        ])
        let site = try #require(fixture.graph().0)
        #expect(site.section("alpha")?.headings.map(\.id) == ["later-questions"])
        #expect(site.section("beta")?.headings.map(\.id) == ["later-questions-2"])
    }

    @Test func didYouMeanFindsCloseWordsOnly() {
        #expect(closestMatch(to: "armed-policng", in: ["armed-policing", "roads-policing"]) == "armed-policing")
        #expect(closestMatch(to: "zzz", in: ["armed-policing"]) == nil)
    }

    @Test func headingIDsNeverLookLikeParagraphAnchors() {
        #expect(headingID("P75") == "p75-heading")
        #expect(headingID("Martyn’s Law") == "martyns-law")
    }
}
