/// A value a template can show: what page builders hand to templates, typed so rendering
/// never has to guess.
public indirect enum TemplateValue: Sendable {
    /// Shown escaped by `{{name}}`, as is by `{{{name}}}`.
    case text(String)
    /// HTML the portal already rendered (a page inside the layout), kept as bytes.
    case html([UInt8])
    case number(Int)
    case bool(Bool)
    case list([TemplateValue])
    case object(TemplateObject)

    /// An object from a dictionary (the usual way page builders write one).
    static func object(_ fields: [String: TemplateValue]) -> TemplateValue { .object(TemplateObject(fields)) }

    /// Converts the dictionaries and arrays page builders make. Nil values simply are absent.
    public init(_ any: Any) {
        switch any {
        case let value as TemplateValue: self = value
        case let value as String: self = .text(value)
        case let value as Substring: self = .text(String(value))
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .number(value)
        case let value as [String: Any]: self = TemplateValue(object: value)
        // Exact element types first: casting `[[String: Any]]` to `[Any]` would box every element anew.
        case let value as [[String: Any]]: self = .list(value.map(TemplateValue.init(object:)))
        case let value as [String]: self = .list(value.map(TemplateValue.text))
        case let value as [TemplateValue]: self = .list(value)
        case let value as [Any]: self = .list(value.map(TemplateValue.init))
        case let value as CustomStringConvertible: self = .text(value.description)
        default: self = .text("")
        }
    }

    init(object: [String: Any]) {
        self = .object(TemplateObject(keys: Array(object.keys), values: object.values.map(TemplateValue.init)))
    }

    /// Whether a section shows: empty text, an empty list, false and zero do not.
    var isTruthy: Bool {
        switch self {
        case .text(let text): return !text.isEmpty
        case .html(let bytes): return !bytes.isEmpty
        case .number(let number): return number != 0
        case .bool(let bool): return bool
        case .list(let items): return !items.isEmpty
        case .object: return true
        }
    }

    func child(_ name: String) -> TemplateValue? {
        if case .object(let fields) = self { return fields[name] }
        return nil
    }
}

/// The named values of an object. Pages hand templates objects of a few dozen names at most, and
/// a template looks names up many times per page: comparing short strings in a small array is
/// quicker than hashing them for a dictionary.
public struct TemplateObject: Sendable {
    var keys: [String]
    var values: [TemplateValue]

    init(keys: [String], values: [TemplateValue]) {
        self.keys = keys
        self.values = values
    }

    init(_ fields: [String: TemplateValue]) {
        keys = Array(fields.keys)
        values = Array(fields.values)
    }

    subscript(name: String) -> TemplateValue? {
        for index in keys.indices where keys[index] == name { return values[index] }
        return nil
    }
}
