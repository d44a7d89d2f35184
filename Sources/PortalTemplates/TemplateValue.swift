import PortalSupport

/// A value a template can show: what page builders hand to templates, typed so rendering
/// never has to guess. Literals build values directly (`"text"`, `42`, `true`, `[…]`,
/// `["name": …]`), so page builders read much as they would with dictionaries of `Any`.
public enum TemplateValue: Sendable {
    /// Shown escaped by `{{name}}`, as is by `{{{name}}}`.
    case text(String)
    /// HTML the portal already rendered (a page inside the layout), kept as bytes.
    case html([UInt8])
    case number(Int)
    case bool(Bool)
    case list([TemplateValue])
    case object(TemplateObject)

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

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self = .text(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .number(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(TemplateObject(elements))
    }
}

/// The named values of an object, in the order they were given. Pages hand templates objects of
/// a few dozen names at most, and a template looks names up many times per page: comparing short
/// strings in a small array is quicker than hashing them for a dictionary, and so is building one.
public struct TemplateObject: Sendable {
    var keys: [String]
    var values: [TemplateValue]

    /// Pairs as a literal gives them. Names are expected to be distinct, as in a dictionary
    /// literal; were one repeated, lookups would find its first value.
    init(_ elements: [(String, TemplateValue)]) {
        keys = elements.map(\.0)
        values = elements.map(\.1)
    }

    /// Reads a value; setting one replaces the name's value, adds the name if new, and removes it
    /// when set to nil, as a dictionary would.
    package subscript(name: String) -> TemplateValue? {
        get {
            // Most names differ in length: comparing that first spares a string comparison.
            let length = name.utf8.count
            for index in keys.indices where keys[index].utf8.count == length && keys[index] == name {
                return values[index]
            }
            return nil
        }
        set {
            let position = keys.firstIndex(of: name)
            switch (position, newValue) {
            case (let position?, let value?): values[position] = value
            case (let position?, nil):
                keys.remove(at: position)
                values.remove(at: position)
            case (nil, let value?):
                keys.append(name)
                values.append(value)
            case (nil, nil): break
            }
        }
    }
}

extension TemplateObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) { self.init(elements) }
}
