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
    var rows: [[Located<String>]] = []
    var row: [Located<String>] = []
    var field = ""
    var fieldStart = SourceLocation(file: file, line: 1, column: 1)
    var line = 1
    var column = 1
    var inQuotes = false
    var quoteStart = fieldStart
    var atFieldStart = true
    var scalars = Array(text.unicodeScalars)
    if scalars.last != "\n" { scalars.append("\n") }
    var index = 0

    func endField() {
        row.append(Located(field, at: fieldStart))
        field = ""
        atFieldStart = true
    }

    while index < scalars.count {
        let c = scalars[index]
        if atFieldStart {
            fieldStart = SourceLocation(file: file, line: line, column: column)
            atFieldStart = false
            if c == "\"" {
                inQuotes = true
                quoteStart = fieldStart
                index += 1
                column += 1
                continue
            }
        }
        if inQuotes {
            if c == "\"" {
                if index + 1 < scalars.count && scalars[index + 1] == "\"" {
                    field.unicodeScalars.append("\"")
                    index += 2
                    column += 2
                    continue
                }
                inQuotes = false
                index += 1
                column += 1
                let following = index < scalars.count ? scalars[index] : "\n"
                if following != "," && following != "\n" {
                    return .failure(
                        .error(
                            "csv-invalid", "unexpected character after a closing quote",
                            hint: "double a quote inside a quoted cell: \"\"",
                            at: SourceLocation(file: file, line: line, column: column)))
                }
                continue
            }
            field.unicodeScalars.append(c)
            if c == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
            continue
        }
        switch c {
        case ",":
            endField()
            index += 1
            column += 1
            atFieldStart = true
        case "\n":
            endField()
            // A blank line is not a row of one empty cell; authors leave them at the end.
            if !(row.count == 1 && row[0].value.isEmpty) { rows.append(row) }
            row = []
            index += 1
            line += 1
            column = 1
        default:
            field.unicodeScalars.append(c)
            index += 1
            column += 1
        }
    }
    if inQuotes {
        return .failure(
            .error(
                "csv-invalid", "quoted cell is never closed", hint: "add the closing \" to this cell",
                at: quoteStart))
    }
    return .success(CSVTable(rows: rows))
}
