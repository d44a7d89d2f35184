/// ASCII bytes by name, for the code that reads and writes UTF-8 a byte at a time (parsers,
/// escapers, the template engine): `bytes[i] == ASCII.lessThan` reads where `0x3C` would not.
/// Public and inlinable, so every target compares against the literal, with no call: `package`
/// inlinable code is not inlined across targets, and those calls were a tenth of a full build's
/// instructions. (The inlinable helpers below spell their bytes out for the same reason.)
public enum ASCII {
    @inlinable public static var tab: UInt8 { 0x09 }
    @inlinable public static var newline: UInt8 { 0x0A }
    @inlinable public static var carriageReturn: UInt8 { 0x0D }
    @inlinable public static var space: UInt8 { 0x20 }
    @inlinable public static var exclamationMark: UInt8 { 0x21 }
    @inlinable public static var quote: UInt8 { 0x22 }
    @inlinable public static var hash: UInt8 { 0x23 }
    @inlinable public static var dollar: UInt8 { 0x24 }
    @inlinable public static var percent: UInt8 { 0x25 }
    @inlinable public static var ampersand: UInt8 { 0x26 }
    @inlinable public static var apostrophe: UInt8 { 0x27 }
    @inlinable public static var openParenthesis: UInt8 { 0x28 }
    @inlinable public static var asterisk: UInt8 { 0x2A }
    @inlinable public static var plus: UInt8 { 0x2B }
    @inlinable public static var comma: UInt8 { 0x2C }
    @inlinable public static var hyphen: UInt8 { 0x2D }
    @inlinable public static var period: UInt8 { 0x2E }
    @inlinable public static var slash: UInt8 { 0x2F }
    @inlinable public static var zero: UInt8 { 0x30 }
    @inlinable public static var nine: UInt8 { 0x39 }
    @inlinable public static var colon: UInt8 { 0x3A }
    @inlinable public static var semicolon: UInt8 { 0x3B }
    @inlinable public static var lessThan: UInt8 { 0x3C }
    @inlinable public static var greaterThan: UInt8 { 0x3E }
    @inlinable public static var questionMark: UInt8 { 0x3F }
    @inlinable public static var at: UInt8 { 0x40 }
    @inlinable public static var upperA: UInt8 { 0x41 }
    @inlinable public static var upperE: UInt8 { 0x45 }
    @inlinable public static var upperL: UInt8 { 0x4C }
    @inlinable public static var openBracket: UInt8 { 0x5B }
    @inlinable public static var backslash: UInt8 { 0x5C }
    @inlinable public static var closeBracket: UInt8 { 0x5D }
    @inlinable public static var underscore: UInt8 { 0x5F }
    @inlinable public static var lowerA: UInt8 { 0x61 }
    @inlinable public static var lowerN: UInt8 { 0x6E }
    @inlinable public static var lowerO: UInt8 { 0x6F }
    @inlinable public static var lowerS: UInt8 { 0x73 }
    @inlinable public static var lowerT: UInt8 { 0x74 }
    @inlinable public static var openBrace: UInt8 { 0x7B }
    @inlinable public static var closeBrace: UInt8 { 0x7D }
    @inlinable public static var tilde: UInt8 { 0x7E }
    @inlinable public static var delete: UInt8 { 0x7F }

    @inlinable public static var digits: ClosedRange<UInt8> { 0x30...0x39 }
    @inlinable public static var uppercase: ClosedRange<UInt8> { 0x41...0x5A }
    @inlinable public static var lowercase: ClosedRange<UInt8> { 0x61...0x7A }
    /// Control characters below the space.
    @inlinable public static var controls: ClosedRange<UInt8> { 0x00...0x1F }
}

/// The bytes of UTF-8's own structure.
public enum UTF8Byte {
    /// Every byte from here up belongs to a character beyond ASCII.
    @inlinable public static var firstNonASCII: UInt8 { 0x80 }
    /// The byte order mark some editors put first in a file.
    @inlinable public static var byteOrderMark: [UInt8] { [0xEF, 0xBB, 0xBF] }
    /// The first of the three bytes of U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR,
    /// which end a line in JavaScript source.
    @inlinable public static var separatorLead: UInt8 { 0xE2 }
    @inlinable public static var separatorMiddle: UInt8 { 0x80 }
    @inlinable public static var lineSeparatorLast: UInt8 { 0xA8 }
    @inlinable public static var paragraphSeparatorLast: UInt8 { 0xA9 }
}

/// Whether a byte continues a character begun before it (10xxxxxx): counting the bytes that are
/// not continuations counts characters, for columns.
@inlinable public func isUTF8Continuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

@inlinable public func isASCIIDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }  // ASCII.digits
@inlinable public func isASCIIUppercase(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }  // ASCII.uppercase
@inlinable public func isASCIILowercase(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }  // ASCII.lowercase
@inlinable public func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    isASCIILowercase(byte) || isASCIIUppercase(byte) || isASCIIDigit(byte)
}

/// Spaces and tabs, the blanks inside a line.
@inlinable public func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }  // space, tab

/// `String(number, radix: 16)`'s digits, appended without making the string.
package func appendHex(_ number: UInt64, to out: inout [UInt8]) {
    var shift = 60
    while shift > 0 && (number >> UInt64(shift)) & 0xF == 0 { shift -= 4 }
    while shift >= 0 {
        let digit = UInt8((number >> UInt64(shift)) & 0xF)
        out.append(digit < 10 ? ASCII.zero + digit : ASCII.lowerA + digit - 10)
        shift -= 4
    }
}

/// Writes a number's decimal digits straight into a byte buffer: no String on the way.
package func appendDecimal(_ number: Int64, to out: inout [UInt8]) {
    if number < 0 { out.append(ASCII.hyphen) }
    var magnitude = number.magnitude
    var divisor: UInt64 = 1
    while magnitude / divisor >= 10 { divisor *= 10 }
    repeat {
        out.append(UInt8(magnitude / divisor) + ASCII.zero)
        magnitude %= divisor
        divisor /= 10
    } while divisor > 0
}
