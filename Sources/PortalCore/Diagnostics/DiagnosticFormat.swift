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
