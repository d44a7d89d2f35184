import PortalSupport

/// A CSV file parsed per RFC 4180 (quoted fields, doubled quotes, commas and newlines inside
/// quotes), keeping each cell's line and column for error messages.
struct CSVTable: Sendable {
    var rows: [[Located<String>]]
}

/// The largest table CSV read, in bytes.
let maximumCSVBytes = 256_000

func parseCSV(_ text: String, file: String) -> Result<CSVTable, Diagnostic> {
    // A table of a report's figures is kilobytes; megabytes would cost seconds for nothing.
    guard text.utf8.count <= maximumCSVBytes else {
        return .failure(
            .error(
                "csv-too-large", "this table is \(text.utf8.count / 1000) kB, more than a page can show",
                hint: "a table may be at most \(maximumCSVBytes / 1000) kB: split it or keep only the report's figures",
                at: SourceLocation(file: file)))
    }
    var reader = CSVReader(text, file: file)
    return reader.table()
}

/// Reads a table a character at a time: a cell, then the comma or line end after it. Each cell
/// keeps the line and column it starts at.
private struct CSVReader {
    let file: String
    private var scalars: [Unicode.Scalar]
    private var index = 0
    private var line = 1
    private var column = 1
    private var rows: [[Located<String>]] = []
    private var row: [Located<String>] = []

    init(_ text: String, file: String) {
        self.file = file
        scalars = Array(text.unicodeScalars)
        // Every row then ends with a line end, the last one too.
        if scalars.last != "\n" { scalars.append("\n") }
    }

    private var here: SourceLocation { SourceLocation(file: file, line: line, column: column) }

    mutating func table() -> Result<CSVTable, Diagnostic> {
        while index < scalars.count {
            let start = here
            if scalars[index] == "\"" {
                switch quotedCell(openedAt: start) {
                case .success(let cell): row.append(Located(cell, at: start))
                case .failure(let problem): return .failure(problem)
                }
            } else {
                row.append(Located(plainCell(), at: start))
            }
            // A cell ends at a comma or a line end; the line end is always there.
            if scalars[index] == "," {
                index += 1
                column += 1
            } else {
                endRow()
            }
        }
        return .success(CSVTable(rows: rows))
    }

    /// A cell in quotes, from its opening quote to the comma or line end after its closing one.
    private mutating func quotedCell(openedAt start: SourceLocation) -> Result<String, Diagnostic> {
        var cell = ""
        index += 1
        column += 1
        while index < scalars.count {
            let c = scalars[index]
            if c == "\"" {
                if index + 1 < scalars.count && scalars[index + 1] == "\"" {
                    cell.unicodeScalars.append("\"")
                    index += 2
                    column += 2
                    continue
                }
                index += 1
                column += 1
                let following = index < scalars.count ? scalars[index] : "\n"
                guard following == "," || following == "\n" else {
                    return .failure(
                        .error(
                            "csv-invalid", "unexpected character after a closing quote",
                            hint: "double a quote inside a quoted cell: \"\"", at: here))
                }
                return .success(cell)
            }
            cell.unicodeScalars.append(c)
            if c == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return .failure(
            .error("csv-invalid", "quoted cell is never closed", hint: "add the closing \" to this cell", at: start))
    }

    /// A cell without quotes: everything up to the next comma or line end.
    private mutating func plainCell() -> String {
        var cell = ""
        while scalars[index] != "," && scalars[index] != "\n" {
            cell.unicodeScalars.append(scalars[index])
            index += 1
            column += 1
        }
        return cell
    }

    /// Past a line end. A blank line is not a row of one empty cell; authors leave them at the end.
    private mutating func endRow() {
        if !(row.count == 1 && row[0].value.isEmpty) { rows.append(row) }
        row = []
        index += 1
        line += 1
        column = 1
    }
}
