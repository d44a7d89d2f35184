/// A character as an author can search for it: `U+00A0 NO-BREAK SPACE`. Invisible and
/// look-alike characters are the usual cause of text that is not read as it looks.
public func characterName(_ scalar: Unicode.Scalar) -> String {
    let code = String(scalar.value, radix: 16, uppercase: true)
    let padded = "U+" + String(repeating: "0", count: max(0, 4 - code.count)) + code
    if let name = scalar.properties.name ?? scalar.properties.nameAlias { return "\(padded) \(name)" }
    switch scalar.properties.generalCategory {
    case .control: return "\(padded) (a control character)"
    case .privateUse: return "\(padded) (a private-use character, as Word's Symbol font writes bullets)"
    default: return padded
    }
}
