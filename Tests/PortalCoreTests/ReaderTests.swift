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

/// What readers get beyond the report's text: charts, search, "last updated", acronyms, and the
/// ONS style of numbers and dates.
@Suite("Readers")
struct ReaderTests {
    static let chartSidecar = """
        caption: Drones and pilots by area
        paragraphs: [2]
        totals:
          - column: Total
            sum_of: [North, South]
        chart:
          title: "Drones <b>& pilots</b> \\"now\\""
          rows: [Drones, Pilots]
          columns: [North, South]
          compare: [South, North]
          summary: "{group}: {a} in the south against {b} in the north, {gap}."
          overview: true
        """

    func render(_ overrides: [String: String?] = [:], theme: FixtureTheme = .minimal) throws -> [String: String] {
        let fixture = try SiteFixture(overriding: overrides, theme: theme)
        let (graph, diagnostics) = fixture.graph()
        let site = try #require(graph, "\(diagnostics)")
        let (files, problems) = renderSite(site)
        #expect(!problems.hasErrors, "\(problems)")
        return Dictionary(uniqueKeysWithValues: files.map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)) })
    }

    // MARK: charts

    @Test func chartIsAnAccessibleSVGBesideItsTable() throws {
        let pages = try render(["Content/data/tables/drone-numbers.yaml": Self.chartSidecar])
        let table = try #require(pages["tables/drone-numbers.html"])
        let id = "table-drone-numbers-chart"
        #expect(table.contains("<figure class=\"chart\" id=\"\(id)\">"))
        #expect(
            table.contains(
                "role=\"img\" aria-labelledby=\"\(id)-title\" aria-describedby=\"\(id)-summary\""))
        // The title comes from data: escaped in the caption, never raw.
        #expect(table.contains("Drones &lt;b&gt;&amp; pilots&lt;/b&gt; &quot;now&quot;"))
        #expect(!table.contains("<b>& pilots"))
        // Values are written on the bars; series are told apart by a legend and a pattern.
        #expect(table.contains("class=\"chart-value\">1.5</text>"))
        #expect(table.contains("class=\"chart-legend\">North</text>"))
        #expect(table.contains("fill=\"url(#\(id)-hatch)\""))
        // One sentence per group, from the summary template.
        #expect(table.contains("<li>Drones: 3 in the south against 2 in the north, 1 above.</li>"))
        #expect(table.contains("<li>Pilots: 1.5 in the south against 4 in the north, 2.5 below.</li>"))
        // The data table is still there, after the chart.
        let chartAt = try #require(table.range(of: "<figure class=\"chart\""))
        let tableAt = try #require(table.range(of: "<caption id=\"table-drone-numbers-caption\">"))
        #expect(chartAt.lowerBound < tableAt.lowerBound)
        // Where the table is embedded, and on the overview with its figures as a small table.
        #expect(try #require(pages["threats/alpha.html"]).contains("<figure class=\"chart\" id=\"\(id)\">"))
        let home = try #require(pages["index.html"])
        #expect(home.contains("id=\"overview-drone-numbers\""))
        #expect(home.contains("<caption id=\"overview-drone-numbers-data\">Figures in the chart"))
    }

    @Test func chartOfASingleSeriesComparesTwoBars() throws {
        let table = try loadedTable(
            csv: "Period,Referrals\nLast year,2000\nThis year,5500\n",
            chart: """
                chart:
                  compare: [This year, Last year]
                  summary: "{a} this year against {b} last year: {gap}."
                  gap_words: [fewer, more]
                """)
        let spec = try #require(table.source.chart)
        let data = chartData(table, spec: spec)
        #expect(data.groups == ["Last year", "This year"])
        #expect(data.series == ["Referrals"])
        #expect(chartSummary(data, spec: spec) == ["5,500 this year against 2,000 last year: 3,500 more."])
        let svg = chartSVG(data, id: "c", labelledBy: "t", describedBy: "s")
        #expect(svg.contains(">5,500</text>"))
        #expect(!svg.contains("chart-legend"))  // one series needs no legend
    }

    @Test func figuresTheReportDoesNotStateAreSaidSoNotDrawn() throws {
        let table = try loadedTable(
            csv: "Rank,Target,Trained\nPCs,1113,\nSgts,159,\n",
            chart: "chart:\n  columns: [Target, Trained]\n  compare: [Trained, Target]\n")
        let spec = try #require(table.source.chart)
        let data = chartData(table, spec: spec)
        #expect(
            chartSummary(data, spec: spec) == ["Target: PCs 1,113 and Sgts 159.", "Trained: not stated in the report."])
        let svg = chartSVG(data, id: "c", labelledBy: "t", describedBy: "s")
        #expect(svg.components(separatedBy: "Not stated in the report").count == 3)
        #expect(svg.components(separatedBy: "<rect x=\"0\"").count == 3 + 2)  // two legend swatches, two bars
    }

    @Test func gapsAreInWordsAndPercentagesInPoints() throws {
        let words = (lower: "below", higher: "above")
        #expect(gapText(Number("42")!, Number("56")!, unit: nil, words: words) == "14 below")
        #expect(gapText(Number("5500")!, Number("2000")!, unit: nil, words: words) == "3,500 above")
        #expect(gapText(Number("9")!, Number("13.3")!, unit: "%", words: words) == "4.3 percentage points below")
        #expect(gapText(Number("60000")!, Number("50000")!, unit: "£", words: words) == "£10,000 above")
        #expect(gapText(Number("7")!, Number("7.0")!, unit: nil, words: words) == "the same")
        #expect(svgNumber(12.345) == "12.3")
        #expect(svgNumber(-0.04) == "0")
        #expect(svgNumber(280) == "280")
        #expect(
            wrapWords("National Counter Terrorism (end of October 2023)", width: 20) == [
                "National Counter", "Terrorism (end of", "October 2023)",
            ])
    }

    @Test func chartMistakesAreErrorsAtTheirLine() throws {
        func errors(_ chart: String, csv: String? = nil) throws -> [Diagnostic] {
            var files: [String: String?] = [
                "Content/data/tables/drone-numbers.yaml": """
                caption: Drones and pilots by area
                paragraphs: [2]
                \(chart)
                """
            ]
            if let csv { files["Content/data/tables/drone-numbers.csv"] = csv }
            return try SiteFixture(overriding: files).graph().1.filter { $0.severity == .error }
        }
        let row = try errors("chart:\n  rows: [Drones, Pilot]\n")
        #expect(row.first?.code == "chart-invalid")
        #expect(row.first?.location.file == "Content/data/tables/drone-numbers.yaml")
        #expect(row.first?.location.line == 4)
        #expect(row.first?.hint == "did you mean 'Pilots'?")
        let placeholder = try errors("chart:\n  compare: [North, South]\n  summary: \"{a} and {c}\"\n")
        #expect(placeholder.first?.message.contains("'{c}'") == true)
        #expect(placeholder.first?.location.line == 5)
        let compare = try errors("chart:\n  compare: [North]\n")
        #expect(compare.first?.code == "chart-invalid")
        let groups = try errors("chart:\n  groups: colums\n")
        #expect(groups.first?.hint == "did you mean 'columns'?")
        let words = try errors("chart:\n  columns: [Note]\n", csv: "Measure,Count,Note\nDrones,2,few\n")
        #expect(words.first?.message.contains("not a number") == true)
    }

    /// A table loaded and verified through the real loader, with `chart` as its sidecar's chart.
    func loadedTable(csv: String, chart: String) throws -> DataTable {
        let fixture = try SiteFixture(overriding: [
            "Content/data/tables/drone-numbers.csv": csv,
            "Content/data/tables/drone-numbers.yaml": "caption: Figures\nparagraphs: [2]\n" + chart,
        ])
        let (graph, diagnostics) = fixture.graph()
        return try #require(graph?.table("drone-numbers"), "\(diagnostics)")
    }

    // MARK: search

    @Test func searchIndexHoldsParagraphsCapabilitiesTablesAndTerms() throws {
        let pages = try render([
            "Content/capabilities/drones.md": """
            ---
            title: Drones
            summary: Unmanned aircraft </script> & "more".
            level: local
            threats: [alpha]
            aliases: [UAV]
            ---

            Drones are described in [paragraph 1](para:1).
            """
        ])
        let script = try #require(pages["search/index.js"])
        #expect(script.hasPrefix("window.PORTAL_SEARCH = {"))
        #expect(script.hasSuffix("};\n"))
        #expect(!script.contains("</script>"))
        // Valid JSON between the assignment and the semicolon.
        let json = script.dropFirst("window.PORTAL_SEARCH = ".count).dropLast(2)
        let index = try #require(
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        // Read through the names search.js uses, so a writer that puts a field elsewhere fails here.
        func field(_ record: [Any], _ name: String, of fields: [String]) -> Any? {
            fields.firstIndex(of: name).flatMap { $0 < record.count ? record[$0] : nil }
        }
        let sections = try #require(index["sections"] as? [[Any]])
        #expect(field(sections[0], "href", of: SearchIndexFields.section) as? String == "threats/alpha.html")
        #expect(field(sections[0], "title", of: SearchIndexFields.section) as? String == "Alpha threat")
        let paragraphs = try #require(index["paragraphs"] as? [[Any]])
        let paragraph = { (record: [Any], name: String) in field(record, name, of: SearchIndexFields.paragraph) }
        #expect(paragraphs.count == 4)
        #expect(paragraph(paragraphs[0], "number") as? Int == 1)
        #expect(paragraph(paragraphs[0], "section") as? Int == 0)
        #expect((paragraph(paragraphs[0], "text") as? String)?.hasPrefix("The force relies on its drones") == true)
        #expect(paragraph(paragraphs[3], "section") as? Int == 1)  // paragraph 4 is in the second section
        let entries = try #require(index["entries"] as? [[Any]])
        let entry = { (record: [Any], name: String) in field(record, name, of: SearchIndexFields.entry) }
        let drones = try #require(entries.first { entry($0, "kind") as? String == "Capability" })
        #expect(entry(drones, "title") as? String == "Drones")
        #expect(entry(drones, "href") as? String == "capabilities/drones.html")
        #expect(entry(drones, "keywords") as? String == "UAV|Local")
        #expect(entry(drones, "text") as? String == "Unmanned aircraft </script> & \"more\".")
        #expect(entry(drones, "section") as? Int == -1)
        #expect(
            entries.contains {
                entry($0, "kind") as? String == "Table" && entry($0, "href") as? String == "tables/drone-numbers.html"
                    && entry($0, "section") as? Int == 0
            })
        let term = try #require(entries.first { entry($0, "kind") as? String == "Glossary" })
        #expect(entry(term, "href") as? String == "reference/glossary.html#term-acc")
        #expect(try #require(pages["reference/glossary.html"]).contains("id=\"term-acc\""))
        #expect(
            entries.contains {
                entry($0, "kind") as? String == "Heading"
                    && entry($0, "href") as? String == "threats/alpha.html#later-questions"
            })
    }

    /// The real theme's search page and header form.
    @Test func searchPageAndHeaderFormWorkWithoutScript() throws {
        let pages = try render(theme: .real)
        let search = try #require(pages["search/index.html"])
        #expect(search.contains("<noscript>"))
        #expect(search.contains("Search needs JavaScript"))
        #expect(search.contains("<script src=\"index.js\"></script>"))
        #expect(search.contains("<script src=\"../assets/search.js\"></script>"))
        #expect(!search.contains("id=\"site-search-q\""))  // one search form on the search page
        let alpha = try #require(pages["threats/alpha.html"])
        #expect(alpha.contains("action=\"../search/index.html\" method=\"get\""))
        #expect(alpha.contains("name=\"q\""))
        #expect(try #require(pages["index.html"]).contains("action=\"search/index.html\""))
    }

    @Test func searchIndexStaysBoundedOnHugeSites() {
        #expect(searchTextLimit(paragraphs: 149) == 2000)
        #expect(searchTextLimit(paragraphs: 120_000) == 133)
        #expect(searchTextLimit(paragraphs: 10_000_000) == 120)
    }

    @Test func jsonStringsAreSafeInsideScripts() {
        #expect(jsonString("a\"b\\c") == #""a\"b\\c""#)
        #expect(jsonString("</script>") == #""\u003c/script>""#)
        #expect(jsonString("line\nnext\u{2028}\u{1}") == #""line\nnext\u2028\u0001""#)
        #expect(jsonString("‘Fast Parcel’ £") == "\"‘Fast Parcel’ £\"")
    }

    // MARK: last updated

    static let fakeLog =
        "\u{1E}2024-04-01T23:30:00-05:00\u{1F}Ann O'Neil\0\nContent/threats/alpha.md\0"
        + "\u{1E}2024-03-05T10:00:00+01:00\u{1F}Jane Smith\0\nContent/threats/alpha.md\0Content/data/glossary.yaml\0"
        + "\u{1E}2023-12-31T09:00:00+00:00\u{1F}Old Author\0\nContent/data/glossary.yaml\0Themes/default/x.css\0"

    @Test func gitLogIsReadNewestFirstInTheAuthorsTimeZone() {
        let history = GitHistory.parse(Self.fakeLog)
        #expect(history.changes.count == 3)
        let alpha = history.changes["Content/threats/alpha.md"]
        #expect(alpha?.author == "Ann O'Neil")
        #expect(alpha?.date.formatted == "1 April 2024")  // 2 April in UTC, 1 April where it was written
        #expect(history.changes["Content/data/glossary.yaml"]?.author == "Jane Smith")
        #expect(history.changes["Themes/default/x.css"]?.date.iso == "2023-12-31")
        let latest = history.lastChange(of: ["Content/data/glossary.yaml", "Content/threats/alpha.md", "missing"])
        #expect(latest?.author == "Ann O'Neil")
        #expect(history.lastChange(of: ["missing"]) == nil)
        #expect(GitHistory.parse("").changes.isEmpty)
        #expect(GitHistory.parse("\u{1E}not a date\u{1F}X\0\nContent/a.md\0").changes.isEmpty)
    }

    @Test func lastUpdatedComesFromGitAndIsLeftOutOtherwise() throws {
        let fixture = try SiteFixture()
        #expect(GitHistory.load(root: fixture.root.path).changes.isEmpty)  // not a checkout
        guard case .success = fixture.build() else {
            Issue.record("the fixture must build")
            return
        }
        #expect(!(try fixture.read("threats/alpha.html")).contains("<time"))

        guard git(["init", "-q"], in: fixture.root) else { return }  // no git here: nothing more to test
        #expect(git(["add", "Content"], in: fixture.root))
        #expect(
            git(
                ["-c", "user.name=Jane & Smith", "-c", "user.email=j@example.org", "commit", "-q", "-m", "Content"],
                in: fixture.root, date: "2024-03-05T10:00:00+00:00"))
        guard case .success = fixture.build() else {
            Issue.record("the fixture must build in a git checkout")
            return
        }
        let alpha = try fixture.read("threats/alpha.html")
        #expect(alpha.contains("Changed <time datetime=\"2024-03-05\">5 March 2024</time> by Jane &amp; Smith"))
        #expect(try fixture.read("capabilities/drones.html").contains("5 March 2024"))
        #expect(try fixture.read("tables/drone-numbers.html").contains("5 March 2024"))
        #expect(!(try fixture.read("index.html")).contains("<time"))
    }

    // MARK: acronyms, numbers and dates

    @Test func acronymExpansionIsTextForScreenReadersAndATitleForHover() {
        #expect(
            abbreviationHTML(word: "A&E", expansion: "Accident & \"Emergency\"")
                == "<abbr title=\"Accident &amp; &quot;Emergency&quot;\">A&amp;E</abbr>"
                + "<span class=\"abbr-expansion\"> (Accident &amp; &quot;Emergency&quot;)</span>")
    }

    @Test func numbersAndDatesFollowTheONSStyle() {
        #expect(Number("5500")!.formatted == "5,500")
        #expect(Number("1113")!.formatted == "1,113")
        #expect(Number("999")!.formatted == "999")
        #expect(Number("607.66")!.formatted == "607.66")
        #expect(Number("1234567.5")!.formatted == "1,234,567.5")
        #expect(Number("-4")!.formatted == "\u{2212}4")
        #expect(withUnit(Number("13.3")!.formatted, unit: "%") == "13.3%")
        #expect(withUnit(Number("170000")!.formatted, unit: "£") == "£170,000")
        #expect(PartialDate("2024-03-05")?.formatted == "5 March 2024")
        #expect(PartialDate("2024-03")?.formatted == "March 2024")
        #expect(endOfPeriod(PartialDate("2024")!) > endOfPeriod(PartialDate("2024-03-31")!))
    }
}
