import PortalMarkdown
import PortalTemplates

/// Marks acronyms in the data text of one page (home page cards, key figures, commitments),
/// each at its first use on the page. A class so the page's builders share one `seen` set; one is
/// made per page and never shared between threads.
final class AcronymMarker {
    let index: AbbreviationIndex
    private var seen: Set<String> = []

    init(_ index: AbbreviationIndex) { self.index = index }

    func html(_ text: String) -> TemplateValue {
        .html(Array(abbreviatedHTML(text, index: index, seen: &seen).utf8))
    }
}
