import PortalLoad
import PortalSupport

/// Renumbering is safe: where a paragraph number now holds entirely different text from the
/// previous edition's paragraph of that number, a citation of that number the previous edition
/// made too (from the same file or data entry) is warned about, with where the old words went.
/// Such a citation was most likely written against the old numbering and not updated, and
/// would otherwise point, silently, at other words. One updated to the new number, or written
/// new, is not.
func renumberingWarnings(_ graph: SiteGraph) -> [Diagnostic] {
    guard let changes = graph.changes, let previous = graph.editions.previous else { return [] }
    let before = Set(previous.snapshot.citations)
    var warnings: [Diagnostic] = []
    for citation in paragraphCitations(graph) where before.contains(citation.key) {
        guard let moved = changes.renumbering(of: citation.number) else { continue }
        let number = citation.number
        let whereNow = moved.previousTextNowAt.map { "that text is now paragraph \($0)" } ?? "that text was removed"
        let instead = moved.previousTextNowAt.map { "cite para:\($0) if you meant it, or " } ?? "cite "
        warnings.append(
            .warning(
                "paragraph-renumbered",
                "paragraph \(number) now says “\(excerpt(moved.currentText))”, not what paragraph \(number) of edition "
                    + "'\(previous.info.id)' said (“\(excerpt(moved.previousText))”): \(whereNow)",
                hint: "\(instead)edition:\(previous.info.id)/para:\(number) for the earlier paper's; "
                    + "if paragraph \(number) is what you mean, nothing needs to change",
                at: citation.location))
    }
    return warnings
}

/// One place the content cites a paragraph by its number.
struct ParagraphCitation {
    /// The citing file or data entry, a tab, the number (`table:drone-numbers` and 2).
    var key: String
    var number: Int
    var location: SourceLocation
}

/// Every place the content cites a paragraph by its number (a link to `para:N`, `threat:x#pN`
/// or `#pN`; a key figure's, commitment's, table's, register entry's or glossary term's
/// `paragraph`), in file order.
func paragraphCitations(_ graph: SiteGraph) -> [ParagraphCitation] {
    var found: [ParagraphCitation] = []
    func add(_ who: String, _ number: Int, _ location: SourceLocation) {
        found.append(ParagraphCitation(key: "\(who)\t\(number)", number: number, location: location))
    }
    func cited(_ target: LinkTarget?) -> Int? {
        switch target {
        case .page(.section, let fragment?)?, .fragment(let fragment)?:
            return fragment.hasPrefix("p") ? Int(fragment.dropFirst()) : nil
        default: return nil
        }
    }
    for section in graph.sections {
        for (link, target) in zip(section.source.body.links, section.links) {
            if let number = cited(target) { add(section.file, number, link.location) }
        }
        for figure in section.source.keyFigures {
            add("figure:\(section.slug):\(figure.label)", figure.paragraph.value, figure.paragraph.location)
        }
    }
    for capability in graph.capabilities {
        for (link, target) in zip(capability.source.body.links, capability.links) {
            if let number = cited(target) { add(capability.file, number, link.location) }
        }
    }
    for commitment in graph.commitments {
        add(
            "commitment:\(commitment.source.id.value)", commitment.source.paragraph.value,
            commitment.source.paragraph.location)
    }
    for table in graph.tables {
        for paragraph in table.source.paragraphs { add("table:\(table.id)", paragraph.value, paragraph.location) }
    }
    for entry in graph.registerEntries {
        for paragraph in entry.source.paragraphs { add(entry.anchor, paragraph.value, paragraph.location) }
    }
    for entry in graph.glossary {
        if let paragraph = entry.paragraph { add("glossary:\(entry.term)", paragraph.value, paragraph.location) }
    }
    return found.sorted { $0.location < $1.location }
}

/// The first words of a paragraph, for a message.
private func excerpt(_ text: String) -> String {
    let words = text.split(separator: " ")
    return words.count <= 12 ? text : words.prefix(12).joined(separator: " ") + " …"
}
