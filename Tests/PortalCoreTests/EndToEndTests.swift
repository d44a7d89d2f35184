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

/// Builds the real report in Content/ and checks what the portal promises about it.
@Suite("End to end: the real report")
struct EndToEndTests {
    @Test func realContentBuildsCompletely() throws {
        let output = scratchFolder("portal-e2e")
        let result = build(BuildOptions(root: repositoryRoot, output: output))
        guard case .success(let report) = result else {
            Issue.record("the real content must build: \(result)")
            return
        }
        #expect(report.paragraphs == 149)
        #expect(report.capabilities >= 20)
        #expect(report.warnings.isEmpty, "\(report.warnings)")

        func page(_ path: String) throws -> String {
            try String(contentsOf: output.appendingPathComponent(path), encoding: .utf8)
        }
        // Every paragraph anchor exactly once across the section pages.
        var anchors: [Int: Int] = [:]
        let sections = try FileManager.default.contentsOfDirectory(
            atPath: output.appendingPathComponent("threats").path)
        #expect(sections.count == 9)
        for file in sections {
            let html = try page("threats/\(file)")
            for number in 1...149 where html.contains("id=\"p\(number)\"") { anchors[number, default: 0] += 1 }
        }
        #expect((1...149).allSatisfy { anchors[$0] == 1 }, "\((1...149).filter { anchors[$0] != 1 })")

        // The paragraph 75 table with the report's figures, the stated total among them.
        let soc = try page("threats/serious-and-organised-crime.html")
        #expect(soc.contains("607.66"))
        #expect(soc.contains("<th scope=\"row\">Total Establishment</th>"))
        #expect(soc.contains("[note 1]"))

        // Every capability page has at least one backlink to a report paragraph.
        let capabilities = try FileManager.default.contentsOfDirectory(
            atPath: output.appendingPathComponent("capabilities").path
        ).filter { $0 != "index.html" }
        #expect(capabilities.count >= 20)
        for file in capabilities {
            let html = try page("capabilities/\(file)")
            #expect(
                html.range(of: #"href="\.\./threats/[a-z-]+\.html#p\d+""#, options: .regularExpression) != nil,
                "\(file)")
        }
        #expect(try page("reference/glossary.html").contains("Counter Terrorism Specialist Firearms Officer"))
        #expect(try page("index.html").contains("Engage"))

        // Acronyms: marked where board members start, and never spelled out twice in a row.
        let home = try page("index.html")
        #expect(home.components(separatedBy: "<abbr title=").count > 10)
        #expect(home.contains("<abbr title=\"Defence in Money Laundering Notifications\">DAML</abbr>"))
        for file in listFiles(under: output) where file.hasSuffix(".html") {
            #expect(
                (try page(file)).range(of: repeatedExpansion, options: .regularExpression) == nil,
                "\(file) spells out an acronym twice in a row")
        }
        #expect(
            try page("threats/terrorism.html").contains(
                "Counter Terrorism Operations Centre (<abbr title=\"Counter Terrorism Operations Centre\">CTOC</abbr>)")
        )
        #expect(try page("reference/glossary.html").contains("Used in paragraphs"))
        try? FileManager.default.removeItem(at: output)
    }
}

/// An acronym whose hidden expansion follows its own words: "Centre (CTOC (Counter … Centre))".
let repeatedExpansion =
    #"([A-Z][A-Za-z’' -]{3,}) \(<abbr title="\1">[^<]*</abbr><span class="abbr-expansion">"#
