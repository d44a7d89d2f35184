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

/// `portal check`: each problem found at its line and column, and the JSON machine-readable.
@Suite("Check")
struct CheckTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var code: String
        var severity: Diagnostic.Severity
        var file: String
        var text: String
        var line: Int
        var column: Int
        var testDescription: String { code }
    }

    static let beta = "Content/threats/beta.md"
    static let cases: [Case] = [
        Case(
            code: "unknown-reference", severity: .error, file: beta,
            text: "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. Uses [drones](capability:drone).\n", line: 7,
            column: 9),
        Case(
            code: "unknown-key", severity: .warning, file: beta,
            text: "---\ntitle: Beta\norder: 2\nsumary: B.\nsummary: B.\n---\n\n4. [d](capability:drones).\n", line: 4,
            column: 1),
        Case(
            code: "missing-field", severity: .error, file: beta,
            text: "---\ntitle: Beta\norder: 2\n---\n\n4. [d](capability:drones).\n", line: 2, column: 1),
        Case(
            code: "total-mismatch", severity: .error, file: "Content/data/tables/drone-numbers.csv",
            text: "Measure,North,South,Total\nDrones,2,3,6\nPilots,4,1.5,5.5\n", line: 2, column: 12),
        Case(
            code: "duplicate-paragraph", severity: .error, file: beta,
            text: "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. [d](capability:drones).\n\n1. Again.\n", line: 9,
            column: 1),
        Case(
            code: "orphan-capability", severity: .warning, file: "Content/capabilities/lonely.md",
            text: "---\ntitle: Lonely\nsummary: Not cited.\n---\n", line: 2, column: 8),
        Case(
            code: "acronym-missing", severity: .warning, file: beta,
            text: "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. The [d](capability:drones) of the XYZ unit.\n",
            line: 7,
            column: 38),
        Case(
            code: "image-alt-missing", severity: .warning, file: beta,
            text:
                "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. [d](capability:drones) ![](table:drone-numbers)\n",
            line: 7, column: 27),
        Case(
            code: "empty-section", severity: .warning, file: "Content/threats/gamma.md",
            text: "---\ntitle: Gamma\norder: 3\nsummary: G.\n---\n", line: 2, column: 8),
    ]

    @Test(arguments: cases)
    func findsEachProblemAtItsPlace(_ problem: Case) throws {
        let fixture = try SiteFixture(overriding: [problem.file: problem.text])
        let diagnostics = check(root: fixture.root)
        let found = diagnostics.first { $0.code == problem.code }
        #expect(found?.severity == problem.severity, "\(diagnostics)")
        #expect(
            found?.location
                == PortalSupport.SourceLocation(file: problem.file, line: problem.line, column: problem.column)
        )
        #expect(found?.hint != nil)

        let json = try JSONSerialization.jsonObject(with: Data(diagnosticsJSON(diagnostics).utf8)) as? [String: Any]
        let items = try #require(json?["diagnostics"] as? [[String: Any]])
        let item = try #require(items.first { $0["code"] as? String == problem.code })
        #expect(item["file"] as? String == problem.file)
        #expect(item["line"] as? Int == problem.line)
        #expect(item["column"] as? Int == problem.column)
        #expect(item["severity"] as? String == problem.severity.rawValue)
        #expect(item["message"] is String)
    }

    @Test func cleanSiteHasNoDiagnostics() throws {
        let fixture = try SiteFixture()
        #expect(check(root: fixture.root).isEmpty)
    }

    @Test func findsAcronymCandidates() {
        #expect(
            PortalMarkdown.acronymCandidates(in: "The CTSFOs and the CoP met IT&D, not Chief or A.") == [
                "CTSFOs", "CoP", "IT&D",
            ])
    }
}
