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

/// Nothing wrong reaches the intranet: figures that are not what they seem, YAML values cut or
/// retyped, inputs that cost too much, an empty site.yaml, and CSV downloads that would run.
@Suite("Figure trust")
struct FigureTrustTests {
    static let csv = "Content/data/tables/drone-numbers.csv"
    static let sidecar = "Content/data/tables/drone-numbers.yaml"

    /// The error a bad input gives, as `BadInputTests.expectFailure` checks it (file, line,
    /// column, previous Public/ untouched), and `portal check` gives the same.
    @discardableResult
    func expectFailure(
        _ files: [String: String], code: String, file: String, line: Int, column: Int, alone: Bool = false,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic? {
        // Kept past BadInputTests' check, which would otherwise let the fixture's folder go.
        var kept: SiteFixture?
        let error = try BadInputTests().expectFailure(
            { fixture in
                kept = fixture
                for (path, text) in files { try fixture.write(text, to: path) }
            }, code: code, file: file, line: line, column: column, sourceLocation: sourceLocation)
        if let fixture = kept {
            let built = fixture.failingBuild(sourceLocation: sourceLocation).errorsOnly
            #expect(
                check(root: fixture.root).errorsOnly == built, "check and build disagree",
                sourceLocation: sourceLocation)
            // One error of its kind; references to a file that failed to load add their own.
            #expect(
                built.filter { $0.hasPrefix(code + " ") }.count == 1, "one mistake, one error: \(built)",
                sourceLocation: sourceLocation)
            // Where the file still loads, nothing else is reported at all.
            if alone { #expect(built.count == 1, "one mistake, one error: \(built)", sourceLocation: sourceLocation) }
        }
        return error
    }

    func table(_ csv: String, sidecar: String? = nil) -> [String: String] {
        var files = [Self.csv: csv]
        if let sidecar { files[Self.sidecar] = sidecar }
        return files
    }

    static let totalSidecar = """
        caption: Drones and pilots by area
        paragraphs: [2]
        totals:
          - column: Total
            sum_of: [North, South]
        """

    // MARK: 1. Figures

    func reading(_ text: String, unit: String?) -> CellReading {
        readCell(text, unit: unit, column: "column 'C'", declareUnit: { $0 })
    }

    /// Plain digits are read without Foundation's scanning (`Number.plainDigits`): to the same
    /// value, places and printed form as the scanner gives, and a figure only where it gives one.
    @Test func plainDigitsReadAsTheScannerReadsThem() {
        var samples = [
            "0", "0.5", "12.", "12.50", "-3", "-0", "-0.25", "007", "1.2.3", ".5", "5500", "999999999999999999",
        ]
        // The same 500 strings of digits, points and minus signs every run.
        var seed: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let characters = Array("0123456789.-")
        for _ in 0..<500 {
            samples.append(String((0...next(20)).map { _ in characters[next(characters.count)] }))
        }
        for text in samples {
            let scanned = Number(scanning: text)
            let fast = Number(text)
            #expect(fast == scanned, "\(text)")
            #expect(fast?.plain == scanned?.plain, "\(text)")
            #expect(fast?.decimals == scanned?.decimals, "\(text)")
        }
    }

    @Test func cellsAreReadAsTheFiguresTheyState() {
        func number(_ text: String, unit: String? = nil) -> String? {
            reading(text, unit: unit).number.map(\.plain)
        }
        #expect(number("1,113") == "1113")
        #expect(number("410,000.50") == "410000.50")
        #expect(number("£410,000", unit: "£") == "410000")
        #expect(number("-£5", unit: "£") == "-5")
        #expect(number("12.5%", unit: "%") == "12.5")
        #expect(number("\u{2212}4") == "-4")
        #expect(number(" 7 \t") == "7")
        #expect(number("\u{A0}1,113\u{202F}") == "1113")
        #expect(number("-5") == "-5")
        #expect(reading("   ", unit: nil) == .blank)
        for text in ["20m to 40m", "2023-24", "007", "3.1.2", "62, 64", "n/a", "-", "24/7"] {
            #expect(reading(text, unit: nil) == .text, "\(text)")
        }
        for text in [
            "NaN", "-inf", "Infinity", "1e309", "1E3", "0x1F", "1,11,3", "1113,5", "1\u{A0}113", "1\u{202F}113",
            "+5", ".5", "5.", "12.5%", "£410,000", String(repeating: "9", count: 39),
        ] {
            if case .malformed = reading(text, unit: nil) {
            } else {
                Issue.record("'\(text)' should be malformed, is \(reading(text, unit: nil))")
            }
        }
        if case .malformed = reading("£5", unit: "%") {} else { Issue.record("£ in a % column") }
    }

    @Test func figuresWithUnitsAndCommasAreVerifiedAndShownAsStated() throws {
        let fixture = try SiteFixture(overriding: [
            Self.csv:
                "Measure,North,South,Total\nDrones,\"£1,000\",£2.50,\"£1,002.50\"\nPilots,4,\"1,500\",\"£1,504\"\n",
            Self.sidecar: Self.totalSidecar + "\nunits:\n  North: \"£\"\n  South: \"£\"\n  Total: \"£\"\n",
        ])
        let (graph, diagnostics) = fixture.graph()
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        #expect(graph?.tables.first?.verifiedTotals == 2)
        guard case .success = fixture.build() else {
            Issue.record("build failed")
            return
        }
        let page = try fixture.read("tables/drone-numbers.html")
        #expect(page.contains("£1,002.50"))
        #expect(page.contains("£1,500"))
    }

    /// The bug: `"1,113"` made the column text, so its wrong total was never checked.
    @Test func aWrongTotalOverCommaFiguresIsAnError() throws {
        try expectFailure(
            table("Measure,North,South,Total\nDrones,\"1,113\",3,\"1,117\"\nPilots,4,1.5,5.5\n"),
            code: "total-mismatch", file: Self.csv, line: 2, column: 18, alone: true)
    }

    @Test(arguments: [
        ("NaN", 8), ("-inf", 8), ("1e309", 8), ("0x1F", 8), ("\"1,11,3\"", 8), ("12.5%", 8), ("\"£410,000\"", 8),
        ("+2", 8), ("1\u{A0}2", 8), (".5", 8),
    ])
    func aCellThatIsNotAWellFormedFigureIsAnErrorAtTheCell(cell: String, column: Int) throws {
        try expectFailure(
            table("Measure,North,South,Total\nDrones,\(cell),3,5\nPilots,4,1.5,5.5\n"),
            code: "csv-not-a-number", file: Self.csv, line: 2, column: column, alone: true)
    }

    @Test func aMalformedCellInAChartedColumnIsOneError() throws {
        try expectFailure(
            table(
                "Measure,North,South,Total\nDrones,2,NaN,5\nPilots,4,1.5,5.5\n",
                sidecar: Self.totalSidecar + "\nchart:\n  columns: [North, South]\n"),
            code: "csv-not-a-number", file: Self.csv, line: 2, column: 10, alone: true)
    }

    @Test func aTotalOverATextCellIsAnErrorAtTheCheckNamingTheCell() throws {
        let error = try expectFailure(
            table("Measure,North,South,Total\nDrones,2,3,5\nPilots,4,about 1,5.5\n"),
            code: "total-not-a-number", file: Self.sidecar, line: 4, column: 5, alone: true)
        #expect(error?.message.contains("\(Self.csv):3:10") == true, "\(String(describing: error?.message))")
    }

    @Test func aBlankCellInATotalIsNotCountedAsZero() throws {
        let error = try expectFailure(
            table("Measure,North,South,Total\nDrones,2,,2\nPilots,4,1.5,5.5\n"),
            code: "total-not-stated", file: Self.sidecar, line: 4, column: 5, alone: true)
        #expect(error?.message.contains("\(Self.csv):2:10") == true, "\(String(describing: error?.message))")
    }

    @Test func aRowTotalCoversEveryColumn() throws {
        try expectFailure(
            table(
                "Measure,North,South\nDrones,2,3\nPilots,4,some\nBoth,6,9\n",
                sidecar: "caption: C\nparagraphs: [2]\ntotals:\n  - row: Both\n    sum_of: [Drones, Pilots]\n"),
            code: "total-not-a-number", file: Self.sidecar, line: 4, column: 5, alone: true)
    }

    @Test func aRowWithNothingStatedHasNothingToCheck() throws {
        let fixture = try SiteFixture(overriding: [
            Self.csv: "Measure,North,South,Total\nDrones,2,3,5\nAircrew,,,\nPilots,4,1.5,5.5\n"
        ])
        #expect(!fixture.graph().1.hasErrors)
    }

    @Test func aDuplicateColumnNameIsAnErrorAtTheSecond() throws {
        try expectFailure(
            table(
                "Measure,North,North,Total\nDrones,2,3,5\nPilots,4,1.5,5.5\n", sidecar: "caption: C\nparagraphs: [2]\n"),
            code: "csv-duplicate-name", file: Self.csv, line: 1, column: 15, alone: true)
    }

    @Test func anEmptyColumnNameIsAnError() throws {
        try expectFailure(
            table("Measure,North,,Total\nDrones,2,3,5\nPilots,4,1.5,5.5\n", sidecar: "caption: C\nparagraphs: [2]\n"),
            code: "csv-empty-name", file: Self.csv, line: 1, column: 15, alone: true)
    }

    @Test func aDuplicateRowLabelIsAnError() throws {
        try expectFailure(
            table("Measure,North,South,Total\nDrones,2,3,5\nDrones,4,1.5,5.5\n"),
            code: "csv-duplicate-name", file: Self.csv, line: 3, column: 1, alone: true)
    }

    @Test func anAllEmptyRowIsAnErrorThatSaysSo() throws {
        try expectFailure(
            table("Measure,North,South,Total\nDrones,2,3,5\n,,,\nPilots,4,1.5,5.5\n"),
            code: "csv-empty-row", file: Self.csv, line: 3, column: 1, alone: true)
    }

    @Test func aUnitThatIsNotASingleValueOrIsGivenTwiceIsAnError() throws {
        try expectFailure(
            table(
                "Measure,North,South,Total\nDrones,2,3,5\nPilots,4,1.5,5.5\n",
                sidecar: Self.totalSidecar + "\nunits:\n  North: [\"%\"]\n"),
            code: "yaml-type", file: Self.sidecar, line: 7, column: 10)
        try expectFailure(
            table(
                "Measure,North,South,Total\nDrones,2,3,5\nPilots,4,1.5,5.5\n",
                sidecar: Self.totalSidecar + "\nunits: {North: \"%\", North: \"£\"}\n"),
            code: "duplicate-key", file: Self.sidecar, line: 6, column: 21)
    }

    /// A key figure with a target shows it on the home page's card and the section page (the
    /// template catalog lists the names for both, which debug builds check on every context).
    @Test func aKeyFigureWithATargetRendersOnTheHomeAndSectionPages() throws {
        let alpha = SiteFixture.validFiles["Content/threats/alpha.md"]!.replacingOccurrences(
            of: "boards: [alpha-board]\n",
            with: "boards: [alpha-board]\nkey_figures:\n  - {label: Drones, value: 5, target: 8, paragraph: 2}\n")
        let fixture = try SiteFixture(overriding: ["Content/threats/alpha.md": alpha], theme: .builtIn)
        guard case .success = fixture.build() else {
            Issue.record("the site must build: \(fixture.failingBuild())")
            return
        }
        #expect(try fixture.read("index.html").contains("3 below"))
        #expect(try fixture.read("threats/alpha.html").contains("3 below"))
    }

    /// The not-found page is served for a missing address at any depth. Without `base_path` it
    /// sets its own `<base href>` from the address (the part before the first of the site's
    /// folders), so its links work there too; with it, the configured base is used and no script.
    @Test func theNotFoundPageFindsTheSiteRootWithoutABasePath() throws {
        let fixture = try SiteFixture(theme: .builtIn)
        guard case .success = fixture.build() else {
            Issue.record("the site must build")
            return
        }
        let page = try fixture.read("404.html")
        #expect(
            page.contains(
                #"var f=["assets","capabilities","changes","editions","reference","report","search","tables","threats"]"#
            ))
        #expect(page.contains("document.write('<base href="))
        let head = try #require(page.range(of: "</head>")).lowerBound
        #expect(page.range(of: "document.write")!.lowerBound < head)

        try fixture.write(
            SiteFixture.validFiles["Content/site.yaml"]! + "\nbase_path: /spr/\n", to: "Content/site.yaml")
        guard case .success = fixture.build() else {
            Issue.record("the site with a base path must build")
            return
        }
        let based = try fixture.read("404.html")
        #expect(based.contains(#"<base href="/spr/">"#))
        #expect(!based.contains("document.write"))
    }

    /// A key given twice is reported where it is given again, with where it was first given.
    @Test func aDuplicateKeyIsReportedAtItsSecondAppearance() throws {
        let twice = try expectFailure(
            [
                "Content/data/boards.yaml":
                    "- id: alpha-board\n  name: Alpha Board\n  chair: One\n  name: Again\n  paragraphs: [4]\n"
            ],
            code: "duplicate-key", file: "Content/data/boards.yaml", line: 4, column: 3)
        #expect(twice?.hint?.contains("first given at line 2") == true)
        try expectFailure(
            ["Content/data/boards.yaml": "- {id: alpha-board, name: Alpha Board, name: Again, paragraphs: [4]}\n"],
            code: "duplicate-key", file: "Content/data/boards.yaml", line: 1, column: 40)
    }

    @Test func aDiscrepancyDeclaredTwiceIsAnError() throws {
        let twice = """
              - row: Pilots
                column: Total
                expected: 5.5
                note: The report says 6.
            """
        try expectFailure(
            table(
                "Measure,North,South,Total\nDrones,2,3,5\nPilots,4,1.5,6\n",
                sidecar: Self.totalSidecar + "\ndiscrepancies:\n" + twice + "\n" + twice + "\n"),
            code: "duplicate-discrepancy", file: Self.sidecar, line: 11, column: 5, alone: true)
    }

    @Test func aCapabilityFigureIsReadAsATableCellIs() throws {
        let file = "Content/capabilities/drones.md"
        func capability(_ figure: String) -> [String: String] {
            let valid = SiteFixture.validFiles[file]!
            return [
                file: valid.replacingOccurrences(
                    of: "threats: [alpha]\n",
                    with: "threats: [alpha]\nfigures:\n  - {label: \"Pilots\", \(figure), paragraph: 1}\n")
            ]
        }
        try expectFailure(
            capability("value: \"1,11,3\""), code: "figure-not-a-number", file: file, line: 7, column: 30, alone: true)
        try expectFailure(
            capability("value: about 30, target: 56"), code: "figure-not-a-number", file: file, line: 7, column: 30,
            alone: true)
        try expectFailure(
            capability("value: many, unit: \"%\""), code: "figure-not-a-number", file: file, line: 7, column: 30,
            alone: true)
        try expectFailure(
            capability("value: 5, unit: hours"), code: "invalid-value", file: file, line: 7, column: 39, alone: true)
        let fixture = try SiteFixture(overriding: capability("value: \"£1,113\", unit: \"£\"").mapValues { $0 })
        guard case .success = fixture.build() else {
            Issue.record("build failed")
            return
        }
        #expect(try fixture.read("capabilities/drones.html").contains("£1,113"))
    }

    // MARK: 2. YAML values

    @Test func aValueCutAtAnUnquotedCommaIsAnError() throws {
        let error = try expectFailure(
            [
                "Content/data/boards.yaml":
                    "- {id: alpha-board, name: Alpha Board, chair: Police, Fire and Crime Commissioner, paragraphs: [4]}\n"
            ],
            code: "yaml-split-value", file: "Content/data/boards.yaml", line: 1, column: 47, alone: true)
        #expect(error?.hint?.contains("\"Police, Fire and Crime Commissioner\"") == true)
        try expectFailure(
            ["Content/data/boards.yaml": "- {id: alpha-board, name: Alpha, Beta Board: x, paragraphs: [4]}\n"],
            code: "yaml-split-value", file: "Content/data/boards.yaml", line: 1, column: 27, alone: true)
        // The rest of the value reads as a key with a value of its own: no near miss of a known
        // key, so not a typo but a cut ("Alpha" would be published as the board's name).
        let cut = try expectFailure(
            ["Content/data/boards.yaml": "- {id: alpha-board, name: Alpha, Beta: Board, paragraphs: [4]}\n"],
            code: "yaml-split-value", file: "Content/data/boards.yaml", line: 1, column: 27, alone: true)
        #expect(cut?.hint?.contains("name: \"Alpha, Beta: Board\"") == true)
        try expectFailure(
            ["Content/data/boards.yaml": "- {id: alpha-board, name: Alpha,Beta: Board, paragraphs: [4]}\n"],
            code: "yaml-split-value", file: "Content/data/boards.yaml", line: 1, column: 27, alone: true)
    }

    /// A near miss of a known key after a value on the same line is a typo, not a cut: a warning.
    @Test func aMisspelledKeyInAFlowMappingIsStillOnlyAWarning() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/data/boards.yaml": "- {id: alpha-board, name: Alpha Board, chiar: The Chair, paragraphs: [4]}\n"
        ])
        let (_, diagnostics) = fixture.graph()
        let warning = diagnostics.first { $0.code == "unknown-key" }
        #expect(warning?.severity == .warning)
        #expect(warning?.hint == "did you mean 'chair'?")
        #expect(!diagnostics.hasErrors)
    }

    @Test func aKeyWithNoValueAfterAQuotedValueIsAnError() throws {
        try expectFailure(
            ["Content/data/boards.yaml": "- {id: alpha-board, name: \"Alpha\", Board, paragraphs: [4]}\n"],
            code: "yaml-split-value", file: "Content/data/boards.yaml", line: 1, column: 36, alone: true)
    }

    @Test func aQuotedValueWithACommaIsKept() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/data/boards.yaml":
                "- {id: alpha-board, name: Alpha Board, chair: \"Police, Fire and Crime Commissioner\", paragraphs: [4]}\n"
        ])
        let (graph, diagnostics) = fixture.graph()
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        #expect(graph?.registerEntries.first?.source.chair == "Police, Fire and Crime Commissioner")
    }

    /// Text fields keep the author's characters: no number, date or boolean typing on the way.
    @Test(arguments: [true, false])
    func textFieldsKeepTheSourceText(throughYams: Bool) throws {
        // A comment line sends the file to Yams instead of the plain reader.
        let site = """
            \(throughYams ? "# site\n" : "")title: 1.10
            organisation: yes
            language: en-GB
            report:
              board: 2024-03-31
              agenda_item: 07
              meeting_date: 2024-03-31
            """
        let fixture = try SiteFixture(overriding: ["Content/site.yaml": site])
        let (graph, _) = fixture.graph()
        #expect(graph?.config.title == "1.10")
        #expect(graph?.config.organisation == "yes")
        #expect(graph?.config.report.agendaItem == "07")
        #expect(graph?.config.report.board == "2024-03-31")
    }

    @Test func aHashWithoutASpaceAfterAValueIsNotQuietlyACommentAndTagsAreRefused() throws {
        try expectFailure(
            ["Content/data/boards.yaml": "- id: alpha-board\n  name: Priority #1 board\n  paragraphs: [4]\n"],
            code: "yaml-comment-cut", file: "Content/data/boards.yaml", line: 2, column: 9, alone: true)
        try expectFailure(
            ["Content/data/boards.yaml": "- id: alpha-board\n  name: !important Alpha\n  paragraphs: [4]\n"],
            code: "yaml-tag", file: "Content/data/boards.yaml", line: 2, column: 9, alone: true)
        // In site.yaml, the site still loads: that one error is all.
        try expectFailure(
            [
                "Content/site.yaml": SiteFixture.validFiles["Content/site.yaml"]!.replacingOccurrences(
                    of: "Test Constabulary", with: "Test #1 Constabulary")
            ],
            code: "yaml-comment-cut", file: "Content/site.yaml", line: 2, column: 15, alone: true)
        // In front matter too, where the plain reader leaves such lines to Yams.
        try expectFailure(
            ["Content/threats/beta.md": "---\ntitle: Beta #2 threat\norder: 2\nsummary: B.\n---\n\n4. Text.\n"],
            code: "yaml-comment-cut", file: "Content/threats/beta.md", line: 2, column: 8, alone: true)
        // A comment written as a comment is still one.
        let fixture = try SiteFixture(overriding: [
            "Content/data/boards.yaml": "- id: alpha-board\n  name: Alpha Board # the main one\n  paragraphs: [4]\n"
        ])
        #expect(!fixture.graph().1.hasErrors)
    }

    // MARK: 3. Cost bombs

    @Test func anAliasIsAnErrorAtTheAlias() throws {
        var bomb = "- &a0 {id: alpha-board, name: Alpha Board, paragraphs: [4]}\n"
        bomb += "- lol: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\n"
        for level in 2...9 {
            bomb +=
                "- lol\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ")
                + "]\n"
        }
        let start = Date()
        try expectFailure(
            ["Content/data/boards.yaml": bomb], code: "yaml-alias", file: "Content/data/boards.yaml", line: 2,
            column: 13)
        #expect(Date().timeIntervalSince(start) < 20)
        // An alias of a single value is one error: the entry still loads.
        try expectFailure(
            [
                "Content/data/boards.yaml":
                    "- id: alpha-board\n  name: &n Alpha Board\n  paragraphs: [4]\n- id: b\n  name: *n\n  paragraphs: [4]\n"
            ], code: "yaml-alias", file: "Content/data/boards.yaml", line: 5, column: 9, alone: true)
        // An anchor alone is refused too, at the anchor: content has no use for it.
        try expectFailure(
            ["Content/data/boards.yaml": "- id: alpha-board\n  name: &n Alpha Board\n  paragraphs: [4]\n"],
            code: "yaml-alias", file: "Content/data/boards.yaml", line: 2, column: 9, alone: true)
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep =
            "- id: alpha-board\n  name: Alpha\n  paragraphs: " + String(repeating: "[", count: 10_000)
            + String(repeating: "]", count: 10_000) + "\n"
        try expectFailure(
            ["Content/data/boards.yaml": deep], code: "yaml-too-deep", file: "Content/data/boards.yaml", line: 3,
            column: 115)
        let dashes = String(repeating: "- ", count: 10_000) + "x\n"
        try expectFailure(
            ["Content/data/boards.yaml": dashes], code: "yaml-too-deep", file: "Content/data/boards.yaml", line: 1,
            column: 401)
        let front = "---\ntitle: Beta\norder: 2\nsummary: " + String(repeating: "{a: ", count: 10_000) + "\n---\n"
        try expectFailure(
            ["Content/threats/beta.md": front], code: "yaml-too-deep", file: "Content/threats/beta.md", line: 4,
            column: 410)
    }

    @Test func hugeInputsAreRefusedCheaply() throws {
        let start = Date()
        let entry = "- id: alpha-board\n  name: Alpha Board\n  paragraphs: [4]\n"
        try expectFailure(
            ["Content/data/boards.yaml": String(repeating: entry, count: maximumYAMLBytes / entry.utf8.count + 1)],
            code: "yaml-too-large", file: "Content/data/boards.yaml", line: 1, column: 1)
        let row = "Drones,2,3,5\n"
        try expectFailure(
            table("Measure,North,South,Total\n" + String(repeating: row, count: maximumCSVBytes / row.utf8.count + 1)),
            code: "csv-too-large", file: Self.csv, line: 1, column: 1)
        #expect(Date().timeIntervalSince(start) < 30)
    }

    // MARK: 4. site.yaml

    @Test(arguments: [
        ("", 1, 1), ("\n\n", 1, 1), ("# nothing yet\n", 1, 1), ("~\n", 1, 1), ("- title: A\n", 1, 1),
        ("Test portal\n", 1, 1), ("# a list\n- a\n", 2, 1),
    ])
    func aSiteYAMLThatIsNotAMappingIsOneError(text: String, line: Int, column: Int) throws {
        let error = try expectFailure(
            ["Content/site.yaml": text], code: "site-config-invalid", file: "Content/site.yaml", line: line,
            column: column, alone: true)
        #expect(error?.message.contains("title:") == true)
    }

    // MARK: 5. CSV downloads

    @Test func downloadsNeutraliseFormulasAndKeepFigures() throws {
        let fixture = try SiteFixture(overriding: [
            Self.csv: """
            Measure,North,South,Total
            "=cmd|' /C calc'!A0",-5,10,5
            @SUM(A1),"1,113",-2,"1,111"
            "+44 ""x"", y",0,0,0
            -2+3,1,1,2
            """
        ])
        guard case .success = fixture.build() else {
            Issue.record("build failed")
            return
        }
        let download = try fixture.read("tables/drone-numbers.csv")
        #expect(
            download == """
                Measure,North,South,Total
                '=cmd|' /C calc'!A0,-5,10,5
                '@SUM(A1),"1,113",-2,"1,111"
                "'+44 ""x"", y",0,0,0
                '-2+3,1,1,2

                """)
    }
}

extension [Diagnostic] {
    /// Errors by code and place, to compare what check and build report.
    var errorsOnly: [String] {
        filter { $0.severity == .error }.map {
            "\($0.code) \($0.location.file):\($0.location.line):\($0.location.column) \($0.message)"
        }
    }
}
