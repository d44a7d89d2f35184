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

/// Classes the seeded fuzzer (`make fuzz`) found after the first round of fixes, each pinned by
/// the smallest input that showed it.
@Suite("Fuzz findings")
struct FuzzFindingsTests {
    /// Trial 1059: a no-break space before `147.` left the paragraph unnumbered with only a
    /// numbering warning two lines down.
    @Test func aNoBreakSpaceBeforeAParagraphNumberIsAnErrorAtIt() throws {
        let error = try FileTrustTests().expectOneError(
            {
                try $0.write(
                    "---\ntitle: Beta\norder: 2\nsummary: B.\n---\n\n\u{A0}4. Text.\n", to: "Content/threats/beta.md")
            },
            code: "paragraph-number-invalid", file: "Content/threats/beta.md", line: 7, column: 1)
        #expect(error?.message == "U+00A0 NO-BREAK SPACE before '4.'")
    }

    /// Trial 1221: an empty layout built every page empty with a warning only; a section
    /// template without its body dropped every paragraph anchor.
    @Test func aPageTemplateThatDropsWhatItMustShowIsAnError() throws {
        for (template, name) in [("layout", "content"), ("section", "body"), ("table", "table_html")] {
            let error = try FileTrustTests().expectOneError(
                { try $0.write("<p>{{title}}</p>\n", to: "Themes/default/templates/\(template).mustache") },
                code: "template-incomplete", file: "Themes/default/templates/\(template).mustache")
            #expect(error?.message.contains("never shows '\(name)'") == true)
        }
    }
}
