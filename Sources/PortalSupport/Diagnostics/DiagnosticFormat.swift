import Foundation

/// Diagnostics as JSON for editors and CI: one object per problem, stable key order.
public func diagnosticsJSON(_ diagnostics: [Diagnostic]) -> String {
    let items: [[String: Any]] = diagnostics.map { diagnostic in
        var item: [String: Any] = [
            "file": diagnostic.location.file, "line": diagnostic.location.line,
            "column": diagnostic.location.column, "severity": diagnostic.severity.rawValue,
            "code": diagnostic.code, "message": diagnostic.message,
        ]
        if let hint = diagnostic.hint { item["hint"] = hint }
        return item
    }
    let document: [String: Any] = [
        "diagnostics": items, "errors": diagnostics.errors.count, "warnings": diagnostics.warnings.count,
    ]
    let data = try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
    return data.map { String(decoding: $0, as: UTF8.self) } ?? "{}"
}

/// Diagnostics as a terminal shows them, capped as compilers cap them: everything up to the
/// `maxErrors`th error (0 shows all), then one line saying how many more there are. Problems
/// in the content often come in hundreds when one cause goes unfixed; the first ones are what
/// an author reads.
public func diagnosticLines(_ diagnostics: [Diagnostic], maxErrors: Int) -> [String] {
    var lines: [String] = []
    var errors = 0
    for (position, diagnostic) in diagnostics.enumerated() {
        if maxErrors > 0, errors == maxErrors {
            let rest = diagnostics[position...]
            let moreErrors = rest.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) }
            let moreWarnings = rest.count - moreErrors
            var parts: [String] = []
            if moreErrors > 0 { parts.append("\(moreErrors) more error\(moreErrors == 1 ? "" : "s")") }
            if moreWarnings > 0 { parts.append("\(moreWarnings) more warning\(moreWarnings == 1 ? "" : "s")") }
            lines.append("... and \(parts.joined(separator: " and ")) (--max-errors 0 shows them all)")
            break
        }
        lines.append(diagnostic.description)
        if diagnostic.severity == .error { errors += 1 }
    }
    return lines
}
