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

@Suite("Load")
struct LoadTests {
    @Test func byteOrderMarkAndCRLFAreAccepted() throws {
        let text = "---\r\ntitle: Alpha\r\norder: 1\r\nsummary: S\r\n---\r\n\r\n1. One.\r\n"
        let decoded = try SourceFile.decode([0xEF, 0xBB, 0xBF] + Array(text.utf8), path: "a.md").get()
        #expect(decoded.text == "---\ntitle: Alpha\norder: 1\nsummary: S\n---\n\n1. One.\n")
    }

    @Test func invalidUTF8IsReportedAtItsLineAndColumn() {
        let bytes = Array("title: ok\nsummary: caf".utf8) + [0xE9] + Array(" au lait\n".utf8)
        guard case .failure(let diagnostic) = SourceFile.decode(bytes, path: "Content/site.yaml") else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic.code == "not-utf8")
        #expect(diagnostic.location == SourceLocation(file: "Content/site.yaml", line: 2, column: 13))
        #expect(diagnostic.hint?.contains("UTF-8") == true)
    }

    @Test func frontMatterSplitsAndCountsLines() throws {
        let split = try splitFrontMatter("---\ntitle: A\n---\nBody\n", file: "x.md").get()
        #expect(split.yaml == "title: A")
        #expect(split.body == "Body\n")
        #expect(split.bodyFirstLine == 4)
    }

    @Test func unclosedFrontMatterIsAnError() {
        guard case .failure(let diagnostic) = splitFrontMatter("---\ntitle: A\n", file: "x.md") else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic.code == "front-matter-unclosed")
    }

    @Test func yamlErrorsCarryTheirFileLine() {
        var problems: [Diagnostic] = []
        guard
            case .failure(let diagnostic) = parseYAML(
                "title: A\nlist: [1, 2\n", file: "f.md", firstLine: 2, valueProblems: &problems)
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic.code == "yaml-invalid")
        #expect(diagnostic.location.file == "f.md")
        #expect(diagnostic.location.line >= 3)
    }

    @Test func csvHandlesQuotesAndKeepsPositions() throws {
        let table = try parseCSV("a,b\n\"x, y\",\"say \"\"hi\"\"\"\n3,4", file: "t.csv").get()
        #expect(table.rows.count == 3)
        #expect(table.rows[1][0].value == "x, y")
        #expect(table.rows[1][1].value == "say \"hi\"")
        #expect(table.rows[2][1].location == SourceLocation(file: "t.csv", line: 3, column: 3))
    }

    @Test func csvUnclosedQuoteIsAnError() {
        guard case .failure(let diagnostic) = parseCSV("a,b\n\"open,2\n", file: "t.csv") else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic.location.line == 2)
        #expect(diagnostic.location.column == 1)
    }

    @Test func csvCellsKeepWhereTheyStartAcrossLinesAndEdges() throws {
        let table = try parseCSV("a,\"two\nlines\",c\n\nx\"y,,\n", file: "t.csv").get()
        #expect(table.rows.map { $0.map(\.value) } == [["a", "two\nlines", "c"], ["x\"y", "", ""]])
        #expect(table.rows[0][2].location == SourceLocation(file: "t.csv", line: 2, column: 8))
        #expect(table.rows[1][0].location == SourceLocation(file: "t.csv", line: 4, column: 1))
        #expect(table.rows[1][2].location == SourceLocation(file: "t.csv", line: 4, column: 6))
        guard case .failure(let diagnostic) = parseCSV("a,b\n\"x\"y,2\n", file: "t.csv") else {
            Issue.record("expected a failure")
            return
        }
        #expect(diagnostic.code == "csv-invalid")
        #expect(diagnostic.location == SourceLocation(file: "t.csv", line: 2, column: 4))
    }

    @Test func numbersAreExactAndFormattedInONSStyle() throws {
        let sum = [Number("120.66")!, Number("5")!, Number("6")!, Number("7")!].dropFirst().reduce(Number("120.66")!, +)
        #expect(sum == Number("138.66"))
        #expect(Number("5500")!.formatted == "5,500")
        #expect(Number("1113")!.formatted == "1,113")
        #expect(Number("607.66")!.formatted == "607.66")
        #expect(Number("-4")!.formatted == "\u{2212}4")
        #expect(Number("1234567.5")!.formatted == "1,234,567.5")
        #expect(Number("12,000") == nil)
        #expect(Number("abc") == nil)
    }

    @Test func partialDatesSortByTheirStart() throws {
        let year = try #require(PartialDate("2024"))
        let day = try #require(PartialDate("2024-03-31"))
        #expect(year < day)
        #expect(day.formatted == "31 March 2024")
        #expect(PartialDate("2024-13") == nil)
    }

    @Test func unknownFrontMatterKeyWarnsWithSuggestion() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/capabilities/drones.md": """
            ---
            title: Drones
            summary: S.
            threat: [alpha]
            ---
            """
        ])
        let (_, diagnostics) = fixture.graph()
        let warning = try #require(diagnostics.first { $0.code == "unknown-key" })
        #expect(warning.severity == .warning)
        #expect(warning.hint == "did you mean 'threats'?")
        #expect(warning.location.line == 4)
    }

    @Test func missingRequiredFieldIsAnError() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md": "---\ntitle: Beta\norder: 2\n---\n\n4. Text.\n"
        ])
        let (_, diagnostics) = fixture.graph()
        #expect(diagnostics.contains { $0.code == "missing-field" && $0.message.contains("summary") })
    }
}
