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

/// Issue 10, "nothing wrong reaches the intranet", for report text: paragraph numbers and
/// bullets that Markdown would not read as such, author text that looks like the portal's own
/// placeholders, errors that follow from one cause, and bodies built to cost a lot.
@Suite("Text trust")
struct TextTrustTests {
    /// The fixture's beta section with another body; the body's first line is line 7.
    static func beta(_ body: String) -> String { "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n" + body }

    struct Lookalike: Sendable, CustomStringConvertible {
        var body: String
        var code: String
        var line: Int
        var column: Int
        var message: String
        var description: String { code + ": " + message }
    }

    static let lookalikes: [Lookalike] = [
        .init(
            body: "4.\u{A0}Text.\n", code: "paragraph-number-invalid", line: 7, column: 3,
            message: "U+00A0 NO-BREAK SPACE after '4.'"),
        .init(
            body: "-4. Text.\n", code: "paragraph-number-invalid", line: 7, column: 1,
            message: "'-4.' is not a paragraph number"),
        .init(
            body: "4e0. Text.\n", code: "paragraph-number-invalid", line: 7, column: 2,
            message: "'4e0.' is not a paragraph number ('e' is not a digit)"),
        .init(
            body: "12345678901234567890. Text.\n", code: "paragraph-number-invalid", line: 7, column: 1,
            message: "has 20 digits"),
        .init(
            body: String(repeating: "4", count: 60) + ". Text.\n", code: "paragraph-number-invalid", line: 7,
            column: 1, message: "has 60 digits"),
        .init(
            body: "\u{664}. Text.\n", code: "paragraph-number-invalid", line: 7, column: 1,
            message: "U+0664 ARABIC-INDIC DIGIT FOUR"),
        .init(
            body: "\u{FF14}. Text.\n", code: "paragraph-number-invalid", line: 7, column: 1,
            message: "U+FF14 FULLWIDTH DIGIT FOUR"),
        .init(
            body: "4\u{FF0E} Text.\n", code: "paragraph-number-invalid", line: 7, column: 2,
            message: "U+FF0E FULLWIDTH FULL STOP"),
        .init(
            body: "4.\u{200B}Text.\n", code: "paragraph-number-invalid", line: 7, column: 3,
            message: "U+200B ZERO WIDTH SPACE after '4.'"),
        .init(
            body: "\u{FEFF}4. Text.\n", code: "paragraph-number-invalid", line: 7, column: 1,
            message: "U+FEFF ZERO WIDTH NO-BREAK SPACE before '4.'"),
        .init(body: "0. Text.\n", code: "paragraph-number-invalid", line: 7, column: 1, message: "paragraph number 0"),
        .init(body: "4.\n", code: "paragraph-empty", line: 7, column: 1, message: "paragraph 4 has no text"),
        .init(
            body: "    4. Text.\n", code: "paragraph-indented", line: 7, column: 5,
            message: "'4.' is indented 4 or more spaces, so it is shown as code, not as paragraph 4"),
        .init(
            body: "4. Text.\n\n     5. Next.\n", code: "paragraph-indented", line: 9, column: 6,
            message: "paragraph 5 is indented under paragraph 4"),
        .init(
            body: "> 4. Quoted.\n\n5. Next.\n", code: "paragraph-indented", line: 7, column: 3,
            message: "paragraph 4 is inside a quote"),
        .init(
            body: "- 4. In a bullet.\n\n5. Next.\n", code: "paragraph-indented", line: 7, column: 3,
            message: "paragraph 4 is inside a bullet or quote"),
        .init(
            body: "Introduction.\n4. Text.\n\n5. Next.\n", code: "paragraph-run-on", line: 8, column: 1,
            message: "'4.' opens a line, but it runs on from the line above"),
        .init(
            body: "<div>\nBox\n</div>\n4. Text.\n\n5. Next.\n", code: "paragraph-run-on", line: 10, column: 1,
            message: "'4.' runs on from the HTML above"),
        .init(
            body: "4. Text,\n    5. next.\n", code: "paragraph-run-on", line: 8, column: 5,
            message: "it runs on from the line above"),
        .init(
            body: "4. Text.\n\n\u{2022}\tOne\n\u{2022}\tTwo\n\u{2022}\tThree\n", code: "bullet-invalid", line: 9,
            column: 1, message: "U+2022 BULLET is not a Markdown bullet; 3 lines start with it"),
        .init(
            body: "4. Text.\n\n\u{B7} One\n", code: "bullet-invalid", line: 9, column: 1,
            message: "U+00B7 MIDDLE DOT is not a Markdown bullet"),
        .init(
            body: "4. Text.\n\n\u{25AA} One\n", code: "bullet-invalid", line: 9, column: 1,
            message: "U+25AA BLACK SMALL SQUARE"),
        .init(
            body: "4. Text.\n\no\tOne\n", code: "bullet-invalid", line: 9, column: 1,
            message: "'o' and a tab (a Word second-level bullet)"),
        .init(
            body: "4. Text:\n\n   - one\n   -\u{A0}two\n", code: "bullet-invalid", line: 10, column: 5,
            message: "U+00A0 NO-BREAK SPACE after '-'"),
    ]

    /// Each look-alike is one error, at its line and column, naming what is wrong; the build fails
    /// and the previous output stays as it was. The gap it leaves is not warned about again.
    @Test(arguments: lookalikes)
    func lookalikeParagraphNumbersAndBullets(_ example: Lookalike) throws {
        var all: [Diagnostic] = []
        let error = try BadInputTests().expectFailure(
            { fixture in
                try fixture.write(Self.beta(example.body), to: "Content/threats/beta.md")
                all = fixture.failingBuild()
            }, code: example.code, file: "Content/threats/beta.md", line: example.line, column: example.column)
        #expect(error?.message.contains(example.message) == true, "\(error?.message ?? "no error")")
        #expect(all.errors.count == 1, "\(all)")
        #expect(!all.contains { $0.code == "paragraph-sequence" }, "\(all)")
    }

    /// `12)` is a paragraph number as CommonMark reads it, and gets its anchor.
    @Test func parenthesisNumbersAreParagraphs() throws {
        let fixture = try SiteFixture(overriding: ["Content/threats/beta.md": Self.beta("4) Beta text.\n")])
        guard case .success(let report) = fixture.build() else {
            Issue.record("'4)' must build")
            return
        }
        #expect(report.warnings.isEmpty)
        #expect(try fixture.read("threats/beta.html").contains("id=\"p4\""))
    }

    /// Only warnings where the text may mean what it says: a wrapped line opening with a year, a
    /// line opening with a dash, a number out of order.
    @Test func ambiguousLookalikesWarn() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md": Self.beta(
                "4. Text.\n\nAgreed in\n2023. It runs on.\n\n\u{2013} an aside.\n\n6. Later.\n")
        ])
        guard case .success(let report) = fixture.build() else {
            Issue.record("warnings only: the build must succeed")
            return
        }
        let found = report.warnings.map { "\($0.code) \($0.location.line):\($0.location.column)" }.sorted()
        #expect(found == ["bullet-ambiguous 12:1", "paragraph-run-on 10:1", "paragraph-sequence 14:1"])
    }

    /// Raw HTML the site does not allow is left out, with a warning saying so.
    @Test func removedRawHTMLWarns() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/threats/beta.md": Self.beta("4. Text <b>bold</b>.\n\n<div>\nBox\n</div>\n")
        ])
        guard case .success(let report) = fixture.build() else {
            Issue.record("warnings only: the build must succeed")
            return
        }
        #expect(report.warnings.map(\.code) == ["raw-html-removed"])
        #expect(report.warnings.first?.location == SourceLocation(file: "Content/threats/beta.md", line: 7, column: 9))
        #expect(report.warnings.first?.message.contains("3 places") == true)
        #expect(try !fixture.read("threats/beta.html").contains("<b>"))
    }

    /// Portal-made HTML holds no U+0001 from the glossary, so a glossary entry cannot forge a link.
    @Test func glossaryTextCannotHoldAPlaceholder() {
        #expect(!abbreviationHTML(word: "ACC", expansion: "A\u{1}L0").utf8.contains(placeholderMark))
    }

    /// Numbering runs on across sections in report order; a gap at a section's start warns there.
    @Test func numberingRunsOnAcrossSections() throws {
        let gamma = "---\ntitle: Gamma\norder: 3\nsummary: G.\n---\n\n7. Text.\n"
        let fixture = try SiteFixture(overriding: ["Content/threats/gamma.md": gamma])
        guard case .success(let report) = fixture.build() else {
            Issue.record("warnings only: the build must succeed")
            return
        }
        let warning = report.warnings.first
        #expect(report.warnings.count == 1)
        #expect(warning?.code == "paragraph-sequence")
        #expect(warning?.location == SourceLocation(file: "Content/threats/gamma.md", line: 7, column: 1))
        #expect(warning?.hint?.contains("Content/threats/beta.md") == true)
    }

    /// Author text shaped like the old placeholders stays text, in every place it can be written.
    @Test func authorTextIsNeverAPlaceholder() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/site.yaml": (SiteFixture.validFiles["Content/site.yaml"]! + "\nallow_raw_html: true\n"),
            "Content/threats/beta.md": Self.beta(
                """
                4. [Drones](capability:drones) then portal-link:0, `portal-link:0`, \
                [out](https://example.org/portal-link:0), \
                ![portal-link:0 and <!--portal-embed:0-->](table:drone-numbers) and \
                <a href="portal-link:0">raw</a>.

                <!--portal-embed:0-->

                """),
        ])
        guard case .success = fixture.build() else {
            Issue.record("the site must build")
            return
        }
        let page = try fixture.read("threats/beta.html")
        #expect(page.contains(#"<a href="../capabilities/drones.html">Drones</a> then portal-link:0, "#))
        #expect(page.contains("<code>portal-link:0</code>"))
        #expect(page.contains(#"<a href="https://example.org/portal-link:0">out</a>"#))
        #expect(page.contains(#"<a href="../tables/drone-numbers.html">portal-link:0 and</a>"#))
        #expect(page.contains(#"<a href="portal-link:0">raw</a>"#))
        #expect(page.contains("<!--portal-embed:0-->\n"))
        #expect(!page.utf8.contains(placeholderMark))
    }

    /// An image replaced by the portal frees the links in its description: those are placed first.
    @Test func linksInsideImageDescriptions() {
        let text = "![see [drones](capability:drones)](table:drone-numbers) and ![a [b](para:1)](capability:drones)\n"
        let body = parseBody(text, file: "t.md", firstLine: 1, numbered: false, environment: Self.environment)
        #expect(body.links.count == 4)
        var output: [UInt8] = []
        for case .other(let html) in body.blocks { fillPlaceholders(html, { "#l\($0)" }, { _ in "" }, into: &output) }
        let html = String(decoding: output, as: UTF8.self)
        #expect(html.contains(##"<a href="#l0">see drones</a>"##))
        #expect(html.contains(##"<img src="#l2" alt="a b" />"##))
    }

    /// A destination written like a placeholder is just an unknown scheme.
    @Test func placeholderAsDestinationIsAnUnknownScheme() throws {
        _ = try BadInputTests().expectFailure(
            { try $0.write(Self.beta("4. See [x](portal-link:0).\n"), to: "Content/threats/beta.md") },
            code: "unknown-scheme", file: "Content/threats/beta.md", line: 7, column: 8)
    }

    /// U+0001 opens the portal's placeholders: in the source, or made by a character reference.
    @Test(arguments: [("4. Text \u{1}L0 here.\n", 9), ("4. Text &#1;L0 here.\n", 4)])
    func placeholderMarkInTheSourceIsAnError(_ body: String, column: Int) throws {
        let error = try BadInputTests().expectFailure(
            { try $0.write(Self.beta(body), to: "Content/threats/beta.md") },
            code: "control-character", file: "Content/threats/beta.md", line: 7, column: column)
        #expect(error?.message.contains("U+0001") == true)
    }

    /// The real report, less one front matter line, gives exactly one error: the cause.
    @Test(arguments: [
        ("Content/threats/terrorism.md", "order: 3\n", "order: [3\n", "yaml-invalid", 4, 5),
        ("Content/threats/terrorism.md", "\n---\n\n29.", "\n--\n\n29.", "front-matter-unclosed", 1, 1),
        ("Content/threats/terrorism.md", "title: \"Terrorism\"\n", "", "missing-field", 2, 1),
        ("Content/capabilities/armed-policing.md", "title: ", "title: [", "yaml-invalid", 3, 1),
        ("Content/data/boards.yaml", "- id: spcb\n", "- id: [spcb\n", "yaml-invalid", 4, 7),
        ("Content/data/operations.yaml", "- id: soteria\n", "- id: [soteria\n", "yaml-invalid", 3, 7),
        ("Content/data/glossary.yaml", "\n- ", "\n- [", "yaml-invalid", 0, 0),
    ])
    func oneBrokenFileInTheRealReportIsOneError(
        file: String, replacing: String, with: String, code: String, line: Int, column: Int
    ) throws {
        let fixture = try realReport()
        let url = fixture.root.appendingPathComponent(file)
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(replacing))
        try fixture.write(text.replacingOccurrences(of: replacing, with: with), to: file)
        let diagnostics = fixture.failingBuild()
        #expect(diagnostics.count == 1, "\(diagnostics.prefix(5))")
        let error = diagnostics.first
        #expect(error?.location.file == file)
        if line > 0 {
            #expect(error?.location.line == line)
            #expect(error?.location.column == column)
        }
        #expect(error?.code == code)
    }

    /// The real report builds cleanly: no new warnings from the look-alike checks.
    @Test func realReportHasNoWarnings() throws {
        let fixture = try realReport()
        guard case .success(let report) = fixture.build() else {
            Issue.record("the real report must build")
            return
        }
        #expect(report.warnings.isEmpty, "\(report.warnings)")
    }

    private func realReport() throws -> SiteFixture {
        let fixture = try SiteFixture(
            overriding: Dictionary(uniqueKeysWithValues: SiteFixture.validFiles.keys.map { ($0, String?.none) }))
        try FileManager.default.copyItem(
            at: repositoryRoot.appendingPathComponent("Content"), to: fixture.root.appendingPathComponent("Content"))
        return fixture
    }

    /// Like a compiler: the first errors, then how many more.
    @Test func printedDiagnosticsAreCapped() {
        let diagnostics =
            (1...30).map {
                Diagnostic.error("unknown-reference", "number \($0)", at: SourceLocation(file: "a.md", line: $0))
            } + [Diagnostic.warning("acronym-missing", "late", at: SourceLocation(file: "b.md"))]
        let capped = diagnosticLines(diagnostics, maxErrors: 20)
        #expect(capped.count == 21)
        #expect(capped[19] == "a.md:20:1: error: number 20")
        #expect(capped[20] == "... and 10 more errors and 1 more warning (--max-errors 0 shows them all)")
        #expect(diagnosticLines(diagnostics, maxErrors: 0).count == 31)
        #expect(diagnosticLines(Array(diagnostics.prefix(20)), maxErrors: 20).count == 20)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: CommandLineTests.binary.path)))
    func maxErrorsOption() throws {
        let links = (1...25).map { "[x](capability:nope\($0))" }.joined(separator: " ")
        let fixture = try SiteFixture(overriding: ["Content/threats/beta.md": Self.beta("4. \(links).\n")])
        let runner = CommandLineTests()
        let capped = try runner.run(["build", "--root", fixture.root.path])
        #expect(capped.status == 1)
        #expect(capped.stderr.contains("... and 5 more errors (--max-errors 0 shows them all)"))
        #expect(capped.stderr.contains("build failed: 25 errors"))
        let all = try runner.run(["check", "--root", fixture.root.path, "--max-errors", "0"])
        #expect(all.stderr.split(separator: "\n").count == 25)
        let json = try runner.run(["check", "--root", fixture.root.path, "--format", "json", "--max-errors", "3"])
        #expect(json.stdout.components(separatedBy: "\"code\"").count == 26)
    }

    private static let environment = BodyEnvironment(
        allowRawHTML: false, abbreviations: AbbreviationIndex([]), knownAcronyms: [], names: [])

    /// Links on one line cost their number, not its square: each column is counted on from the
    /// last (this took minutes at 20,000 links). Checked by size of work, not time.
    @Test func twoHundredThousandLinksOnOneLine() {
        let count = 200_000
        let text = "1. " + String(repeating: "[x](para:1) ", count: count) + "\n"
        let body = parseBody(text, file: "t.md", firstLine: 1, numbered: true, environment: Self.environment)
        #expect(body.links.count == count)
        #expect(body.links.last?.location.column == 4 + 12 * (count - 1))
        var output: [UInt8] = []
        for block in body.blocks {
            if case .paragraph(_, let html) = block {
                fillPlaceholders(html, { _ in "#" }, { _ in "" }, into: &output)
            }
        }
        // A list of one item is tight: its text is not wrapped in <p>.
        #expect(output.count == count * "<a href=\"#\">x</a> ".utf8.count - 1)
    }

    /// Many paragraphs, a megabyte on one line, and ten thousand levels of nesting: walked
    /// without recursion, so nothing overflows the stack.
    @Test func largeAndDeepBodies() {
        let paragraphs = (1...100_000).map { "\($0). Text.\n\n" }.joined()
        #expect(
            parseBody(paragraphs, file: "t.md", firstLine: 1, numbered: true, environment: Self.environment)
                .paragraphs.count == 100_000)
        let line = "1. " + String(repeating: "word ", count: 200_000) + "\n"
        let long = parseBody(line, file: "t.md", firstLine: 1, numbered: true, environment: Self.environment)
        #expect(long.paragraphs.first?.text.utf8.count == 200_000 * 5 - 1)
        for deep in [String(repeating: "> ", count: 10_000), String(repeating: "- ", count: 10_000)] {
            let body = parseBody(
                deep + "x\n", file: "t.md", firstLine: 1, numbered: true, environment: Self.environment)
            #expect(body.diagnostics.isEmpty)
            #expect(body.blocks.count == 1)
        }
    }
}
