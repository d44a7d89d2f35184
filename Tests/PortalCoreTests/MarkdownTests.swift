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

@Suite("Markdown")
struct MarkdownTests {
    /// cmark-gfm keeps one process-wide table of the characters its extensions react to (`:` for
    /// autolinks, `~` for strikethrough); left to itself, every parse adds them on entry and removes
    /// them on exit, and parses on several threads at once miss links at random. The portal pins
    /// the table after the first parse; this checks that it did, and that parses at once agree.
    @Test func parsesOnManyThreadsAtOnceSeeEveryExtension() {
        let text = """
            Intro with a link https://example.org/a and ~~struck~~ text.

            | Force | Officers |
            | --- | ---: |
            | West Mercia | 42 |

            More at https://example.org/b, then ~~more~~.
            """
        let expected = html(of: text)
        #expect(expected.contains(#"<a href="https://example.org/a">"#))
        #expect(expected.contains("<del>struck</del>"))
        #if os(Linux)
            // ELF lets the executable's function take the library's place; elsewhere parses take turns.
            #expect(CMarkExtensions.parsesInParallel, "the table was not pinned: parses still take turns")
        #endif
        let results = parallelMap(Array(0..<4000)) { _ in html(of: text) }
        let differing = results.filter { $0 != expected }.count
        #expect(differing == 0, "\(differing) of \(results.count) parses lost an extension")
    }

    private func html(of text: String) -> String {
        let document = MarkdownDocument(text)
        return withExtendedLifetime(document) { document.root.renderHTML() }
    }
}
