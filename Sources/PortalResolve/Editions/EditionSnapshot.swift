import PortalLoad
import PortalSupport

/// What a graph states, as editions are compared (temporary: paragraphs and sections only).
package func editionSnapshot(of graph: SiteGraph) -> EditionSnapshot {
    var snapshot = EditionSnapshot()
    snapshot.sections = graph.sections.map { .init(slug: $0.slug, title: $0.title, path: $0.page.path) }
    snapshot.paragraphs = graph.sections.flatMap { section in
        section.paragraphs.map { .init(number: $0.number, section: section.slug, text: $0.text) }
    }.sorted { $0.number < $1.number }
    return snapshot
}
