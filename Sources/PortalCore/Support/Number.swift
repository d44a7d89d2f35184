import Foundation

/// A figure as the report states it: exact decimal arithmetic (no floating-point drift when
/// verifying that 120.66 + 5 + 6 + 7 is 138.66) and the number of decimal places as written.
public struct Number: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: Decimal
    public var decimals: Int

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var body = Substring(trimmed)
        if body.first == "-" || body.first == "+" || body.first == "\u{2212}" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard !body.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            !parts[0].isEmpty
        else { return nil }
        let normalised = trimmed.replacingOccurrences(of: "\u{2212}", with: "-")
        guard let value = Decimal(string: normalised, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self.value = value
        self.decimals = parts.count == 2 ? parts[1].count : 0
    }

    public init(value: Decimal, decimals: Int) {
        self.value = value
        self.decimals = decimals
    }

    public static func < (a: Number, b: Number) -> Bool { a.value < b.value }

    public static func + (a: Number, b: Number) -> Number {
        Number(value: a.value + b.value, decimals: max(a.decimals, b.decimals))
    }

    public static func - (a: Number, b: Number) -> Number {
        Number(value: a.value - b.value, decimals: max(a.decimals, b.decimals))
    }

    public var double: Double { NSDecimalNumber(decimal: value).doubleValue }

    /// Plain digits with the stated decimal places, e.g. "607.66", "-4".
    public var description: String { plain }

    public var plain: String {
        var rounded = Decimal()
        var source = value
        NSDecimalRound(&rounded, &source, decimals, .plain)
        var text = NSDecimalNumber(decimal: rounded).stringValue
        if decimals > 0 {
            if !text.contains(".") { text += "." }
            let have = text.split(separator: ".", omittingEmptySubsequences: false)[1].count
            text += String(repeating: "0", count: max(0, decimals - have))
        }
        return text
    }

    /// ONS style: commas from 1,000 (but not in four-figure years, which are never figures here),
    /// a true minus sign for negatives.
    public var formatted: String { formatNumberText(plain) }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// Inserts thousands separators and a typographic minus into a plain number.
func formatNumberText(_ plain: String) -> String {
    var text = Substring(plain)
    var sign = ""
    if text.first == "-" {
        sign = "\u{2212}"
        text = text.dropFirst()
    }
    let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    let integer = Array(parts[0])
    var grouped = ""
    for (index, digit) in integer.enumerated() {
        if index > 0 && (integer.count - index) % 3 == 0 { grouped.append(",") }
        grouped.append(digit)
    }
    return sign + grouped + (parts.count == 2 ? "." + parts[1] : "")
}
