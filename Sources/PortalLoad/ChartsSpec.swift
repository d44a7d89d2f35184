import PortalSupport

/// A table sidecar's `chart:`: which figures of the table to draw as a bar chart, and how to say
/// in words what the chart shows. Read and checked against the CSV when the table is loaded, so a
/// misspelt row or column is an error at its line and column, like every other sidecar mistake.
///
/// ```yaml
/// chart:
///   title: CTSFOs in force against establishment   # default: the table's caption
///   groups: rows                 # one group of bars per row (default), or per column
///   rows: [CTSFOs in force, CTSFO role profiles - establishment]   # default: every row
///   columns: [Number]            # numeric columns to draw; default: every numeric column
///   compare: [CTSFOs in force, CTSFO role profiles - establishment]   # "a against b"
///   summary: "{a} CTSFOs in force against an establishment of {b}: {gap}."
///   gap_words: [below, above]    # how {gap} says a is lower or higher than b
///   overview: true               # also on the home page
/// ```
public struct ChartSpec: Sendable {
    public enum Groups: String, Sendable, CaseIterable {
        case rows, columns
    }

    public var title: String?
    public var groups: Groups
    /// Row labels to draw, in order; empty means every row.
    public var rows: [String]
    /// Column names to draw, in order; empty means every numeric column.
    public var columns: [String]
    /// Two series (or, with a single series, two groups): the summary says "a against b".
    public var compare: (a: String, b: String)?
    /// The summary sentence with `{a}`, `{b}`, `{gap}` and `{group}` filled in.
    public var summary: String?
    /// Words for a lower and a higher `a`: "14 below", "3,500 more".
    public var gapWords: (lower: String, higher: String)
    public var overview: Bool
    public var location: SourceLocation

    static let allowedKeys = ["title", "groups", "rows", "columns", "compare", "summary", "gap_words", "overview"]
    static let placeholders = ["a", "b", "gap", "group"]
}

/// Reads and checks `chart:` against the table's header and rows.
func readChartSpec(
    _ node: YAMLNode, header: [Located<String>], rows: [[Located<String>]], readings: [[CellReading]],
    diagnostics: inout [Diagnostic]
) -> ChartSpec? {
    var reader = FieldReader(node, what: "chart", at: node.location)
    defer { diagnostics += reader.diagnostics }
    guard node.mapping != nil else { return nil }
    let title = reader.string("title")
    let groups = readGroups(&reader)
    let rowNames = reader.stringList("rows")
    let columnNames = reader.stringList("columns")
    let compare = reader.stringList("compare")
    let summary = reader.string("summary")
    let gapWords = reader.stringList("gap_words")
    let overview = reader.bool("overview")
    reader.finish(allowed: ChartSpec.allowedKeys)

    var check = ChartCheck(header: header, rows: rows, readings: readings)
    defer { reader.diagnostics += check.problems }
    check.namesExist(rows: rowNames, columns: columnNames)
    // Without readings (a ragged row, a malformed name) the table has already failed.
    guard check.ok, readings.count == rows.count else { return nil }
    let chosenRows = rowNames.isEmpty ? check.allRows : rowNames.map(\.value)
    let chosenColumns = check.chosenColumns(columnNames, at: node.location)
    check.plainFigures(in: columnNames, rows: chosenRows)
    let pair = check.comparison(
        compare, series: groups == .rows ? chosenColumns : chosenRows,
        groups: groups == .rows ? chosenRows : chosenColumns)
    if let summary { check.summary(summary, hasComparison: !compare.isEmpty) }
    let words = check.gapWords(gapWords)
    guard check.ok else { return nil }
    return ChartSpec(
        title: title?.value, groups: groups, rows: rowNames.map(\.value), columns: columnNames.map(\.value),
        compare: pair, summary: summary?.value, gapWords: words, overview: overview?.value ?? false,
        location: node.location)
}

private func readGroups(_ reader: inout FieldReader) -> ChartSpec.Groups {
    guard let text = reader.string("groups") else { return .rows }
    if let value = ChartSpec.Groups(rawValue: text.value) { return value }
    reader.diagnostics.append(
        .error(
            "chart-invalid", "'groups' must be 'rows' or 'columns', found '\(text.value)'",
            hint: didYouMean(text.value, in: ChartSpec.Groups.allCases.map(\.rawValue)), at: text.location))
    return .rows
}

/// The checks of a chart against its table; any problem means no chart.
private struct ChartCheck {
    let header: [Located<String>]
    let rows: [[Located<String>]]
    let readings: [[CellReading]]
    let allRows: [String]
    let allColumns: [String]
    var problems: [Diagnostic] = []
    var ok: Bool { problems.isEmpty }

    init(header: [Located<String>], rows: [[Located<String>]], readings: [[CellReading]]) {
        self.header = header
        self.rows = rows
        self.readings = readings
        allRows = rows.compactMap { $0.first?.value }
        allColumns = header.dropFirst().map(\.value)
    }

    mutating func fail(_ message: String, hint: String? = nil, at location: SourceLocation) {
        problems.append(.error("chart-invalid", message, hint: hint, at: location))
    }

    mutating func namesExist(rows rowNames: [Located<String>], columns columnNames: [Located<String>]) {
        for name in rowNames where !allRows.contains(name.value) {
            fail(
                "chart row '\(name.value)' is not a row of the table", hint: didYouMean(name.value, in: allRows),
                at: name.location)
        }
        for name in columnNames where !allColumns.contains(name.value) {
            fail(
                "chart column '\(name.value)' is not a column of the table",
                hint: didYouMean(name.value, in: allColumns), at: name.location)
        }
    }

    /// The columns named, or by default the numeric ones, as the table checks count them: at
    /// least one figure, and no words.
    mutating func chosenColumns(_ columnNames: [Located<String>], at location: SourceLocation) -> [String] {
        let numericColumns = allColumns.enumerated().filter { index, _ in
            let cells = readings.compactMap { index + 1 < $0.count ? $0[index + 1] : nil }.filter { $0 != .blank }
            // A malformed cell has its own error; it does not also make the column words.
            return !cells.isEmpty && !cells.contains(.text)
        }.map(\.element)
        let chosen = columnNames.isEmpty ? numericColumns : columnNames.map(\.value)
        if chosen.isEmpty {
            fail(
                "the table has no numeric column to chart", hint: "name the columns to draw: 'columns: [...]'",
                at: location)
        }
        return chosen
    }

    /// Every drawn cell is a figure or empty ("not stated"): a word cannot be a bar.
    mutating func plainFigures(in columnNames: [Located<String>], rows chosenRows: [String]) {
        for name in columnNames {
            guard let column = header.firstIndex(where: { $0.value == name.value }) else { continue }
            for (row, cells) in zip(rows, readings) where chosenRows.contains(row[0].value) && column < row.count {
                let cell = row[column]
                if cells[column] == .text {
                    fail(
                        "chart column '\(name.value)' has '\(cell.value)' in row '\(row[0].value)', which is not a number",
                        hint: "chart only columns of plain figures", at: name.location)
                }
            }
        }
    }

    /// `compare: [a, b]`: two of the drawn series, or with one series two of its bars.
    mutating func comparison(_ compare: [Located<String>], series: [String], groups: [String]) -> (String, String)? {
        guard !compare.isEmpty else { return nil }
        let candidates = series.count == 1 ? groups : series
        if compare.count != 2 {
            fail("'compare' names two things: [value, what it is compared against]", at: compare[0].location)
            return nil
        }
        for name in compare where !candidates.contains(name.value) {
            fail(
                "chart cannot compare '\(name.value)': it is not one of the drawn \(series.count == 1 ? "bars" : "series")",
                hint: didYouMean(name.value, in: candidates), at: name.location)
        }
        return (compare[0].value, compare[1].value)
    }

    mutating func summary(_ summary: Located<String>, hasComparison: Bool) {
        for name in placeholderNames(in: summary.value) where !ChartSpec.placeholders.contains(name) {
            fail(
                "unknown placeholder '{\(name)}' in the chart summary",
                hint: "use {a}, {b}, {gap} or {group}", at: summary.location)
        }
        if !hasComparison {
            fail(
                "a chart 'summary' needs 'compare: [a, b]' to fill it in",
                hint: "without 'compare' the summary lists every figure by itself", at: summary.location)
        }
    }

    mutating func gapWords(_ gapWords: [Located<String>]) -> (lower: String, higher: String) {
        guard !gapWords.isEmpty else { return ("below", "above") }
        if gapWords.count == 2 { return (gapWords[0].value, gapWords[1].value) }
        fail("'gap_words' names two words: [lower, higher], e.g. [below, above]", at: gapWords[0].location)
        return ("below", "above")
    }
}

/// The names inside `{...}` in a summary template.
func placeholderNames(in template: String) -> [String] {
    var names: [String] = []
    var current: String?
    for character in template {
        if character == "{" {
            current = ""
        } else if character == "}", let name = current {
            names.append(name)
            current = nil
        } else if current != nil {
            current!.append(character)
        }
    }
    return names
}
