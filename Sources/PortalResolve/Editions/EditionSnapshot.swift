import Foundation
import PortalLoad
import PortalSupport

/// What a resolved graph states, as an edition: the terms "what changed" compares in. Values are
/// kept as the pages show them, so the comparison never reports a change a reader cannot see.
package func editionSnapshot(of graph: SiteGraph) -> EditionSnapshot {
    var snapshot = EditionSnapshot()
    snapshot.sections = graph.sections.map {
        EditionSnapshot.Section(slug: $0.slug, title: $0.title, path: $0.page.path)
    }
    snapshot.paragraphs = graph.sections.flatMap { section in
        section.paragraphs.map {
            EditionSnapshot.Paragraph(number: $0.number, section: section.slug, text: $0.text)
        }
    }.sorted { $0.number < $1.number }
    snapshot.figures = graph.sections.flatMap { section in
        section.source.keyFigures.map { figure in
            EditionSnapshot.Figure(
                section: section.slug, label: figure.label, value: figureText(figure), number: figureNumber(figure),
                paragraph: figure.paragraph.value)
        }
    }
    snapshot.cells = graph.tables.flatMap(tableCells)
    snapshot.commitments = graph.commitments.map { commitment in
        let source = commitment.source
        return EditionSnapshot.Commitment(
            id: source.id.value, what: source.what, section: commitment.section, paragraph: source.paragraph.value,
            due: source.due?.iso, dueText: source.dueText, status: source.status)
    }
    snapshot.citations = paragraphCitations(graph).map(\.key)
    return snapshot
}

/// A figure as text: "42", "13.3%", "£60,000", or the words the report used. Pages and edition
/// snapshots share it, so a compared value is exactly the one a section page shows.
package func figureText(_ figure: Figure) -> String {
    switch figure.value {
    case .number(let number): return withUnit(number.formatted, unit: figure.unit)
    case .text(let text): return text
    }
}

private func figureNumber(_ figure: Figure) -> Double? {
    if case .number(let number) = figure.value { return number.double }
    return nil
}

/// Every stated cell of a table, named by its row's first cell and its column's header; a number
/// only where the column is numeric, as the table page right-aligns it.
private func tableCells(_ table: DataTable) -> [EditionSnapshot.Cell] {
    let source = table.source
    var cells: [EditionSnapshot.Cell] = []
    for (rowIndex, row) in source.rows.enumerated() {
        guard let label = row.first?.value else { continue }
        for column in 1..<max(1, min(row.count, source.header.count)) {
            let reading = source.readings[rowIndex][column]
            let number = table.numericColumns[column] ? reading.number?.double : nil
            cells.append(
                EditionSnapshot.Cell(
                    table: table.id, caption: source.caption.value, row: label, column: source.header[column].value,
                    value: row[column].value.trimmingCharacters(in: .whitespaces), number: number))
        }
    }
    return cells
}

/// What changed in a graph since the edition before it, with the trends over every edition up to
/// it; nil when there is no edition before it (then nothing is computed).
package func editionChanges(of graph: SiteGraph) -> EditionChanges? {
    let editions = graph.editions
    guard let previous = editions.previous else { return nil }
    let snapshot = editionSnapshot(of: graph)
    var changes = compareEditions(old: previous.snapshot, new: snapshot)
    let earlier = editions.earlier
    changes.trends = editionTrends(
        earlier.map(\.snapshot) + [snapshot],
        labels: earlier.map { editionLabel($0.info) } + [editions.building.map(editionLabel) ?? currentEditionLabel])
    return changes
}

/// How an edition is named in a trend: its id (`2023-12`), short enough for a chart's axis.
package func editionLabel(_ info: EditionInfo) -> String { info.id }

/// The current content's name beside recorded editions' ids.
package let currentEditionLabel = "Current"
