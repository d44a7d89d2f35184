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
    case object([String: TemplateValue])

    /// Converts the dictionaries and arrays page builders make. Nil values simply are absent.
    public init(_ any: Any) {
        switch any {
        case let value as TemplateValue: self = value
        case let value as String: self = .text(value)
        case let value as Substring: self = .text(String(value))
        case let value as Bool: self = .bool(value)
        case let value as Int: self = .number(value)
        case let value as [String: Any]: self = .object(value.mapValues(TemplateValue.init))
        case let value as [Any]: self = .list(value.map(TemplateValue.init))
        case let value as CustomStringConvertible: self = .text(value.description)
        default: self = .text("")
        }
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
