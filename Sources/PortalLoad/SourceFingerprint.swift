import PortalMarkdown
import PortalSupport

// What incremental builds compare between builds, taken while a source is loaded.

extension YAMLNode {
    /// The values, not where they were written, so moving a line does not count as a change.
    func combine(into hasher: inout StableHasher) {
        switch value {
        case .scalar(let text):
            hasher.combine(isPlainScalar ? "s" : "q")
            hasher.combine(text)
        case .sequence(let items):
            hasher.combine("[\(items.count)")
            for item in items { item.combine(into: &hasher) }
        case .mapping(let pairs):
            hasher.combine("{\(pairs.count)")
            for (key, value) in pairs {
                key.combine(into: &hasher)
                value.combine(into: &hasher)
            }
        }
    }
}

extension ParsedBody {
    /// What other pages depend on in a body: paragraph numbers, headings, links and where they
    /// sit. The text itself is not part of it: a text-only edit changes just the fragments of
    /// pages that show this body, which the fast path splices in.
    func combineInterface(into hasher: inout StableHasher) {
        hasher.combine(isEmpty ? "empty" : "body")
        for paragraph in paragraphs { hasher.combine(paragraph.number) }
        hasher.combine("headings")
        for heading in headings {
            hasher.combine(heading.level)
            hasher.combine(heading.text)
        }
        hasher.combine("links")
        for link in links {
            hasher.combine(link.url)
            hasher.combine(link.isImage ? "i" : "l")
            hasher.combine(link.hasText ? "t" : "-")
            hasher.combine(link.paragraph ?? -1)
        }
    }
}
