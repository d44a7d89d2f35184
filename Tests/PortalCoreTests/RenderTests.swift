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

@Suite("Render")
struct RenderTests {
    func render(_ overrides: [String: String?] = [:]) throws -> [String: String] {
        let fixture = try SiteFixture(overriding: overrides)
        let (graph, diagnostics) = fixture.graph()
        let site = try #require(graph, "\(diagnostics)")
        let (files, problems) = renderSite(site)
        #expect(!problems.hasErrors)
        return Dictionary(uniqueKeysWithValues: files.map { ($0.path, String(decoding: $0.bytes, as: UTF8.self)) })
    }

    /// Each kind of page knows its folder without making its path, and it is the path's.
    @Test func everyPageKnowsTheFolderItsPathIsIn() throws {
        let (graph, diagnostics) = try SiteFixture().graph()
        let site = try #require(graph, "\(diagnostics)")
        let pages = allPages(site) + [.changes, .sectionChanges("alpha"), .editions, .report]
        for page in pages {
            let path = page.path
            #expect(page.folder == (path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""), "\(path)")
        }
    }

    @Test func paragraphsGetStableAnchorsAndLinksAreRelative() throws {
        let pages = try render()
        let alpha = try #require(pages["threats/alpha.html"])
        #expect(alpha.contains("<div class=\"para\" id=\"p1\">"))
        #expect(alpha.contains("href=\"../capabilities/drones.html\""))
        #expect(alpha.contains("href=\"#p2\""))  // para:2 on its own page stays a fragment
        #expect(alpha.contains("href=\"../threats/beta.html#p4\""))
        #expect(alpha.contains("<h2 id=\"later-questions\">"))
        #expect(!alpha.contains("href=\"/"))
        let home = try #require(pages["index.html"])
        #expect(home.contains("href=\"threats/alpha.html\""))
        #expect(home.contains("href=\"assets/site.css\""))
    }

    @Test func tableEmbedsAreAccessibleAndFormatted() throws {
        let alpha = try #require(try render()["threats/alpha.html"])
        #expect(alpha.contains("<caption id=\"table-drone-numbers-caption\">Drones and pilots by area"))
        #expect(alpha.contains("<th scope=\"col\" class=\"num\">North</th>"))
        #expect(alpha.contains("<th scope=\"row\">Pilots</th>"))
        #expect(alpha.contains("<td class=\"num\">5.5</td>"))
    }

    @Test func acronymsAreExpandedAtFirstUseOnly() throws {
        let pages = try render([
            "Content/threats/beta.md":
                "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. The ACC met the ACC and two ACCs, with [drones](capability:drones).\n"
        ])
        let beta = try #require(pages["threats/beta.html"])
        #expect(beta.components(separatedBy: "<abbr title=\"Assistant Chief Constable\">").count == 2)
    }

    @Test func rawHTMLIsDroppedUnlessAllowed() throws {
        let body =
            "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n4. Safe <script>alert(1)</script> text <b>bold</b> and [drones](capability:drones).\n\n<div class=\"x\">block</div>\n"
        let dropped = try #require(try render(["Content/threats/beta.md": body])["threats/beta.html"])
        #expect(!dropped.contains("<script>alert"))
        #expect(!dropped.contains("<b>bold</b>"))
        #expect(!dropped.contains("<div class=\"x\">"))
        var config = SiteFixture.validFiles["Content/site.yaml"]!
        config += "\nallow_raw_html: true\n"
        let allowed = try #require(
            try render(["Content/threats/beta.md": body, "Content/site.yaml": config])["threats/beta.html"])
        #expect(allowed.contains("<b>bold</b>"))
        #expect(!allowed.contains("<script>alert"))  // cmark's tagfilter still disarms script
    }

    @Test func dataValuesAreEscaped() throws {
        let pages = try render([
            "Content/data/boards.yaml":
                "- id: alpha-board\n  name: \"<script>alert('x')</script> & Co\"\n  chair: \"A \\\"quoted\\\" chair\"\n"
        ])
        let boards = try #require(pages["reference/boards.html"])
        #expect(boards.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"))
        #expect(!boards.contains("<script>alert"))
        #expect(boards.contains("A &quot;quoted&quot; chair"))
    }

    @Test func gfmExtensionsAndSmartPunctuationWork() throws {
        let pages = try render([
            "Content/capabilities/drones.md": """
            ---
            title: Drones
            summary: S.
            ---

            "Quoted" ~~struck~~ https://example.org

            | Area | Count |
            |:-----|------:|
            | North | 2 |

            - [x] done
            """
        ])
        let page = try #require(pages["capabilities/drones.html"])
        #expect(page.contains("“Quoted”"))
        #expect(page.contains("<del>struck</del>"))
        #expect(page.contains("<a href=\"https://example.org\">"))
        #expect(page.contains("<td class=\"num\">2</td>"))
        #expect(!page.contains(" align="))
        #expect(page.contains("type=\"checkbox\""))
    }

    @Test func capabilityPageListsBacklinks() throws {
        let page = try #require(try render()["capabilities/drones.html"])
        #expect(page.contains("href=\"../threats/alpha.html#p1\""))
        #expect(page.contains("href=\"../threats/beta.html#p4\""))
    }

    @Test func relativeURLsWorkFromAnyDepth() {
        #expect(relativeURL(from: "index.html", to: "threats/a.html") == "threats/a.html")
        #expect(relativeURL(from: "threats/a.html", to: "threats/b.html") == "b.html")
        #expect(relativeURL(from: "threats/a.html", to: "index.html") == "../index.html")
        #expect(relativeURL(from: "reference/glossary.html", to: "capabilities/x.html") == "../capabilities/x.html")
    }
}

extension RenderTests {
    @Test func fullReportCanBeTurnedOff() throws {
        var config = SiteFixture.validFiles["Content/site.yaml"]!
        config += "\nfull_report: false\n"
        let pages = try render(["Content/site.yaml": config])
        #expect(pages["report/index.html"] == nil)
        for (path, html) in pages where path.hasSuffix(".html") {
            #expect(!html.contains("report/index.html"), "\(path) links the full report")
        }
        #expect(try render()["report/index.html"] != nil)
    }
}

extension RenderTests {
    /// The byte-level excerpt must cut exactly where the character-level one does.
    @Test func asciiExcerptsMatchCharacterExcerpts() {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abc XYZ 123 .,;:!?'\"()[]{}-_/\\@#%&*$+<=>^`|~\t")
        for _ in 0..<2000 {
            let length = Int.random(in: 0..<60, using: &generator)
            let text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            let limit = Int.random(in: 1..<40, using: &generator)
            #expect(
                excerpt(text, limit: limit) == characterExcerpt(text, limit: limit), "\(text.debugDescription) \(limit)"
            )
        }
    }
}
