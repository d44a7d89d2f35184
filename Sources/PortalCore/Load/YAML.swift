import Yams

/// A YAML value that remembers where it came from, so every data error points at its line.
public struct YAMLNode: Sendable {
    public enum Value: Sendable {
        case scalar(String)
        case mapping([(key: YAMLNode, value: YAMLNode)])
        case sequence([YAMLNode])
    }

    public var value: Value
    public var location: SourceLocation
    /// Quoted scalars stay strings even when they look like numbers (`"007"`).
    public var isPlainScalar: Bool

    public var string: String? {
        if case .scalar(let text) = value { return text }
        return nil
    }

    /// YAML's null: `~`, `null` or nothing at all.
    public var isNull: Bool {
        guard isPlainScalar, case .scalar(let text) = value else { return false }
        return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = value { return items }
        return nil
    }

    public var mapping: [(key: YAMLNode, value: YAMLNode)]? {
        if case .mapping(let pairs) = value { return pairs }
        return nil
    }

    public var kindName: String {
        switch value {
        case .scalar: return "a single value"
        case .mapping: return "a mapping of keys to values"
        case .sequence: return "a list"
        }
    }
}

/// Parses YAML text. `firstLine` shifts line numbers for front matter embedded in a Markdown file.
func parseYAML(_ text: String, file: String, firstLine: Int = 1) -> Result<YAMLNode?, Diagnostic> {
    // Front matter is nearly always plain `key: value` lines, read without Yams (see SimpleYAML).
    if let node = parseSimpleYAML(text, file: file, firstLine: firstLine) { return .success(node) }
    return parseYAMLWithYams(text, file: file, firstLine: firstLine)
}

/// Any YAML, through Yams: what `parseSimpleYAML` leaves, and every error message.
func parseYAMLWithYams(_ text: String, file: String, firstLine: Int = 1) -> Result<YAMLNode?, Diagnostic> {
    do {
        // No implicit typing (the loader types values itself) and UTF-8 stated outright: Yams would
        // otherwise run regular expressions on every scalar and read the environment per document.
        guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else { return .success(nil) }
        return .success(convert(node, file: file, lineOffset: firstLine - 1))
    } catch let error as YamlError {
        return .failure(yamlDiagnostic(error, file: file, lineOffset: firstLine - 1))
    } catch {
        return .failure(
            .error("yaml-invalid", "invalid YAML: \(error)", at: SourceLocation(file: file, line: firstLine)))
    }
}

private func convert(_ node: Node, file: String, lineOffset: Int) -> YAMLNode {
    let mark = node.mark
    let location = SourceLocation(
        file: file, line: (mark?.line ?? 1) + lineOffset, column: mark?.column ?? 1)
    switch node {
    case .scalar(let scalar):
        return YAMLNode(value: .scalar(scalar.string), location: location, isPlainScalar: scalar.style == .plain)
    case .mapping(let mapping):
        let pairs = mapping.map {
            (
                key: convert($0.key, file: file, lineOffset: lineOffset),
                value: convert($0.value, file: file, lineOffset: lineOffset)
            )
        }
        return YAMLNode(value: .mapping(pairs), location: location, isPlainScalar: false)
    case .sequence(let sequence):
        return YAMLNode(
            value: .sequence(sequence.map { convert($0, file: file, lineOffset: lineOffset) }), location: location,
            isPlainScalar: false)
    case .alias:
        // Aliases are resolved by the composer; this case only appears with custom strategies.
        return YAMLNode(value: .scalar(""), location: location, isPlainScalar: true)
    }
}

private func yamlDiagnostic(_ error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
    let hint = "check the indentation and quote values that contain ':' or start with a special character"
    switch error {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
        .composer(let context, let problem, let mark, _):
        var message = "invalid YAML: \(problem)"
        if let context { message += " \(context.text)" }
        return .error(
            "yaml-invalid", message, hint: hint,
            at: SourceLocation(file: file, line: mark.line + lineOffset, column: mark.column))
    default:
        return .error(
            "yaml-invalid", "invalid YAML: \(error)", hint: hint, at: SourceLocation(file: file, line: 1 + lineOffset))
    }
}
