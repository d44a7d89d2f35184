import PortalLoad
import PortalSupport

/// Verifies a table's stated totals against its cells, so a typo in a figure cannot reach the
/// board unnoticed. Figures the report states that do not add up are kept as stated, but must
/// be declared as discrepancies with the figure they should be; the page then flags them.
func verifyTable(_ source: TableSource) -> (DataTable, [Diagnostic]) {
    var verifier = TableVerifier(source)
    verifier.readDiscrepancies()
    for check in source.totals { verifier.verify(check) }
    verifier.reportUncheckedDiscrepancies()
    verifier.checkUnits()
    let table = DataTable(
        source: source, numericColumns: verifier.numericColumns(), discrepancies: verifier.discrepancies,
        verifiedTotals: verifier.verified, section: nil)
    return (table, verifier.diagnostics)
}

/// One table's checks, and what they have found so far.
private struct TableVerifier {
    let source: TableSource
    let columns: [String]
    let rowLabels: [String]
    /// Each cell read once: a number, empty (not stated), text or malformed.
    let readings: [[CellReading]]
    let numbers: [[Number?]]
    var diagnostics: [Diagnostic] = []
    var discrepancies: [TableCellKey: Discrepancy] = [:]
    /// The cells as checks read them: a discrepant cell as the figure it should be, so one wrong
    /// cell is reported once, not again in every total that includes it.
    var effective: [[Number?]] = []
    /// Discrepancies a total check confirmed.
    var confirmed = Set<TableCellKey>()
    var verified = 0
    /// A cell that states no figure is reported once, at the first check that needs it.
    var unreadable = Set<TableCellKey>()

    init(_ source: TableSource) {
        self.source = source
        columns = source.header.map(\.value)
        rowLabels = source.rows.map { $0[0].value }
        readings = source.readings
        numbers = readings.map { row in row.map(\.number) }
    }

    /// A column is numeric if all its stated cells are numbers.
    func numericColumns() -> [Bool] {
        var numeric = [Bool](repeating: false, count: columns.count)
        for column in 1..<columns.count {
            let stated = readings.map { $0[column] }.filter { $0 != .blank }
            // A malformed cell has its own error; it does not also make the column words.
            numeric[column] = !stated.isEmpty && !stated.contains(.text)
        }
        return numeric
    }

    mutating func columnIndex(_ name: String, at location: SourceLocation) -> Int? {
        if let index = columns.firstIndex(of: name), index > 0 { return index }
        diagnostics.append(
            .error(
                "unknown-column", "table '\(source.id)' has no column '\(name)'",
                hint: didYouMean(name, in: Array(columns.dropFirst())), at: location))
        return nil
    }

    mutating func rowIndex(_ name: String, at location: SourceLocation) -> Int? {
        if let index = rowLabels.firstIndex(of: name) { return index }
        diagnostics.append(
            .error(
                "unknown-row", "table '\(source.id)' has no row '\(name)'", hint: didYouMean(name, in: rowLabels),
                at: location))
        return nil
    }

    /// The declared discrepancies, each at a cell that exists, once, and stating another figure
    /// than the one it should be.
    mutating func readDiscrepancies() {
        for discrepancy in source.discrepancies {
            guard let row = rowIndex(discrepancy.row, at: discrepancy.location),
                let column = columnIndex(discrepancy.column, at: discrepancy.location)
            else { continue }
            let key = TableCellKey(row: row, column: column)
            if let earlier = discrepancies[key] {
                diagnostics.append(
                    .error(
                        "duplicate-discrepancy",
                        "a discrepancy at '\(discrepancy.row)' / '\(discrepancy.column)' is declared twice",
                        hint: "the first is at line \(earlier.location.line); remove one", at: discrepancy.location))
                continue
            }
            if numbers[row][column] == discrepancy.expected {
                diagnostics.append(
                    .error(
                        "discrepancy-resolved",
                        "declared discrepancy at '\(discrepancy.row)' / '\(discrepancy.column)' is not one: the cell already states \(discrepancy.expected)",
                        hint: "remove the discrepancy entry", at: discrepancy.location))
                continue
            }
            discrepancies[key] = discrepancy
        }
        effective = numbers
        for (key, discrepancy) in discrepancies { effective[key.row][key.column] = discrepancy.expected }
    }

    /// One declared total, over every row (a column total) or every column (a row total).
    mutating func verify(_ check: TotalCheck) {
        let inputNames: [String]
        let isDifference: Bool
        switch check.operation {
        case .sum(let names): (inputNames, isDifference) = (names, false)
        case .difference(let a, let b): (inputNames, isDifference) = ([a, b], true)
        }
        guard let cases = cellsToCheck(check, inputNames: inputNames) else { return }
        let label = inputNames.joined(separator: isDifference ? " − " : " + ")
        for item in cases {
            verify(item.target, inputs: item.inputs, isDifference: isDifference, label: label, check: check)
        }
    }

    /// The check as (target cell, input cells) pairs; nil when it names a row or column the
    /// table does not have (reported).
    private mutating func cellsToCheck(_ check: TotalCheck, inputNames: [String])
        -> [(target: TableCellKey, inputs: [TableCellKey])]?
    {
        var cases: [(target: TableCellKey, inputs: [TableCellKey])] = []
        switch check.target {
        case .column(let name):
            guard let target = columnIndex(name, at: check.location) else { return nil }
            let inputs = inputNames.compactMap { columnIndex($0, at: check.location) }
            guard inputs.count == inputNames.count else { return nil }
            for row in source.rows.indices {
                cases.append(
                    (TableCellKey(row: row, column: target), inputs.map { TableCellKey(row: row, column: $0) }))
            }
        case .row(let name):
            guard let target = rowIndex(name, at: check.location) else { return nil }
            let inputs = inputNames.compactMap { rowIndex($0, at: check.location) }
            guard inputs.count == inputNames.count else { return nil }
            for column in 1..<columns.count {
                cases.append(
                    (TableCellKey(row: target, column: column), inputs.map { TableCellKey(row: $0, column: column) }))
            }
        }
        return cases
    }

    private mutating func verify(
        _ target: TableCellKey, inputs: [TableCellKey], isDifference: Bool, label: String, check: TotalCheck
    ) {
        // A declared total is never skipped: every cell it adds up must state a figure. Only a row
        // or column where none of its cells is stated has nothing to check.
        let cells = [target] + inputs
        if cells.allSatisfy({ readings[$0.row][$0.column] == .blank }) { return }
        let inputValues = inputs.map { effective[$0.row][$0.column] }
        guard let stated = numbers[target.row][target.column], !inputValues.contains(where: { $0 == nil }) else {
            let targetName: String
            switch check.target {
            case .column(let name), .row(let name): targetName = name
            }
            for key in cells where numbers[key.row][key.column] == nil && unreadable.insert(key).inserted {
                if let problem = notAFigure(source, key, check: check, label: "'\(targetName) = \(label)'") {
                    diagnostics.append(problem)
                }
            }
            return
        }
        let values = inputValues.map { $0! }
        let computed = isDifference ? values[0] - values[1] : values.dropFirst().reduce(values[0], +)
        let cellName = "'\(rowLabels[target.row])' / '\(columns[target.column])'"
        if let discrepancy = discrepancies[target] {
            if computed.value == discrepancy.expected.value {
                confirmed.insert(target)
            } else {
                diagnostics.append(
                    .error(
                        "discrepancy-mismatch",
                        "discrepancy at \(cellName) declares \(discrepancy.expected) but \(label) gives \(computed)",
                        hint: "set 'expected: \(computed.plain)'", at: discrepancy.location))
            }
            return
        }
        if computed.value == stated.value {
            verified += 1
        } else {
            diagnostics.append(
                .error(
                    "total-mismatch",
                    "stated total \(stated) at \(cellName) does not match \(label) = \(computed)",
                    hint:
                        "correct the figure, or if the report itself states it, declare it under 'discrepancies' in \(source.sidecarFile)",
                    at: source.rows[target.row][target.column].location))
        }
    }

    /// A declared discrepancy no total check confirmed is only a claim.
    mutating func reportUncheckedDiscrepancies() {
        for (key, discrepancy) in discrepancies where !confirmed.contains(key) {
            diagnostics.append(
                .error(
                    "discrepancy-unchecked",
                    "discrepancy at '\(discrepancy.row)' / '\(discrepancy.column)' is not covered by any total check",
                    hint: "add the total check that shows the figure should be \(discrepancy.expected)",
                    at: discrepancy.location))
        }
    }

    mutating func checkUnits() {
        for (unitColumn, unit) in source.units {
            if !columns.contains(unitColumn) {
                diagnostics.append(
                    .error(
                        "unknown-column", "'units' names a column '\(unitColumn)' the table does not have",
                        hint: didYouMean(unitColumn, in: columns), at: unit.location))
            }
            if unit.value != "%" && unit.value != "£" {
                diagnostics.append(
                    .error("invalid-value", "unit must be \"%\" or \"£\", found '\(unit.value)'", at: unit.location))
            }
        }
    }
}

/// The error for a cell a total check needs but that states no figure, at the check's line in the
/// sidecar and naming the cell's place in the CSV. A malformed cell has had its error already.
private func notAFigure(_ source: TableSource, _ key: TableCellKey, check: TotalCheck, label: String) -> Diagnostic? {
    let cell = source.rows[key.row][key.column]
    let name = "'\(source.rows[key.row][0].value)' / '\(source.header[key.column].value)'"
    let place = "\(cell.location.file):\(cell.location.line):\(cell.location.column)"
    switch source.readings[key.row][key.column] {
    case .malformed, .number: return nil
    case .blank:
        return .error(
            "total-not-stated", "the total check \(label) needs cell \(name) at \(place), which is empty",
            hint: "an empty cell means 'not stated' and is never counted as 0: write the figure, or remove the check",
            at: check.location)
    case .text:
        return .error(
            "total-not-a-number",
            "the total check \(label) needs cell \(name) at \(place), which is '\(cell.value)', not a number",
            hint:
                "write the cell as a figure (1113, 1,113, or £410,000 with the column's unit in 'units:'), or remove the check",
            at: check.location)
    }
}
