import Foundation

/// A figure as the report states it: exact decimal arithmetic (no floating-point drift when
/// verifying that 120.66 + 5 + 6 + 7 is 138.66) and the number of decimal places as written.
public struct Number: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: Decimal
    public var decimals: Int

    /// Made once: making a locale per figure was most of the time a table took to read.
    private static let posix = Locale(identifier: "en_US_POSIX")

    public init?(_ text: String) {
        if let plain = Self.plainDigits(text) {
            self = plain
            return
        }
        self.init(scanning: text)
    }

    /// Digits with an optional leading minus and one decimal point, short enough for a 64-bit
    /// mantissa: nearly every figure of a table, read without Foundation's scanning (which was
    /// most of the time a table took to load). Anything else is nil, for `init(scanning:)`.
    static func plainDigits(_ text: String) -> Number? {
        var mantissa: UInt64 = 0
        var digits = 0
        var decimals: Int?
        var negative = false
        for (position, byte) in text.utf8.enumerated() {
            if isASCIIDigit(byte) {
                guard digits < 18 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - ASCII.zero)
                digits += 1
                if let places = decimals { decimals = places + 1 }
            } else if byte == ASCII.period, decimals == nil, digits > 0 {
                decimals = 0
            } else if byte == ASCII.hyphen, position == 0 {
                negative = true
            } else {
                return nil
            }
        }
        // "-0" is left to the scanner, which knows what Decimal makes of a negative zero.
        guard digits > 0, !(negative && mantissa == 0) else { return nil }
        let places = decimals ?? 0
        return Number(
            value: Decimal(sign: negative ? .minus : .plus, exponent: -places, significand: Decimal(mantissa)),
            decimals: places)
    }

    init?(scanning text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var body = Substring(trimmed)
        if body.first == "-" || body.first == "+" || body.first == "\u{2212}" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard !body.isEmpty, parts.count <= 2, parts.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) }),
            !parts[0].isEmpty
        else { return nil }
        // Decimal keeps 38 significant digits; more would be rounded without a word.
        guard parts.joined().drop(while: { $0 == "0" }).count <= 38 else { return nil }
        let normalised = trimmed.replacingOccurrences(of: "\u{2212}", with: "-")
        guard let value = Decimal(string: normalised, locale: Self.posix) else { return nil }
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
    package var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

/// Inserts thousands separators and a typographic minus into a plain number.
package func formatNumberText(_ plain: String) -> String {
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

/// "£60,000", "13.3%": a formatted figure with its unit, as pages and edition snapshots show it.
package func withUnit(_ text: String, unit: String?) -> String {
    switch unit {
    case "%": return text + "%"
    case "£": return text.hasPrefix("\u{2212}") ? "\u{2212}£" + text.dropFirst() : "£" + text
    default: return text
    }
}

/// What a table cell states: nothing (the report does not state it), a figure, or words. A cell
/// that looks like a figure but is not a well-formed one is `malformed`, so it is an error at the
/// cell instead of a column that quietly turns to text and drops out of its totals.
package enum CellReading: Equatable, Sendable {
    case blank
    case number(Number)
    case text
    case malformed(problem: String, hint: String)

    package var number: Number? {
        if case .number(let number) = self { return number }
        return nil
    }
}

/// Reads one CSV cell the way the report states figures (ONS style): digits with an optional
/// decimal part, a minus (`-` or `−`), thousands commas only in whole groups of three (`1,113`,
/// not `1,11,3`), and a `£` prefix or `%` suffix only where the sidecar gives the column that unit.
/// Spaces, tabs and non-breaking spaces around the cell are ignored. NaN, infinities, scientific
/// and hexadecimal notation, spaces inside digits, a leading `+` and more digits than can be added
/// exactly are `malformed`; anything else that is not a figure (`20m to 40m`, `2023-24`, `007`)
/// is text.
/// `column` names where the cell is in messages ("column 'Total'"); `declareUnit` says how its
/// unit is declared, for a figure written with a sign its unit does not have.
package func readCell(_ raw: String, unit: String?, column: String, declareUnit: (String) -> String) -> CellReading {
    if let number = plainFigure(raw) { return .number(number) }
    var body = trimmedFigure(raw)
    if body.isEmpty { return .blank }
    let written = String(String.UnicodeScalarView(body))
    let marks = FigureMarks(taking: &body)
    if let reading = wordsOrOddNotation(body, written: written) { return reading }
    // Anything but digits, separators and an exponent makes the cell words, not a figure.
    guard let (exponent, spaced) = scanSeparators(body) else { return .text }
    let parts = String(String.UnicodeScalarView(body)).split(separator: ".", omittingEmptySubsequences: false)
    if parts.count > 2 && !exponent && !spaced { return .text }  // 3.1.2: a paragraph or version number
    if exponent {
        return .malformed(
            problem: "'\(written)' is in scientific notation",
            hint: "write the figure out in full, as the report states it")
    }
    if spaced {
        return .malformed(
            problem: "'\(written)' has a space or '_' between its digits",
            hint: "write it with no space, e.g. 1113, or with thousands commas, e.g. 1,113")
    }
    let integer = parts[0]
    let fraction = parts.count == 2 ? parts[1] : nil
    if let problem = separatorProblem(integer: integer, fraction: fraction, written: written) { return problem }
    let digits = integer.split(separator: ",", omittingEmptySubsequences: false).joined()
    if digits.count > 1 && digits.first == "0" { return .text }  // 007: a code, not a figure
    if let problem = marks.problem(written: written, unit: unit, column: column, declareUnit: declareUnit) {
        return problem
    }
    // Decimal keeps 38 significant digits; more would be rounded without a word.
    if (digits + (fraction ?? "")).drop(while: { $0 == "0" }).count > 38 {
        return .malformed(
            problem: "'\(written)' has more digits than can be added exactly (at most 38)", hint: figureNotStatedHint)
    }
    let plain = (marks.negative ? "-" : "") + digits + (fraction.map { "." + $0 } ?? "")
    guard let number = Number(plain) else { return .text }
    return .number(number)
}

/// A cell of plain digits, with one decimal point between digits at most and no leading zero:
/// most cells, read without the scanning `readCell` does, to the figure that scanning gives.
private func plainFigure(_ raw: String) -> Number? {
    var integerDigits = 0
    var fractionDigits: Int?
    var leadingZero = false
    for byte in raw.utf8 {
        if isASCIIDigit(byte) {
            if let places = fractionDigits {
                fractionDigits = places + 1
            } else {
                if integerDigits == 0 && byte == ASCII.zero { leadingZero = true }
                integerDigits += 1
            }
        } else if byte == ASCII.period, fractionDigits == nil {
            fractionDigits = 0
        } else {
            return nil
        }
    }
    guard integerDigits > 0, fractionDigits != 0, !(leadingZero && integerDigits > 1) else { return nil }
    return Number.plainDigits(raw)
}

private let figureNotStatedHint =
    "write the figure as the report states it, or leave the cell empty if the report does not state one"

/// A cell's characters without the spaces around a figure, non-breaking ones too (pasted from a
/// document): they are not part of it.
private func trimmedFigure(_ raw: String) -> [Unicode.Scalar] {
    func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\u{A0}" || c == "\u{202F}" || c == "\u{2009}"
    }
    var body = Array(raw.unicodeScalars)
    while let first = body.first, isSpace(first) { body.removeFirst() }
    while let last = body.last, isSpace(last) { body.removeLast() }
    return body
}

/// The signs around a figure's digits: a leading minus or plus, a £ (before or after the
/// sign), a trailing %.
private struct FigureMarks {
    var negative = false
    var plus = false
    var pound = false
    var percent = false

    /// Takes the marks off `body`, leaving what should be the digits.
    init(taking body: inout [Unicode.Scalar]) {
        takeSign(&body)
        if body.first == "£" {
            pound = true
            body.removeFirst()
            if !negative && !plus { takeSign(&body) }
        }
        if body.last == "%" {
            percent = true
            body.removeLast()
        }
    }

    private mutating func takeSign(_ body: inout [Unicode.Scalar]) {
        guard let first = body.first else { return }
        if first == "-" || first == "\u{2212}" {
            negative = true
            body.removeFirst()
        } else if first == "+" {
            plus = true
            body.removeFirst()
        }
    }

    /// A plus sign, or a £ or % sign the column's unit does not have.
    func problem(written: String, unit: String?, column: String, declareUnit: (String) -> String) -> CellReading? {
        if plus {
            return .malformed(
                problem: "'\(written)' has a leading '+'",
                hint: "write it without the '+': the table shows a sign only on negative figures")
        }
        guard pound || percent else { return nil }
        let symbol = pound ? "£" : "%"
        if pound && percent {
            return .malformed(problem: "'\(written)' has both a £ sign and a % sign", hint: figureNotStatedHint)
        }
        guard unit != symbol else { return nil }
        return .malformed(
            problem: "'\(written)' has a \(symbol) sign but \(column) has no \(symbol) unit",
            hint: unit == nil
                ? "declare the unit (\(declareUnit(symbol))), or write the figure without the sign"
                : "\(column) has the unit '\(unit!)': write the figure without the \(symbol) sign")
    }
}

/// Words (nil means: read on), or a figure in a notation the report would not use (NaN,
/// infinity, hexadecimal).
private func wordsOrOddNotation(_ body: [Unicode.Scalar], written: String) -> CellReading? {
    let word = String(String.UnicodeScalarView(body)).lowercased()
    if ["nan", "inf", "infinity"].contains(word) {
        return .malformed(problem: "'\(written)' is not a figure", hint: figureNotStatedHint)
    }
    guard let first = body.first, first.isASCIIDigitScalar || first == "." else { return .text }
    if body.count > 2, first == "0", body[1] == "x" || body[1] == "X",
        body.dropFirst(2).allSatisfy({ $0.properties.isASCIIHexDigit })
    {
        return .malformed(problem: "'\(written)' is hexadecimal", hint: figureNotStatedHint)
    }
    return nil
}

/// Whether the digits have an exponent or spaces between them; nil when anything else is
/// among them, so the cell is words.
private func scanSeparators(_ body: [Unicode.Scalar]) -> (exponent: Bool, spaced: Bool)? {
    var spaced = false
    var index = 0
    while index < body.count {
        let c = body[index]
        index += 1
        if c.isASCIIDigitScalar || c == "," || c == "." { continue }
        if c == "\u{A0}" || c == "\u{202F}" || c == "\u{2009}" || c == "_" {
            spaced = true
            continue
        }
        guard c == "e" || c == "E", index >= 2, body[index - 2].isASCIIDigitScalar else { return nil }
        var next = index
        if next < body.count && (body[next] == "+" || body[next] == "-") { next += 1 }
        guard next < body.count, body[next...].allSatisfy(\.isASCIIDigitScalar) else { return nil }
        return (true, spaced)
    }
    return (false, spaced)
}

/// A decimal point or thousands commas in the wrong places.
private func separatorProblem(integer: Substring, fraction: Substring?, written: String) -> CellReading? {
    if integer.isEmpty || fraction?.isEmpty == true {
        return .malformed(
            problem: "'\(written)' has no digit on one side of its decimal point",
            hint: "write 0.5 rather than .5, and 5 rather than 5.")
    }
    if fraction?.contains(",") == true {
        return .malformed(
            problem: "'\(written)' has a comma after its decimal point",
            hint: "the decimal separator is '.', and commas separate thousands: 1,113.5")
    }
    let groups = integer.split(separator: ",", omittingEmptySubsequences: false)
    if groups.count > 1
        && !(groups[0].count <= 3 && !groups[0].isEmpty && groups.dropFirst().allSatisfy { $0.count == 3 })
    {
        return .malformed(
            problem: "'\(written)' has thousands commas in the wrong places",
            hint:
                "put a comma every three digits from the right (1,113 or 410,000) or none (1113); a decimal point is '.'"
        )
    }
    return nil
}

extension Unicode.Scalar {
    var isASCIIDigitScalar: Bool { ("0"..."9").contains(self) }
}
