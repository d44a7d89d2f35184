/// Writes a number's decimal digits straight into a byte buffer: no String on the way.
package func appendDecimal(_ number: Int64, to out: inout [UInt8]) {
    if number < 0 { out.append(0x2D) }
    var magnitude = number.magnitude
    var divisor: UInt64 = 1
    while magnitude / divisor >= 10 { divisor *= 10 }
    repeat {
        out.append(UInt8(magnitude / divisor) + 0x30)
        magnitude %= divisor
        divisor /= 10
    } while divisor > 0
}
