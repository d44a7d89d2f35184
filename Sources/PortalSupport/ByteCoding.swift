/// LEB128's bit masks: each byte carries seven bits of the number, the high bit set while more follow.
@usableFromInline let leb128More: UInt8 = 0x80
@usableFromInline let leb128Payload: UInt8 = 0x7F

/// A compact binary form for the caches a build keeps between runs: integers as LEB128
/// varints, strings as a length and their UTF-8 bytes. Plain bytes, no schema: the reader is the
/// writer's mirror, and every read is bounds-checked, so a short or foreign file fails to decode
/// (`ByteReader.Malformed`) rather than crashing or giving wrong values.
public struct ByteWriter {
    public var bytes: [UInt8] = []

    @inlinable public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inlinable public mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= UInt64(leb128More) {
            bytes.append(UInt8(truncatingIfNeeded: value) | leb128More)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    /// Zigzag, so small negative numbers stay short too.
    @inlinable public mutating func int(_ value: Int) {
        unsigned(UInt64(bitPattern: Int64((value << 1) ^ (value >> (Int.bitWidth - 1)))))
    }

    @inlinable public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    @inlinable public mutating func fixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable public mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    @inlinable public mutating func raw(_ value: some Collection<UInt8>) { bytes.append(contentsOf: value) }

    /// A present flag, then the value.
    @inlinable public mutating func optional<Value>(_ value: Value?, _ write: (inout ByteWriter, Value) -> Void) {
        bool(value != nil)
        if let value { write(&self, value) }
    }

    @inlinable public mutating func array<Element>(_ values: [Element], _ write: (inout ByteWriter, Element) -> Void) {
        unsigned(UInt64(values.count))
        for value in values { write(&self, value) }
    }
}

/// Reads what `ByteWriter` wrote, from a borrowed buffer; throws `Malformed` at the first byte
/// that does not fit.
public struct ByteReader {
    public struct Malformed: Error {
        @inlinable public init() {}
    }

    @usableFromInline let buffer: UnsafeRawBufferPointer
    public var offset: Int
    /// What keeps `buffer` alive (a mapped cache file): set, `deferredString` leaves text in the
    /// buffer until it is asked for, instead of copying it out.
    public var owner: AnyObject?

    @inlinable public init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0, owner: AnyObject? = nil) {
        self.buffer = buffer
        self.offset = offset
        self.owner = owner
    }

    @inlinable public var isAtEnd: Bool { offset == buffer.count }

    @inlinable public mutating func byte() throws -> UInt8 {
        guard offset < buffer.count else { throw Malformed() }
        defer { offset += 1 }
        return buffer[offset]
    }

    @inlinable public mutating func unsigned() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw Malformed() }
            value |= UInt64(byte & leb128Payload) << shift
            if byte < leb128More { return value }
            shift += 7
        }
    }

    @inlinable public mutating func int() throws -> Int {
        let raw = try unsigned()
        return Int(truncatingIfNeeded: Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1))))
    }

    /// A count of things still to come, each at least one byte: a count larger than the bytes
    /// left is a foreign file, refused before anything is reserved for it.
    @inlinable public mutating func count() throws -> Int {
        let value = try unsigned()
        guard value <= UInt64(buffer.count - offset) else { throw Malformed() }
        return Int(value)
    }

    @inlinable public mutating func bool() throws -> Bool {
        switch try byte() {
        case 0: return false
        case 1: return true
        default: throw Malformed()
        }
    }

    @inlinable public mutating func fixed64() throws -> UInt64 {
        guard buffer.count - offset >= 8 else { throw Malformed() }
        defer { offset += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    @inlinable public mutating func bytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, buffer.count - offset >= count else { throw Malformed() }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
    }

    /// The writer only ever wrote Swift strings, and the caches check their bytes with a checksum
    /// before decoding, so this decodes without the failable validation (`String(validating:)`
    /// was a tenth of a rebuild); bytes that are not UTF-8 would be repaired, never read wrongly.
    @inlinable public mutating func string() throws -> String {
        let utf8 = try bytes(count())
        return String(decoding: utf8.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
    }

    /// The bytes from `start` to where the reader is now: what a read just went over.
    @inlinable public func bytesRead(from start: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[start..<offset])
    }

    /// A string as `string` reads it, left in the buffer while it has an `owner`.
    package mutating func deferredString() throws -> DeferredText {
        guard let owner else { return .text(try string()) }
        return .mapped(owner: owner, bytes: try bytes(count()))
    }

    /// The bytes `read` goes over, checked by it but not kept: for a part of a cache entry that is
    /// decoded only if asked for (`DeferredText`, `ParsedBody.blocks`).
    package mutating func skipped(_ read: (inout ByteReader) throws -> Void) throws -> UnsafeRawBufferPointer {
        let start = offset
        try read(&self)
        return UnsafeRawBufferPointer(rebasing: buffer[start..<offset])
    }

    @inlinable public mutating func optional<Value>(_ read: (inout ByteReader) throws -> Value) throws -> Value? {
        try bool() ? read(&self) : nil
    }

    @inlinable public mutating func array<Element>(_ read: (inout ByteReader) throws -> Element) throws -> [Element] {
        let count = try count()
        var values: [Element] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }
}

/// The bytes of a cache file written as a body then the `contentHash` of it (`fixed64`), handed
/// to `decode` only when the checksum holds: a short or damaged file is nil, never misread.
package func withCheckedBody<Value>(_ bytes: [UInt8], _ decode: (UnsafeRawBufferPointer) -> Value?) -> Value? {
    bytes.withUnsafeBytes { withCheckedBody($0, decode) }
}

/// The same, of bytes in memory (a mapped file's).
package func withCheckedBody<Value>(_ buffer: UnsafeRawBufferPointer, _ decode: (UnsafeRawBufferPointer) -> Value?)
    -> Value?
{
    guard buffer.count >= 8 else { return nil }
    let body = UnsafeRawBufferPointer(rebasing: buffer[..<(buffer.count - 8)])
    var trailer = ByteReader(buffer, offset: buffer.count - 8)
    guard (try? trailer.fixed64()) == contentHash(body) else { return nil }
    return decode(body)
}

// Locations and diagnostics, which every cached stage carries. A location's file is nearly always
// the source being coded (`file`): written as a flag then, so a decoded location shares that
// string rather than allocating its own copy.
extension ByteWriter {
    package mutating func location(_ location: SourceLocation, in file: String) {
        let isSame = location.file == file
        bool(isSame)
        if !isSame { string(location.file) }
        int(location.line)
        int(location.column)
    }

    package mutating func diagnostic(_ diagnostic: Diagnostic, in file: String) {
        bool(diagnostic.severity == .error)
        string(diagnostic.code)
        string(diagnostic.message)
        optional(diagnostic.hint) { $0.string($1) }
        location(diagnostic.location, in: file)
    }
}

extension ByteReader {
    package mutating func location(in file: String) throws -> SourceLocation {
        let path = try bool() ? file : string()
        return SourceLocation(file: path, line: try int(), column: try int())
    }

    package mutating func diagnostic(in file: String) throws -> Diagnostic {
        let severity: Diagnostic.Severity = try bool() ? .error : .warning
        let code = try string()
        let message = try string()
        let hint = try optional { try $0.string() }
        return Diagnostic(severity, code, message, hint: hint, at: try location(in: file))
    }
}

/// A string from a cache file, kept as its bytes in the mapped file (`owner` keeps the mapping)
/// until it is asked for: a rebuild reads the texts of the few pages it renders, so the rest of
/// a large site's text is never copied out (each decode makes a new `String`). Equal by value.
package enum DeferredText: @unchecked Sendable, Hashable {
    case text(String)
    /// UTF-8 bytes a checksum has vouched for; `owner` holds the memory they are in.
    case mapped(owner: AnyObject, bytes: UnsafeRawBufferPointer)

    package var value: String {
        switch self {
        case .text(let text): return text
        case .mapped(_, let bytes): return String(decoding: bytes.assumingMemoryBound(to: UInt8.self), as: UTF8.self)
        }
    }

    /// The number of UTF-8 bytes, without making a string of mapped ones.
    package var utf8Count: Int {
        switch self {
        case .text(let text): return text.utf8.count
        case .mapped(_, let bytes): return bytes.count
        }
    }

    /// `contentHash` of the UTF-8 bytes, without making a string of mapped ones.
    package var utf8Hash: UInt64 {
        switch self {
        case .text(var text): return text.withUTF8 { contentHash(UnsafeRawBufferPointer($0)) }
        case .mapped(_, let bytes): return contentHash(bytes)
        }
    }

    package static func == (a: DeferredText, b: DeferredText) -> Bool { a.value == b.value }
    package func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// Shown as the text, wherever it is kept, so a value read from the cache prints as the parsed one.
extension DeferredText: CustomDebugStringConvertible {
    package var debugDescription: String { value.debugDescription }
}
