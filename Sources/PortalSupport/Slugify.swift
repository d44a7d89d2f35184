import Foundation

/// "Roads Safety (Fatal 4)" becomes "roads-safety-fatal-4": lower-case ASCII letters and digits,
/// accents dropped, every other run of characters one hyphen.
public func slugify(_ name: String) -> String {
    let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: nil)
        .lowercased()
    var slug = ""
    var pendingHyphen = false
    for scalar in folded.unicodeScalars {
        if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
            if pendingHyphen && !slug.isEmpty { slug += "-" }
            slug.unicodeScalars.append(scalar)
            pendingHyphen = false
        } else if scalar != "'" && scalar != "’" {
            pendingHyphen = true
        }
    }
    return slug
}
