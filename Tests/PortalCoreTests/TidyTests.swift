import Foundation
import Testing

@testable import PortalBuild
@testable import PortalLoad
@testable import PortalRender
@testable import PortalSupport
@testable import PortalTemplates

/// Checks that keep the code's names honest: byte constants, the search index's field names,
/// the template variable reference.
@Suite("Tidy")
struct TidyTests {
    @Test func asciiConstantsAreTheirCharacters() {
        let named: [(UInt8, Character)] = [
            (ASCII.tab, "\t"), (ASCII.newline, "\n"), (ASCII.carriageReturn, "\r"), (ASCII.space, " "),
            (ASCII.exclamationMark, "!"), (ASCII.quote, "\""), (ASCII.hash, "#"), (ASCII.dollar, "$"),
            (ASCII.percent, "%"), (ASCII.ampersand, "&"), (ASCII.apostrophe, "'"), (ASCII.openParenthesis, "("),
            (ASCII.asterisk, "*"), (ASCII.plus, "+"), (ASCII.comma, ","), (ASCII.hyphen, "-"), (ASCII.period, "."),
            (ASCII.slash, "/"), (ASCII.zero, "0"), (ASCII.nine, "9"), (ASCII.colon, ":"), (ASCII.semicolon, ";"),
            (ASCII.lessThan, "<"), (ASCII.greaterThan, ">"), (ASCII.questionMark, "?"), (ASCII.at, "@"),
            (ASCII.upperE, "E"), (ASCII.upperL, "L"), (ASCII.openBracket, "["), (ASCII.backslash, "\\"),
            (ASCII.closeBracket, "]"), (ASCII.underscore, "_"), (ASCII.lowerN, "n"), (ASCII.lowerO, "o"),
            (ASCII.lowerS, "s"), (ASCII.lowerT, "t"), (ASCII.openBrace, "{"), (ASCII.closeBrace, "}"),
            (ASCII.tilde, "~"),
        ]
        for (byte, character) in named { #expect(byte == character.asciiValue, "\(character)") }
        #expect(ASCII.digits == UInt8(ascii: "0")...UInt8(ascii: "9"))
        #expect(ASCII.uppercase == UInt8(ascii: "A")...UInt8(ascii: "Z"))
        #expect(ASCII.lowercase == UInt8(ascii: "a")...UInt8(ascii: "z"))
        #expect(Array("\u{FEFF}".utf8) == UTF8Byte.byteOrderMark)
        #expect(
            Array("\u{2028}\u{2029}".utf8) == [
                UTF8Byte.separatorLead, UTF8Byte.separatorMiddle, UTF8Byte.lineSeparatorLast,
                UTF8Byte.separatorLead, UTF8Byte.separatorMiddle, UTF8Byte.paragraphSeparatorLast,
            ])
        #expect(Array("é€".utf8).filter(isUTF8Continuation).count == 3)
        #expect(!isUTF8Continuation(ASCII.space) && !isUTF8Continuation(0xC3))
    }

    /// Byte literals in hex read only where they are the notation of their own table: UTF-8's
    /// structure, Unicode code points, bit masks. Everywhere else `ASCII`'s names read.
    @Test func noHexByteLiteralsOutsideTheirTables() throws {
        let allowed: [String: Int] = [
            "Bytes.swift": 99,  // the names themselves
            "SourceFile.swift": 9,  // the UTF-8 decoder, in RFC 3629's notation
            "YAML.swift": 4,  // Unicode code points of control characters
            "SearchIndex.swift": 1,  // a nibble mask for \u escapes
            "BodyParser.swift": 1,  // the placeholder mark, U+0001
            "FileStamp.swift": 1,  // a hash's field separator, U+001F
            "SHA256.swift": 1,  // the padding byte, in FIPS 180-4's notation
            "ByteCoding.swift": 2,  // LEB128's bit masks
        ]
        let hex = try Regex(#"\b0x[0-9A-Fa-f]{2}\b"#)
        var found: [String] = []
        let sources = repositoryRoot.appendingPathComponent("Sources")
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let url as URL in files where url.pathExtension == "swift" {
            let name = url.lastPathComponent
            if name == "BuiltInTheme.swift" || url.path.contains("/Incremental/") { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }
            let count = code.reduce(0) { $0 + $1.matches(of: hex).count }
            if count > allowed[name, default: 0] { found.append("\(name): \(count)") }
        }
        #expect(found.isEmpty, "hex byte literals: use ASCII's names (Support/Bytes.swift): \(found)")
    }

    /// `search.js` reads the index's positions through `SECTION`, `PARAGRAPH` and `ENTRY`; each
    /// must list the fields `SearchIndexFields` writes, in the same order.
    @Test func searchScriptNamesTheIndexFieldsAsSwiftWritesThem() throws {
        let script = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Themes/default/assets/search.js"), encoding: .utf8)
        let written = [
            "SECTION": SearchIndexFields.section, "PARAGRAPH": SearchIndexFields.paragraph,
            "ENTRY": SearchIndexFields.entry,
        ]
        for (name, fields) in written {
            let declaration = try #require(
                script.firstMatch(of: try Regex("var \(name) = \\{([^}]*)\\};")),
                "search.js no longer declares \(name)")
            let read = String(try #require(declaration.output[1].substring)).split(separator: ",").map {
                $0.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            }
            let expected = fields.enumerated().map { [$1, String($0)] }
            #expect(
                read == expected,
                "search.js's \(name) and Swift's SearchIndexFields disagree (Render/SearchIndex.swift): change both")
        }
    }

    /// A section named in data that does not exist is "unknown section", whatever the site calls
    /// its sections: `threats:` is only the key's name.
    @Test func anUnknownSectionIsCalledASection() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/data/boards.yaml": """
            - id: alpha-board
              name: Alpha Board
              threats: [alpah]
            """
        ])
        defer { fixture.cleanUp() }
        let problem = try #require(fixture.failingBuild().first { $0.code == "unknown-reference" })
        #expect(problem.message == "unknown section 'alpah'")
        #expect(problem.location.file == "Content/data/boards.yaml")
        #expect(problem.location.line == 3)
    }

    /// `Themes/README.md` is generated from the catalog; run with `PORTAL_WRITE_REFERENCE=1` to
    /// write it again after changing `Sources/PortalTemplates/TemplateVariables.swift`.
    @Test func templateReferenceIsUpToDate() throws {
        let file = repositoryRoot.appendingPathComponent("Themes/README.md")
        let generated = templateReference()
        if ProcessInfo.processInfo.environment["PORTAL_WRITE_REFERENCE"] == "1" {
            try generated.write(to: file, atomically: true, encoding: .utf8)
        }
        let written = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        #expect(
            written == generated,
            """
            Themes/README.md is not the reference generated from Sources/PortalTemplates/TemplateVariables.swift: \
            run PORTAL_WRITE_REFERENCE=1 swift test --filter templateReference
            """)
    }

    @Test func templateCatalogIsWellFormed() {
        let names = templateVariables.map(\.name)
        #expect(names == names.sorted(), "keep templateVariables in alphabetical order")
        #expect(Set(names).count == names.count, "a name is in templateVariables twice")
        for variable in templateVariables {
            #expect(!variable.holds.isEmpty && !variable.templates.isEmpty, "\(variable.name)")
            #expect(variable.templates.allSatisfy(pageTemplates.contains), "\(variable.name): \(variable.templates)")
        }
        #expect(sharedTemplateNames.isSubset(of: Set(names)))
        // The theme check accepts a page's own names and the shared ones, never others.
        #expect(pageTemplateNames["glossary"]?.contains("term") == true)
        #expect(pageTemplateNames["glossary"]?.contains("agenda_item") == true)
        #expect(pageTemplateNames["glossary"]?.contains("verified") == false)
        #expect(pageTemplateNames["layout"]?.contains("agenda_item") == false)
    }

    /// The debug check of every context: a name the catalog does not give the template, or a
    /// value of another kind, is reported.
    @Test func contextsAreCheckedAgainstTheCatalog() {
        let good: TemplateValue = .object([
            "count": .number(2), "count_text": .text("2 acronyms"),
            "letters": .list([.object(["letter": .text("A"), "entries": .list([.object(["expanded": .bool(true)])])])]),
        ])
        #expect(undeclaredNames(in: good, template: "glossary").isEmpty)
        let bad: TemplateValue = .object([
            "count": .text("2"), "letters": .list([.object(["titel": .text("A")])]), "verified": .number(1),
        ])
        #expect(undeclaredNames(in: bad, template: "glossary") == ["count (not number)", "titel", "verified"])
        #expect(undeclaredNames(in: bad, template: "not-a-page-template").isEmpty)
    }

    /// `what_html` is HTML wherever a page has it, as the reference says: on pages that mark no
    /// acronyms (commitments, sections) too, where it was the author's text unescaped.
    @Test func commitmentWhatHTMLIsEscapedWithoutAMarker() throws {
        let fixture = try SiteFixture(overriding: [
            "Content/data/commitments.yaml": """
            - id: fix
              what: "Fix <b>it</b> & more"
              paragraph: 1
            """
        ])
        defer { fixture.cleanUp() }
        let graph = try #require(fixture.graph().0)
        let context = commitmentContext(
            try #require(graph.commitments.first), linker: Linker(from: .commitments), graph: graph)
        guard case .text(let html) = context["what_html"] else {
            Issue.record("what_html is not text: \(String(describing: context["what_html"]))")
            return
        }
        #expect(html == "Fix &lt;b&gt;it&lt;/b&gt; &amp; more")
    }
}
