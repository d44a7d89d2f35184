/// Where a value came from: a file relative to the site root, with 1-based line and column.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int = 1, column: Int = 1) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.file, a.line, a.column) < (b.file, b.line, b.column)
    }
}

/// One problem found in the content, theme or setup. Problems are collected, never thrown one at
/// a time, so an author sees every error of a build at once.
public struct Diagnostic: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    /// A stable, machine-readable code such as `unknown-reference`, for editors and CI.
    public var code: String
    public var message: String
    /// How to fix it, for example "did you mean 'armed-policing'?".
    public var hint: String?
    public var location: SourceLocation

    public init(
        _ severity: Severity, _ code: String, _ message: String, hint: String? = nil, at location: SourceLocation
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.hint = hint
        self.location = location
    }

    public static func error(_ code: String, _ message: String, hint: String? = nil, at location: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(.error, code, message, hint: hint, at: location)
    }

    public static func warning(_ code: String, _ message: String, hint: String? = nil, at location: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(.warning, code, message, hint: hint, at: location)
    }

    /// `path:line:column: error: message (hint)`, the format compilers use, so editors can jump to it.
    public var description: String {
        var text = "\(location): \(severity.rawValue): \(message)"
        if let hint { text += " (\(hint))" }
        return text
    }
}

/// A build-stopping failure carrying every diagnostic found so far.
public struct DiagnosticsError: Error, CustomStringConvertible, Sendable {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }

    /// Sorted by file, line and column so output is stable whatever order the stages ran in.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { ($0.location, $0.code, $0.message) < ($1.location, $1.code, $1.message) }
    }
}
