/// "Did you mean ...?" hints: the closest candidate by edit distance, if it is close enough to help.
public func closestMatch(to word: String, in candidates: some Sequence<String>) -> String? {
    let target = Array(word.lowercased().unicodeScalars)
    var best: (String, Int)?
    for candidate in candidates {
        let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars))
        if best == nil || distance < best!.1 || (distance == best!.1 && candidate < best!.0) {
            best = (candidate, distance)
        }
    }
    guard let (match, distance) = best else { return nil }
    // Allow roughly one typo per three characters; beyond that the hint would mislead.
    return distance <= max(2, target.count / 3) ? match : nil
}

/// A hint sentence for an unknown name, or a list of what is allowed when nothing is close.
public func didYouMean(_ word: String, in candidates: [String], listing: Bool = true) -> String? {
    if let match = closestMatch(to: word, in: candidates) { return "did you mean '\(match)'?" }
    guard listing, !candidates.isEmpty else { return nil }
    let sorted = candidates.sorted()
    let shown = sorted.prefix(8).map { "'\($0)'" }.joined(separator: ", ")
    return "known: \(shown)\(sorted.count > 8 ? ", …" : "")"
}

func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
