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

/// Each bad input: a failed build, an error at the right file, line and column with a hint,
/// and the previous output left exactly as it was.
@Suite("Bad input")
struct BadInputTests {
    /// Builds the valid site, breaks it, rebuilds, and checks the error and that Public/ survived.
    func expectFailure(
        _ change: (SiteFixture) throws -> Void, code: String, file: String, line: Int, column: Int? = nil,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic? {
        guard let (fixture, before) = try SiteFixture.builtThenChanged(change, sourceLocation: sourceLocation) else {
            return nil
        }
        let diagnostics = fixture.failingBuild(sourceLocation: sourceLocation)
        let match = diagnostics.first { $0.code == code && $0.severity == .error }
        #expect(match != nil, "expected \(code) in \(diagnostics)", sourceLocation: sourceLocation)
        #expect(match?.location.file == file, sourceLocation: sourceLocation)
        #expect(match?.location.line == line, sourceLocation: sourceLocation)
        if let column { #expect(match?.location.column == column, sourceLocation: sourceLocation) }
        #expect(sameSnapshot(before, snapshot(of: fixture.output)), "Public/ changed", sourceLocation: sourceLocation)
        return match
    }

    @Test func malformedFrontMatter() throws {
        _ = try expectFailure(
            {
                try $0.write(
                    "---\ntitle: Beta\norder: [2\nsummary: B\n---\n\n4. Text.\n", to: "Content/threats/beta.md")
            },
            code: "yaml-invalid", file: "Content/threats/beta.md", line: 4)
    }

    @Test func unknownReferenceTarget() throws {
        let error = try expectFailure(
            {
                try $0.write(
                    "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. Uses the [drones](capability:drons).\n",
                    to: "Content/threats/beta.md")
            }, code: "unknown-reference", file: "Content/threats/beta.md", line: 7, column: 13)
        #expect(error?.hint == "did you mean 'drones'?")
    }

    @Test func duplicateParagraphNumber() throws {
        let error = try expectFailure(
            {
                try $0.write(
                    "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n3. Again.\n", to: "Content/threats/beta.md")
            },
            code: "duplicate-paragraph", file: "Content/threats/beta.md", line: 7, column: 1)
        #expect(error?.hint?.contains("Content/threats/alpha.md:") == true)
    }

    @Test func duplicateSlug() throws {
        _ = try expectFailure(
            {
                try $0.write(
                    "- id: alpha-board\n  name: Alpha Board\n- id: alpha-board\n  name: Again\n",
                    to: "Content/data/boards.yaml")
            }, code: "duplicate-id", file: "Content/data/boards.yaml", line: 3, column: 7)
    }

    @Test func csvRowWithWrongNumberOfCells() throws {
        _ = try expectFailure(
            { try $0.write("Measure,North,South,Total\nDrones,2,3\n", to: "Content/data/tables/drone-numbers.csv") },
            code: "csv-ragged", file: "Content/data/tables/drone-numbers.csv", line: 2, column: 1)
    }

    @Test func statedTotalThatDoesNotMatch() throws {
        let error = try expectFailure(
            {
                try $0.write(
                    "Measure,North,South,Total\nDrones,2,3,5\nPilots,4,1.5,6.5\n",
                    to: "Content/data/tables/drone-numbers.csv")
            }, code: "total-mismatch", file: "Content/data/tables/drone-numbers.csv", line: 3, column: 14)
        #expect(error?.message.contains("5.5") == true)
    }

    @Test func missingTheme() throws {
        let error = try expectFailure(
            {
                let config = try String(
                    contentsOf: $0.root.appendingPathComponent("Content/site.yaml"), encoding: .utf8)
                try $0.write(config + "\ntheme: defualt\n", to: "Content/site.yaml")
            },
            code: "theme-missing", file: "Content/site.yaml", line: 7)
        #expect(error?.hint == "did you mean 'default'?")
    }

    @Test func fileThatIsNotUTF8() throws {
        _ = try expectFailure(
            {
                try $0.writeBytes(
                    Array("---\ntitle: Beta\norder: 2\nsummary: Caf".utf8) + [0xE9] + Array("\n---\n\n4. Text.\n".utf8),
                    to: "Content/threats/beta.md")
            }, code: "not-utf8", file: "Content/threats/beta.md", line: 4, column: 13)
    }

    @Test func allErrorsAreReportedAtOnce() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md":
                "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. [a](capability:nope) [b](table:nope).\n",
            "Content/data/tables/drone-numbers.csv": "Measure,North,South,Total\nDrones,2,3,6\nPilots,4,1.5,5.5\n",
        ])
        let errors = fixture.failingBuild().errors
        #expect(errors.count >= 3)
    }

    @Test func byteOrderMarkAndCRLFBuild() throws {
        let fixture = try SiteFixture()
        try fixture.writeBytes(
            [0xEF, 0xBB, 0xBF]
                + Array(
                    "---\r\ntitle: Beta\r\norder: 2\r\nsummary: B.\r\n---\r\n\r\n4. Uses [drones](capability:drones).\r\n"
                        .utf8),
            to: "Content/threats/beta.md")
        guard case .success = fixture.build() else {
            Issue.record("a BOM and CRLF line endings must be accepted")
            return
        }
        #expect(try fixture.read("threats/beta.html").contains("id=\"p4\""))
    }
}
