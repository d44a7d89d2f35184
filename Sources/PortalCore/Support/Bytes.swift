/// ASCII bytes by name, for the code that reads and writes UTF-8 a byte at a time (parsers,
/// escapers, the template engine): `bytes[i] == ASCII.lessThan` reads where `0x3C` would not.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let exclamationMark: UInt8 = 0x21
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let dollar: UInt8 = 0x24
    static let percent: UInt8 = 0x25
    static let ampersand: UInt8 = 0x26
    static let apostrophe: UInt8 = 0x27
    static let openParenthesis: UInt8 = 0x28
    static let asterisk: UInt8 = 0x2A
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let hyphen: UInt8 = 0x2D
    static let period: UInt8 = 0x2E
    static let slash: UInt8 = 0x2F
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let lessThan: UInt8 = 0x3C
    static let greaterThan: UInt8 = 0x3E
    static let questionMark: UInt8 = 0x3F
    static let at: UInt8 = 0x40
    static let upperE: UInt8 = 0x45
    static let upperL: UInt8 = 0x4C
    static let openBracket: UInt8 = 0x5B
    static let backslash: UInt8 = 0x5C
    static let closeBracket: UInt8 = 0x5D
    static let underscore: UInt8 = 0x5F
    static let lowerN: UInt8 = 0x6E
    static let lowerO: UInt8 = 0x6F
    static let lowerS: UInt8 = 0x73
    static let lowerT: UInt8 = 0x74
    static let openBrace: UInt8 = 0x7B
    static let closeBrace: UInt8 = 0x7D
    static let tilde: UInt8 = 0x7E
    static let delete: UInt8 = 0x7F

    static let digits: ClosedRange<UInt8> = 0x30...0x39
    static let uppercase: ClosedRange<UInt8> = 0x41...0x5A
    static let lowercase: ClosedRange<UInt8> = 0x61...0x7A
    /// Control characters below the space.
    static let controls: ClosedRange<UInt8> = 0x00...0x1F
}

/// The bytes of UTF-8's own structure.
enum UTF8Byte {
    /// Every byte from here up belongs to a character beyond ASCII.
    static let firstNonASCII: UInt8 = 0x80
    /// The byte order mark some editors put first in a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    /// The first of the three bytes of U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR,
    /// which end a line in JavaScript source.
    static let separatorLead: UInt8 = 0xE2
    static let separatorMiddle: UInt8 = 0x80
    static let lineSeparatorLast: UInt8 = 0xA8
    static let paragraphSeparatorLast: UInt8 = 0xA9
}

/// Whether a byte continues a character begun before it (10xxxxxx): counting the bytes that are
/// not continuations counts characters, for columns.
@inline(__always) func isUTF8Continuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

@inline(__always) func isASCIIDigit(_ byte: UInt8) -> Bool { ASCII.digits.contains(byte) }
@inline(__always) func isASCIIUppercase(_ byte: UInt8) -> Bool { ASCII.uppercase.contains(byte) }
@inline(__always) func isASCIILowercase(_ byte: UInt8) -> Bool { ASCII.lowercase.contains(byte) }
@inline(__always) func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
    isASCIILowercase(byte) || isASCIIUppercase(byte) || isASCIIDigit(byte)
}

/// Spaces and tabs, the blanks inside a line.
@inline(__always) func isBlank(_ byte: UInt8) -> Bool { byte == ASCII.space || byte == ASCII.tab }

/// Writes a number's decimal digits straight into a byte buffer: no String on the way.
func appendDecimal(_ number: Int64, to out: inout [UInt8]) {
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
