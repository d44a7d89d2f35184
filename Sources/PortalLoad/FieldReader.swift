import PortalSupport

/// A value with the place it was written.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// Reads typed fields out of a YAML mapping, turning every type mismatch, missing required field
/// and unknown key into a diagnostic at the offending line instead of an exception.
struct FieldReader {
    let what: String
    let location: SourceLocation
    private var fields: [String: YAMLNode] = [:]
    private var keyLocations: [String: SourceLocation] = [:]
    private var order: [String] = []
    private var used: Set<String> = []
    var diagnostics: [Diagnostic] = []

    /// `what` names the mapping in messages, e.g. "front matter" or "glossary entry".
    init(_ node: YAMLNode?, what: String, at location: SourceLocation) {
        self.what = what
        self.location = node?.location ?? location
        guard let node else { return }
        guard let pairs = node.mapping else {
            if !node.isNull {
                diagnostics.append(
                    .error(
                        "yaml-type", "\(what) must be a mapping of keys to values, found \(node.kindName)",
                        hint: "write it as 'key: value' lines", at: node.location))
            }
            return
        }
        for (key, value) in pairs {
            let name = key.string ?? ""
            if fields[name] != nil {
                diagnostics.append(
                    .error(
                        "duplicate-key", "duplicate key '\(name)' in \(what)",
                        hint: "first defined at line \(keyLocations[name]!.line); remove one", at: key.location))
                continue
            }
            fields[name] = value
            keyLocations[name] = key.location
            order.append(name)
        }
    }

    func has(_ key: String) -> Bool { fields[key].map { !$0.isNull } ?? false }

    mutating func node(_ key: String) -> YAMLNode? {
        used.insert(key)
        guard let node = fields[key], !node.isNull else { return nil }
        return node
    }

    mutating func string(_ key: String, required: Bool = false) -> Located<String>? {
        guard let node = node(key) else {
            if required { missing(key) }
            return nil
        }
        guard let text = node.string else {
            typeError(key, expected: "a single value", node: node)
            return nil
        }
        let trimmed = text.trimmedOfWhitespace
        if required && trimmed.isEmpty {
            missing(key)
            return nil
        }
        return Located(trimmed, at: node.location)
    }

    mutating func int(_ key: String, required: Bool = false) -> Located<Int>? {
        guard let text = string(key, required: required) else { return nil }
        guard let value = Int(text.value) else {
            diagnostics.append(
                .error(
                    "yaml-type", "'\(key)' must be a whole number, found '\(text.value)'", at: text.location))
            return nil
        }
        return Located(value, at: text.location)
    }

    mutating func bool(_ key: String) -> Located<Bool>? {
        guard let text = string(key) else { return nil }
        switch text.value.lowercased() {
        case "true", "yes", "on": return Located(true, at: text.location)
        case "false", "no", "off": return Located(false, at: text.location)
        default:
            diagnostics.append(
                .error("yaml-type", "'\(key)' must be true or false, found '\(text.value)'", at: text.location))
            return nil
        }
    }

    mutating func number(_ key: String, required: Bool = false) -> Located<Number>? {
        guard let text = string(key, required: required) else { return nil }
        guard let number = Number(text.value) else {
            diagnostics.append(
                .error(
                    "yaml-type", "'\(key)' must be a number such as 42 or 13.3, found '\(text.value)'",
                    hint: "write figures without commas or units", at: text.location))
            return nil
        }
        return Located(number, at: text.location)
    }

    /// A list of single values; a lone value is accepted as a list of one, as authors expect.
    mutating func stringList(_ key: String) -> [Located<String>] {
        guard let node = node(key) else { return [] }
        if let text = node.string { return [Located(text.trimmedOfWhitespace, at: node.location)] }
        guard let items = node.sequence else {
            typeError(key, expected: "a list", node: node)
            return []
        }
        var values: [Located<String>] = []
        for item in items {
            guard let text = item.string else {
                typeError(key, expected: "a list of single values", node: item)
                continue
            }
            values.append(Located(text.trimmedOfWhitespace, at: item.location))
        }
        return values
    }

    mutating func intList(_ key: String) -> [Located<Int>] {
        stringList(key).compactMap { item in
            guard let value = Int(item.value) else {
                diagnostics.append(
                    .error("yaml-type", "'\(key)' must list whole numbers, found '\(item.value)'", at: item.location))
                return nil
            }
            return Located(value, at: item.location)
        }
    }

    /// A list of mappings, each read by `read`.
    mutating func list<T>(_ key: String, what itemName: String, _ read: (inout FieldReader) -> T?) -> [T] {
        guard let node = node(key) else { return [] }
        guard let items = node.sequence else {
            typeError(key, expected: "a list", node: node)
            return []
        }
        var values: [T] = []
        for item in items {
            var reader = FieldReader(item, what: itemName, at: item.location)
            if let value = read(&reader) { values.append(value) }
            diagnostics += reader.diagnostics
        }
        return values
    }

    /// Keys nobody asked for are likely typos: warn, and suggest the nearest known key. One that
    /// is no near miss of a known key and sits on the same line right after an unquoted value
    /// (`{id: x, name: Alpha, Beta: Board}`) is that value cut at a comma, which would publish
    /// "Alpha": an error.
    mutating func finish(allowed: [String]) {
        for (position, name) in order.enumerated() where !used.contains(name) {
            if let cut = cutValue(before: position, key: name, allowed: allowed) {
                diagnostics.append(cut)
                continue
            }
            diagnostics.append(
                .warning(
                    "unknown-key", "unknown key '\(name)' in \(what)",
                    hint: didYouMean(name, in: allowed) ?? "remove it", at: keyLocations[name]!))
        }
    }

    /// The key before `position` has an unquoted value on the same line as `key`: only a flow
    /// mapping puts two keys on one line, and there a comma in a value ends it.
    private func cutValue(before position: Int, key: String, allowed: [String]) -> Diagnostic? {
        guard position > 0, closestMatch(to: key, in: allowed) == nil, let keyAt = keyLocations[key] else { return nil }
        let previous = order[position - 1]
        guard let value = fields[previous], value.isPlainScalar, let cut = value.string,
            value.location.line == keyAt.line
        else { return nil }
        let rest = fields[key]?.string.map { "\(key): \($0)" } ?? key
        return .error(
            "yaml-split-value",
            "the value of '\(previous)' is cut at a comma: YAML reads '\(cut)' and then '\(key)' as another key",
            hint: "quote the value: \(previous): \"\(cut), \(rest)\"", at: value.location)
    }

    private mutating func missing(_ key: String) {
        diagnostics.append(
            .error(
                "missing-field", "\(what) is missing the required field '\(key)'",
                hint: "add a line '\(key): ...'", at: fields[key]?.location ?? location))
    }

    private mutating func typeError(_ key: String, expected: String, node: YAMLNode) {
        diagnostics.append(
            .error("yaml-type", "'\(key)' must be \(expected), found \(node.kindName)", at: node.location))
    }
}

/// Reads a top-level YAML list of mappings (the shape of every data file).
func readList<T>(_ node: YAMLNode?, file: String, what: String, _ read: (inout FieldReader) -> T?) -> (
    [T], [Diagnostic]
) {
    guard let node, !node.isNull else { return ([], []) }
    guard let items = node.sequence else {
        return (
            [],
            [
                .error(
                    "yaml-type", "\(file) must be a list of \(what) entries, found \(node.kindName)",
                    hint: "start each entry with '- '", at: node.location)
            ]
        )
    }
    var values: [T] = []
    var diagnostics: [Diagnostic] = []
    for item in items {
        var reader = FieldReader(item, what: what, at: item.location)
        if let value = read(&reader) { values.append(value) }
        diagnostics += reader.diagnostics
    }
    return (values, diagnostics)
}

extension String {
    /// Without leading and trailing spaces, tabs and newlines. By hand: Foundation's trimming goes
    /// through NSString, and every front matter field of every page is trimmed.
    var trimmedOfWhitespace: String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last,
            first == ASCII.space || first == ASCII.tab || first == ASCII.newline || first == ASCII.carriageReturn
                || last == ASCII.space || last == ASCII.tab || last == ASCII.newline || last == ASCII.carriageReturn
        else { return self }
        var start = utf8.startIndex
        var end = utf8.endIndex
        func isSpace(_ byte: UInt8) -> Bool {
            byte == ASCII.space || byte == ASCII.tab || byte == ASCII.newline || byte == ASCII.carriageReturn
        }
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start, isSpace(utf8[utf8.index(before: end)]) { end = utf8.index(before: end) }
        return String(self[start..<end])
    }
}
