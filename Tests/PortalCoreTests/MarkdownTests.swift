import Foundation
import Testing

@testable import PortalCore

@Suite("Markdown")
struct MarkdownTests {
    /// cmark-gfm keeps one process-wide table of the characters its extensions react to (`:` for
    /// autolinks, `~` for strikethrough); every parse adds them on entry and removes them on exit.
    /// Parses on several threads at once would then miss links at random, so the output of a
    /// build would depend on timing.
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
        let results = parallelMap(Array(0..<4000)) { _ in html(of: text) }
        let differing = results.filter { $0 != expected }.count
        #expect(differing == 0, "\(differing) of \(results.count) parses lost an extension")
    }

    private func html(of text: String) -> String {
        let document = MarkdownDocument(text)
        return withExtendedLifetime(document) { document.root.renderHTML() }
    }
}
