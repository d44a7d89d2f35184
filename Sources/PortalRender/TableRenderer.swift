import PortalLoad
import PortalResolve
import PortalSupport

/// Draws a verified data table as accessible HTML: a caption, header cells with `scope`,
/// right-aligned figures in ONS style, and notes for figures that do not add up.
func renderDataTable(_ table: DataTable, base: String, headingLevel: Int? = nil, graph: SiteGraph) -> String {
    let source = table.source
    let captionID = "table-\(table.id)-caption"
    var notes: [(marker: String, text: String)] = []
    var noteFor: [TableCellKey: String] = [:]
    for key in table.discrepancies.keys.sorted(by: { ($0.row, $0.column) < ($1.row, $1.column) }) {
        let marker = "[note \(notes.count + 1)]"
        noteFor[key] = marker
        notes.append((marker, table.discrepancies[key]!.note))
    }
    let hasEmpty = source.readings.contains { row in row.contains(.blank) }

    var html = "<div class=\"data-table\" id=\"table-\(table.id)\">\n"
    if let chart = source.chart {
        html += chartFigureHTML(table, spec: chart, id: "table-\(table.id)-chart")
    }
    html += "<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"\(captionID)\" tabindex=\"0\">\n<table>\n"
    html += "<caption id=\"\(captionID)\">\(escapeHTML(source.caption.value))"
    html +=
        "<span class=\"table-source\"> Source: \(paragraphLinks(source.paragraphs.map(\.value), base: base, graph: graph))</span>"
    html += "</caption>\n<thead>\n<tr>"
    for (column, cell) in source.header.enumerated() {
        let numeric = column > 0 && table.numericColumns[column]
        html += "<th scope=\"col\"\(numeric ? " class=\"num\"" : "")>\(escapeHTML(cell.value))</th>"
    }
    html += "</tr>\n</thead>\n<tbody>\n"
    for (rowIndex, row) in source.rows.enumerated() {
        html += "<tr><th scope=\"row\">\(escapeHTML(row[0].value))</th>"
        for column in 1..<row.count {
            let text = row[column].value
            let numeric = table.numericColumns[column]
            let unit = source.units[source.header[column].value]?.value
            var content: String
            let reading = source.readings[rowIndex][column]
            if reading == .blank {
                content = "<span class=\"not-stated\">[x]</span>"
            } else if numeric, let number = reading.number {
                content = escapeHTML(withUnit(number.formatted, unit: unit))
            } else {
                content = escapeHTML(text)
            }
            var classes = numeric ? ["num"] : []
            if let marker = noteFor[TableCellKey(row: rowIndex, column: column)] {
                classes.append("flagged")
                content += " <a class=\"note-ref\" href=\"#table-\(table.id)-notes\">\(marker)</a>"
            }
            let classAttribute = classes.isEmpty ? "" : " class=\"\(classes.joined(separator: " "))\""
            html += "<td\(classAttribute)>\(content)</td>"
        }
        html += "</tr>\n"
    }
    html += "</tbody>\n</table>\n</div>\n"
    if !notes.isEmpty || hasEmpty || source.description != nil {
        html += "<div class=\"table-notes\" id=\"table-\(table.id)-notes\">\n"
        if let description = source.description { html += "<p>\(escapeHTML(description))</p>\n" }
        for note in notes { html += "<p>\(escapeHTML(note.marker)) \(escapeHTML(note.text))</p>\n" }
        if hasEmpty { html += "<p>[x] not stated in the report.</p>\n" }
        html += "</div>\n"
    }
    html += "</div>\n"
    return html
}

/// The table as a CSV download: its cells as written, quoted per RFC 4180 where they hold a comma,
/// a quote or a line break. A text cell a spreadsheet would run as a formula (OWASP: one that starts
/// with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`; figures stay figures.
func downloadCSV(_ source: TableSource) -> String {
    var text = ""
    func append(_ cell: String, isFigure: Bool) {
        var value = cell
        if !isFigure, let first = value.unicodeScalars.first(where: { $0 != " " }),
            ["=", "+", "-", "@", "\t", "\r"].contains(first)
        {
            value = "'" + value
        }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            value = "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        text += value
    }
    let rows =
        [(source.header, [CellReading](repeating: .text, count: source.header.count))]
        + Array(zip(source.rows, source.readings))
    for (cells, readings) in rows {
        for (index, cell) in cells.enumerated() {
            if index > 0 { text += "," }
            append(cell.value, isFigure: readings[index].number != nil)
        }
        text += "\n"
    }
    return text
}

/// "paragraph 75" or "paragraphs 59 and 75", each linked to its anchor.
func paragraphLinks(_ numbers: [Int], base: String, graph: SiteGraph) -> String {
    let links = numbers.map { number -> String in
        guard let slug = graph.paragraphIndex[number], let page = graph.sectionPage(slug) else { return String(number) }
        return "<a href=\"\(base)\(page.path)#p\(number)\">\(number)</a>"
    }
    let noun = numbers.count == 1 ? "paragraph" : "paragraphs"
    return "\(noun) \(joinedList(links))"
}

/// "a", "a and b", "a, b and c".
func joinedList(_ items: [String]) -> String {
    switch items.count {
    case 0: return ""
    case 1: return items[0]
    default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
    }
}
