/// ASCII bytes by name, for the code that reads and writes UTF-8 a byte at a time (parsers,
/// escapers, the template engine): `bytes[i] == ASCII.lessThan` reads where `0x3C` would not.
/// Inlinable, so every target compares against the literal as before, with no call (and so the
/// inlinable helpers below, which may not name package declarations, spell their bytes out).
package enum ASCII {
    @inlinable package static var tab: UInt8 { 0x09 }
    @inlinable package static var newline: UInt8 { 0x0A }
    @inlinable package static var carriageReturn: UInt8 { 0x0D }
    @inlinable package static var space: UInt8 { 0x20 }
    @inlinable package static var exclamationMark: UInt8 { 0x21 }
    @inlinable package static var quote: UInt8 { 0x22 }
    @inlinable package static var hash: UInt8 { 0x23 }
    @inlinable package static var dollar: UInt8 { 0x24 }
    @inlinable package static var percent: UInt8 { 0x25 }
    @inlinable package static var ampersand: UInt8 { 0x26 }
    @inlinable package static var apostrophe: UInt8 { 0x27 }
    @inlinable package static var openParenthesis: UInt8 { 0x28 }
    @inlinable package static var asterisk: UInt8 { 0x2A }
    @inlinable package static var plus: UInt8 { 0x2B }
    @inlinable package static var comma: UInt8 { 0x2C }
    @inlinable package static var hyphen: UInt8 { 0x2D }
    @inlinable package static var period: UInt8 { 0x2E }
    @inlinable package static var slash: UInt8 { 0x2F }
    @inlinable package static var zero: UInt8 { 0x30 }
    @inlinable package static var nine: UInt8 { 0x39 }
    @inlinable package static var colon: UInt8 { 0x3A }
    @inlinable package static var semicolon: UInt8 { 0x3B }
    @inlinable package static var lessThan: UInt8 { 0x3C }
    @inlinable package static var greaterThan: UInt8 { 0x3E }
    @inlinable package static var questionMark: UInt8 { 0x3F }
    @inlinable package static var at: UInt8 { 0x40 }
    @inlinable package static var upperE: UInt8 { 0x45 }
    @inlinable package static var upperL: UInt8 { 0x4C }
    @inlinable package static var openBracket: UInt8 { 0x5B }
    @inlinable package static var backslash: UInt8 { 0x5C }
    @inlinable package static var closeBracket: UInt8 { 0x5D }
    @inlinable package static var underscore: UInt8 { 0x5F }
    @inlinable package static var lowerN: UInt8 { 0x6E }
    @inlinable package static var lowerO: UInt8 { 0x6F }
    @inlinable package static var lowerS: UInt8 { 0x73 }
    @inlinable package static var lowerT: UInt8 { 0x74 }
    @inlinable package static var openBrace: UInt8 { 0x7B }
    @inlinable package static var closeBrace: UInt8 { 0x7D }
    @inlinable package static var tilde: UInt8 { 0x7E }
    @inlinable package static var delete: UInt8 { 0x7F }

    @inlinable package static var digits: ClosedRange<UInt8> { 0x30...0x39 }
    @inlinable package static var uppercase: ClosedRange<UInt8> { 0x41...0x5A }
    @inlinable package static var lowercase: ClosedRange<UInt8> { 0x61...0x7A }
    /// Control characters below the space.
    @inlinable package static var controls: ClosedRange<UInt8> { 0x00...0x1F }
}

/// The bytes of UTF-8's own structure.
package enum UTF8Byte {
    /// Every byte from here up belongs to a character beyond ASCII.
    @inlinable package static var firstNonASCII: UInt8 { 0x80 }
    /// The byte order mark some editors put first in a file.
    @inlinable package static var byteOrderMark: [UInt8] { [0xEF, 0xBB, 0xBF] }
    /// The first of the three bytes of U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR,
    /// which end a line in JavaScript source.
    @inlinable package static var separatorLead: UInt8 { 0xE2 }
    @inlinable package static var separatorMiddle: UInt8 { 0x80 }
    @inlinable package static var lineSeparatorLast: UInt8 { 0xA8 }
    @inlinable package static var paragraphSeparatorLast: UInt8 { 0xA9 }
}

/// Whether a byte continues a character begun before it (10xxxxxx): counting the bytes that are
/// not continuations counts characters, for columns.
@inlinable package func isUTF8Continuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

@inlinable package func isASCIIDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }  // ASCII.digits
@inlinable package func isASCIIUppercase(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) }  // ASCII.uppercase
@inlinable package func isASCIILowercase(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }  // ASCII.lowercase
@inlinable package func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    isASCIILowercase(byte) || isASCIIUppercase(byte) || isASCIIDigit(byte)
}

/// Spaces and tabs, the blanks inside a line.
@inlinable package func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }  // space, tab

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
