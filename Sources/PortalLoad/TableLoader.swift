import Foundation
import PortalSupport

/// Reads `Content/data/tables/<id>.csv` with its sidecar `<id>.yaml`.
/// `files` are the names in the tables folder that the walk of `Content/` allows to be read;
/// `refused` the paths it reported, which are not reported again as missing.
func loadTables(root: URL, files: [String], refused: Set<String>, diagnostics: inout [Diagnostic]) -> [TableSource] {
    let folder = SitePath.tables
    let present = Set(files)
    var wanted: [(id: String, csvPath: String, sidecarPath: String)] = []
    for file in files where file.hasSuffix(".csv") {
        let id = String(file.dropLast(4))
        let csvPath = "\(folder)/\(file)"
        let sidecarPath = "\(folder)/\(id).yaml"
        guard isValidSlug(id) else {
            diagnostics.append(
                .error(
                    "invalid-slug", "table file name '\(id)' is not a valid id",
                    hint: "rename it using lower-case letters, digits and hyphens only",
                    at: SourceLocation(file: csvPath)))
            continue
        }
        guard present.contains("\(id).yaml") else {
            if refused.contains(sidecarPath) { continue }
            diagnostics.append(
                .error(
                    "table-sidecar-missing", "table '\(id)' has no sidecar \(id).yaml",
                    hint: "create \(sidecarPath) with at least 'caption' and 'paragraphs'",
                    at: SourceLocation(file: csvPath)))
            continue
        }
        wanted.append((id, csvPath, sidecarPath))
    }
    // Each table is read on its own, on every core; its problems are kept in file order.
    let loaded = parallelMap(wanted) { table -> (TableSource?, [Diagnostic]) in
        var problems: [Diagnostic] = []
        let source = loadTable(
            root: root, id: table.id, csvPath: table.csvPath, sidecarPath: table.sidecarPath, diagnostics: &problems)
        return (source, problems)
    }
    var tables: [TableSource] = []
    for (source, problems) in loaded {
        diagnostics += problems
        if let source { tables.append(source) }
    }
    for file in files where file.hasSuffix(".yaml") {
        let id = String(file.dropLast(5))
        if !present.contains("\(id).csv") && !refused.contains("\(folder)/\(id).csv") {
            diagnostics.append(
                .error(
                    "table-csv-missing", "sidecar \(file) has no table \(id).csv beside it",
                    hint: "add the CSV or remove the sidecar", at: SourceLocation(file: "\(folder)/\(file)")))
        }
    }
    return tables
}

private func loadTable(root: URL, id: String, csvPath: String, sidecarPath: String, diagnostics: inout [Diagnostic])
    -> TableSource?
{
    guard let csv = readTableCSV(root: root, id: id, path: csvPath, diagnostics: &diagnostics),
        let node = readSidecar(root: root, path: sidecarPath, diagnostics: &diagnostics)
    else { return nil }
    let (header, rows) = (csv.header, csv.rows)
    var reader = FieldReader(node, what: "table sidecar", at: SourceLocation(file: sidecarPath))
    let caption = reader.string("caption", required: true)
    let description = reader.string("description")
    let paragraphs = reader.intList("paragraphs")
    if paragraphs.isEmpty && !reader.has("paragraphs") {
        reader.diagnostics.append(
            .error(
                "missing-field", "table sidecar is missing the required field 'paragraphs'",
                hint: "list the report paragraphs the figures come from, e.g. 'paragraphs: [12]'",
                at: SourceLocation(file: sidecarPath)))
    }
    let units = readUnits(&reader)
    let totals = reader.list("totals", what: "total check") { readTotalCheck(&$0) }
    let discrepancies = reader.list("discrepancies", what: "discrepancy") { readDiscrepancy(&$0) }
    // A name problem fails the build but keeps the table, so its embeds are not unknown too.
    checkNames(header: header, rows: rows, diagnostics: &diagnostics)
    let readings = csv.ok ? readCells(header: header, rows: rows, units: units, diagnostics: &diagnostics) : []
    let chart = reader.node("chart").flatMap { node in
        readChartSpec(node, header: header, rows: rows, readings: readings, diagnostics: &reader.diagnostics)
    }
    reader.finish(allowed: TableSource.allowedKeys)
    diagnostics += reader.diagnostics
    guard csv.ok, let caption else { return nil }
    return TableSource(
        id: id, csvFile: csvPath, sidecarFile: sidecarPath, caption: caption, description: description?.value,
        paragraphs: paragraphs, units: units, header: header, rows: rows, readings: readings, totals: totals,
        discrepancies: discrepancies, csvText: csv.text, chart: chart)
}

/// A table's CSV: its text, header and rows; `ok` is false when a row has another number of cells
/// than the header (reported; the sidecar is still read for its own problems). Nil when it
/// cannot be read or has no header of two columns.
private func readTableCSV(root: URL, id: String, path: String, diagnostics: inout [Diagnostic])
    -> (text: String, header: [Located<String>], rows: [[Located<String>]], ok: Bool)?
{
    let source: SourceFile
    switch SourceFile.read(fullPath: root.path + "/" + path, path: path) {
    case .failure(let diagnostic):
        diagnostics.append(diagnostic)
        return nil
    case .success(let file): source = file
    }
    let csv: CSVTable
    switch parseCSV(source.text, file: path) {
    case .failure(let diagnostic):
        diagnostics.append(diagnostic)
        return nil
    case .success(let table): csv = table
    }
    guard let header = csv.rows.first, header.count >= 2 else {
        diagnostics.append(
            .error(
                "csv-empty", "table '\(id)' needs a header row and at least two columns",
                hint: "the first row names the columns; the first column labels the rows",
                at: SourceLocation(file: path)))
        return nil
    }
    var ok = true
    let rows = Array(csv.rows.dropFirst())
    for row in rows where row.count != header.count {
        ok = false
        diagnostics.append(
            .error(
                "csv-ragged", "row has \(row.count) cells but the header has \(header.count)",
                hint: row.count < header.count
                    ? "add the missing cells (leave a cell empty if there is no figure)"
                    : "remove the extra cells or quote a cell that contains a comma",
                at: row[0].location))
    }
    return (source.text, header, rows, ok)
}

/// The sidecar's YAML (its node, which may be nil for an empty file); nil when it cannot be read
/// or parsed.
private func readSidecar(root: URL, path: String, diagnostics: inout [Diagnostic]) -> YAMLNode?? {
    let source: SourceFile
    switch SourceFile.read(fullPath: root.path + "/" + path, path: path) {
    case .failure(let diagnostic):
        diagnostics.append(diagnostic)
        return nil
    case .success(let file): source = file
    }
    switch parseYAML(source.text, file: path, valueProblems: &diagnostics) {
    case .failure(let diagnostic):
        diagnostics.append(diagnostic)
        return nil
    case .success(let value): return .some(value)
    }
}

/// `units:`, column name to "%" or "£".
private func readUnits(_ reader: inout FieldReader) -> [String: Located<String>] {
    var units: [String: Located<String>] = [:]
    guard let unitNode = reader.node("units") else { return units }
    for (key, value) in unitNode.mapping ?? [] {
        guard let column = key.string, let unit = value.string else {
            reader.diagnostics.append(
                .error(
                    "yaml-type", "a unit is a single value such as \"%\" or \"£\", found \(value.kindName)",
                    at: value.location))
            continue
        }
        units[column] = Located(unit, at: value.location)
    }
    if unitNode.mapping == nil {
        reader.diagnostics.append(
            .error("yaml-type", "'units' must map column names to units such as \"%\" or \"£\"", at: unitNode.location))
    }
    return units
}

/// Totals, discrepancies and charts name columns and rows, so each name must be there and unique.
private func checkNames(header: [Located<String>], rows: [[Located<String>]], diagnostics: inout [Diagnostic]) {
    // Spreadsheets save empty rows by the hundred: one error for all of them.
    let emptyRows = rows.filter { $0.allSatisfy { $0.value.trimmedOfWhitespace.isEmpty } }
    if let firstEmpty = emptyRows.first {
        let more = emptyRows.count > 1 ? " (and \(emptyRows.count - 1) more below it)" : ""
        diagnostics.append(
            .error(
                "csv-empty-row", "this row has no cells filled in\(more)",
                hint: "remove the empty lines (a spreadsheet may have saved them)", at: firstEmpty[0].location))
    }
    func unique(_ cells: [Located<String>], what: String, hint: String) {
        var first: [String: SourceLocation] = [:]
        for (index, cell) in cells.enumerated() {
            let name = cell.value.trimmedOfWhitespace
            if what == "row", name.isEmpty, rows[index].allSatisfy({ $0.value.trimmedOfWhitespace.isEmpty }) {
                continue
            } else if name.isEmpty {
                diagnostics.append(.error("csv-empty-name", "this \(what) has no name", hint: hint, at: cell.location))
            } else if let earlier = first[cell.value] {
                diagnostics.append(
                    .error(
                        "csv-duplicate-name", "\(what) '\(cell.value)' appears twice",
                        hint:
                            "the first is at line \(earlier.line), column \(earlier.column); give each \(what) its own name",
                        at: cell.location))
            } else {
                first[cell.value] = cell.location
            }
        }
    }
    // The first header cell names the row labels, which may go unnamed.
    unique(Array(header.dropFirst()), what: "column", hint: "write the column's name in the header row")
    unique(rows.map { $0[0] }, what: "row", hint: "write the row's label in its first cell")
}

/// Reads every cell with its column's unit; a cell that looks like a figure but is not a
/// well-formed one is an error at the cell.
private func readCells(
    header: [Located<String>], rows: [[Located<String>]], units: [String: Located<String>],
    diagnostics: inout [Diagnostic]
) -> [[CellReading]] {
    rows.map { row in
        row.enumerated().map { column, cell in
            guard column > 0 else { return .text }
            let name = header[column].value
            let reading = readCell(cell.value, unit: units[name]?.value, column: "column '\(name)'") {
                "in the sidecar: 'units:' with '\(name): \"\($0)\"'"
            }
            if case .malformed(let problem, let hint) = reading {
                diagnostics.append(
                    .error("csv-not-a-number", "\(problem) (column '\(name)')", hint: hint, at: cell.location))
            }
            return reading
        }
    }
}

private func readTotalCheck(_ reader: inout FieldReader) -> TotalCheck? {
    let location = reader.location
    let column = reader.string("column")
    let row = reader.string("row")
    let sum = reader.stringList("sum_of")
    let difference = reader.stringList("difference_of")
    reader.finish(allowed: TotalCheck.allowedKeys)
    let target: TotalCheck.Target
    switch (column, row) {
    case (let column?, nil): target = .column(column.value)
    case (nil, let row?): target = .row(row.value)
    default:
        reader.diagnostics.append(
            .error(
                "total-invalid", "a total check names either a 'column' or a 'row' that holds the total",
                hint: "e.g. 'column: Total' with 'sum_of: [A, B]'", at: location))
        return nil
    }
    let operation: TotalCheck.Operation
    if !sum.isEmpty && difference.isEmpty {
        operation = .sum(sum.map(\.value))
    } else if sum.isEmpty && difference.count == 2 {
        operation = .difference(difference[0].value, difference[1].value)
    } else {
        reader.diagnostics.append(
            .error(
                "total-invalid", "a total check needs 'sum_of: [...]' or 'difference_of: [minuend, subtrahend]'",
                at: location))
        return nil
    }
    return TotalCheck(target: target, operation: operation, location: location)
}

private func readDiscrepancy(_ reader: inout FieldReader) -> Discrepancy? {
    let location = reader.location
    let row = reader.string("row", required: true)
    let column = reader.string("column", required: true)
    let expected = reader.number("expected", required: true)
    let note = reader.string("note", required: true)
    reader.finish(allowed: Discrepancy.allowedKeys)
    guard let row, let column, let expected, let note else { return nil }
    return Discrepancy(
        row: row.value, column: column.value, expected: expected.value, note: note.value, location: location)
}
