import PortalSupport

/// What changed between two editions: paragraphs matched by their text (never by their number,
/// which a renumbering changes), figures by section and label, table cells by table, row and
/// column, and what the new edition says of the old one's dated commitments. Pure functions of two
/// snapshots, so a recorded edition's changes are computed exactly like the current one's.

/// A run of words a changed paragraph keeps, gains or loses.
public struct WordRun: Sendable, Equatable {
    public enum Kind: String, Sendable { case equal, inserted, deleted }
    public var kind: Kind
    /// The run's words, joined by single spaces, punctuation against its word as written.
    public var text: String
    /// Whether a space separates the run from the one before: not for punctuation written
    /// against the word before it ("this" then ", in a new edition,").
    public var spaceBefore: Bool

    public init(_ kind: Kind, _ text: String, spaceBefore: Bool = true) {
        self.kind = kind
        self.text = text
        self.spaceBefore = spaceBefore
    }
}

/// One paragraph's fate between two editions.
public struct ParagraphChange: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Same text, same number.
        case unchanged
        /// Same text under another number (renumbered, or moved to another section).
        case moved
        /// Similar text: `difference` says how it differs.
        case changed
        case added, removed
    }
    public var kind: Kind
    /// The paragraph in the old edition (nil when added).
    public var old: EditionSnapshot.Paragraph?
    /// The paragraph in the new edition (nil when removed).
    public var new: EditionSnapshot.Paragraph?
    /// For `changed`: the word-level difference from old to new.
    public var difference: [WordRun] = []

    /// The section it is in now, or was in when removed.
    public var section: String { new?.section ?? old!.section }
}

/// A key figure or table cell whose value differs; `old` nil when added, `new` nil when removed.
public struct ValueChange: Sendable, Equatable {
    public enum Item: Sendable, Equatable, Hashable {
        /// A section's key figure, named by its label.
        case figure(section: String, label: String)
        case cell(table: String, row: String, column: String)
    }
    public var item: Item
    /// The table's caption, for a cell (the new one, or the old one when removed).
    public var caption: String?
    public var old: String?
    public var new: String?
    /// The paragraph stating it, in each edition (figures only).
    public var oldParagraph: Int?
    public var newParagraph: Int?
}

/// A dated commitment of the old edition, and what the new one says of it.
public struct CommitmentFollowUp: Sendable, Equatable {
    public var commitment: EditionSnapshot.Commitment
    /// Whether the new edition still lists a commitment with this id.
    public var stillListed: Bool
    /// The new edition's `status:` for it; nil when it gives none (never guessed).
    public var status: String?
    /// Where the new edition states it, when still listed.
    public var newParagraph: Int?
}

/// A numeric figure or cell across three or more editions, oldest first, that changed at least once.
public struct Trend: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        /// The edition's label: its id, or the current edition's label.
        public var edition: String
        /// As the page shows it.
        public var value: String
        public var number: Double
    }
    public var item: ValueChange.Item
    public var caption: String?
    public var points: [Point]
}

/// A paragraph number that holds entirely different text from the previous edition's paragraph
/// of that number, and where that text went: a citation by number may now mean something else.
public struct RenumberedParagraph: Sendable, Equatable {
    public var number: Int
    public var previousText: String
    public var currentText: String
    /// The number the previous edition's text has now; nil when it was removed (or rewritten
    /// beyond recognition).
    public var previousTextNowAt: Int?
    /// When the previous text was edited as well as renumbered.
    public var previousTextChanged: Bool
}

/// Everything that changed from one edition to the next.
public struct EditionChanges: Sendable, Equatable {
    /// Every paragraph of either edition, unchanged ones too: new ones in number order, then the
    /// removed ones in theirs.
    public internal(set) var paragraphs: [ParagraphChange] = [] { didSet { positions = Positions(paragraphs) } }
    public var figures: [ValueChange] = []
    public var cells: [ValueChange] = []
    /// The old edition's dated commitments, in its order.
    public var commitments: [CommitmentFollowUp] = []
    /// Filled by `resolveSite` over every edition up to this one (empty for fewer than three).
    public var trends: [Trend] = []
    /// The old edition's sections by slug, for its pages' addresses and titles.
    public internal(set) var previousSections: [String: EditionSnapshot.Section] = [:]

    /// Where each paragraph is in `paragraphs`, by number and by section: a site of 10,000
    /// sections asks for each section's changes, and the renumbering check for each citation.
    private var positions = Positions([])

    private struct Positions: Sendable, Equatable {
        var new: [Int: Int] = [:]
        var old: [Int: Int] = [:]
        /// The visible changes touching each section (now in it, or in it before).
        var bySection: [String: [Int]] = [:]

        init(_ paragraphs: [ParagraphChange]) {
            for (position, change) in paragraphs.enumerated() {
                if let number = change.new?.number { new[number] = position }
                if let number = change.old?.number { old[number] = position }
                guard change.kind != .unchanged else { continue }
                let sections = [change.new?.section, change.old?.section].compactMap { $0 }
                for (index, section) in sections.enumerated() where index == 0 || section != sections[0] {
                    bySection[section, default: []].append(position)
                }
            }
        }
    }

    public init() {}

    /// The changes a reader is shown: everything but unchanged paragraphs.
    public var visibleParagraphs: [ParagraphChange] { paragraphs.filter { $0.kind != .unchanged } }

    /// The changes touching a section: paragraphs now in it, or that were in it before.
    public func paragraphs(inSection slug: String) -> [ParagraphChange] {
        (positions.bySection[slug] ?? []).map { paragraphs[$0] }
    }

    /// How many paragraphs of a section changed, were added, removed or moved into it.
    public func counts(inSection slug: String) -> (changed: Int, added: Int, removed: Int, moved: Int) {
        var counts = (changed: 0, added: 0, removed: 0, moved: 0)
        for change in paragraphs(inSection: slug) where change.section == slug {
            switch change.kind {
            case .changed: counts.changed += 1
            case .added: counts.added += 1
            case .removed: counts.removed += 1
            case .moved: counts.moved += 1
            case .unchanged: break
            }
        }
        return counts
    }

    /// The old edition's paragraph with this number.
    public func previousParagraph(_ number: Int) -> EditionSnapshot.Paragraph? {
        positions.old[number].flatMap { paragraphs[$0].old }
    }

    /// Whether paragraph `number` now holds entirely different text from the old edition's
    /// paragraph `number`, and where the old text went. Nil when either edition lacks the number,
    /// or the number still holds the same (or edited) text.
    public func renumbering(of number: Int) -> RenumberedParagraph? {
        guard let now = positions.new[number].map({ paragraphs[$0] }),
            let before = positions.old[number].map({ paragraphs[$0] })
        else { return nil }
        if now.old?.number == number { return nil }
        return RenumberedParagraph(
            number: number, previousText: before.old!.text, currentText: now.new!.text,
            previousTextNowAt: before.new?.number, previousTextChanged: before.kind == .changed)
    }
}

/// Compares two editions' snapshots (see the file's opening).
public func compareEditions(old: EditionSnapshot, new: EditionSnapshot) -> EditionChanges {
    var changes = EditionChanges()
    changes.paragraphs = matchParagraphs(old: old.paragraphs, new: new.paragraphs)
    changes.previousSections = Dictionary(old.sections.map { ($0.slug, $0) }, uniquingKeysWith: { first, _ in first })
    changes.figures = valueChanges(
        old: old.figures.map(figureEntry), new: new.figures.map(figureEntry))
    changes.cells = valueChanges(old: old.cells.map(cellEntry), new: new.cells.map(cellEntry))
    let newCommitments = Dictionary(new.commitments.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    changes.commitments = old.commitments.filter { $0.due != nil }.map { commitment in
        let now = newCommitments[commitment.id]
        return CommitmentFollowUp(
            commitment: commitment, stillListed: now != nil, status: now?.status, newParagraph: now?.paragraph)
    }
    return changes
}

// MARK: Paragraphs

/// Two paragraphs whose word tokens overlap by at least this much (Dice's coefficient over word
/// multisets) are the same paragraph edited. Chosen because an edit of a sentence or two in a
/// board paper's paragraph (three to six sentences) keeps 60 to 90 per cent of its words, while
/// two different paragraphs of one report, sharing its subject and function words ("the", "of",
/// "force"), score 0.17 (the median) and at most 0.44 on the shipped report's 149 paragraphs (a
/// test checks it stays under); 0.5 sits between, and a rewrite below it is reported as removed
/// and added, which is what it is to a reader.
let similarityThreshold = 0.5

/// How much a candidate pair in the same section is preferred over one across sections: enough to
/// break near-ties, too little to pair a poor match over a good one.
private let sameSectionBonus = 0.05

/// At most about this many pairs are scored by similarity. Between two editions of a board paper a
/// few dozen paragraphs are edited, so every pair across the report is scored (150 by 150 is
/// 22,500); beyond it, as when an edition is compared with a wholly different report, only pairs
/// within one section are, and within a section too large for that, only pairs near the same
/// place in it, so the comparison stays linear in the report's size.
private let pairLimit = 40_000

private func matchParagraphs(
    old: [EditionSnapshot.Paragraph], new: [EditionSnapshot.Paragraph]
) -> [ParagraphChange] {
    var oldFor: [Int?] = Array(repeating: nil, count: new.count)
    var oldTaken = Array(repeating: false, count: old.count)
    // 1. Identical text: the same number first, then the earliest paragraph with that text.
    // The same number with the same text, as written, is most of a new edition and needs no
    // normalising.
    let oldByNumber = Dictionary(old.indices.map { (old[$0].number, $0) }, uniquingKeysWith: { first, _ in first })
    for (newIndex, paragraph) in new.enumerated() {
        if let oldIndex = oldByNumber[paragraph.number], !oldTaken[oldIndex], old[oldIndex].text == paragraph.text {
            oldFor[newIndex] = oldIndex
            oldTaken[oldIndex] = true
        }
    }
    var byText: [String: [Int]] = [:]
    // Only texts that may be equal but for whitespace are normalised.
    var printable = Set<UInt64>()
    for index in old.indices where !oldTaken[index] {
        byText[normalisedText(old[index].text), default: []].append(index)
        printable.insert(printableASCIIHash(old[index].text))
    }
    for (newIndex, paragraph) in new.enumerated()
    where oldFor[newIndex] == nil && !printable.isEmpty && printable.contains(printableASCIIHash(paragraph.text)) {
        let text = normalisedText(paragraph.text)
        guard var candidates = byText[text], !candidates.isEmpty else { continue }
        let pick = candidates.firstIndex { old[$0].number == paragraph.number } ?? 0
        let oldIndex = candidates.remove(at: pick)
        byText[text] = candidates
        oldFor[newIndex] = oldIndex
        oldTaken[oldIndex] = true
    }
    // 2. Similar text, best pairs first.
    let looseOld = old.indices.filter { !oldTaken[$0] }
    let looseNew = new.indices.filter { oldFor[$0] == nil }
    var edited = Set<Int>()
    for (oldIndex, newIndex) in similarPairs(old: old, looseOld: looseOld, new: new, looseNew: looseNew) {
        oldFor[newIndex] = oldIndex
        oldTaken[oldIndex] = true
        edited.insert(newIndex)
    }
    var changes: [ParagraphChange] = new.indices.map { newIndex in
        let paragraph = new[newIndex]
        guard let oldIndex = oldFor[newIndex] else { return ParagraphChange(kind: .added, old: nil, new: paragraph) }
        let before = old[oldIndex]
        if edited.contains(newIndex) {
            return ParagraphChange(
                kind: .changed, old: before, new: paragraph,
                difference: wordDifference(from: before.text, to: paragraph.text))
        }
        return ParagraphChange(
            kind: before.number == paragraph.number ? .unchanged : .moved, old: before, new: paragraph)
    }
    changes += old.indices.filter { !oldTaken[$0] }.map { ParagraphChange(kind: .removed, old: old[$0], new: nil) }
    return changes
}

/// Greedy matching on the best score: each candidate pair over the threshold, the best first (a
/// same-section pair slightly preferred, then the pair nearest in order), each paragraph used once.
private func similarPairs(
    old: [EditionSnapshot.Paragraph], looseOld: [Int], new: [EditionSnapshot.Paragraph], looseNew: [Int]
) -> [(Int, Int)] {
    guard !looseOld.isEmpty, !looseNew.isEmpty else { return [] }
    // Every pair, or on a wholesale rewrite only the pairs within each section.
    var groups: [(old: [Int], new: [Int])] = [(looseOld, looseNew)]
    if looseOld.count * looseNew.count > pairLimit {
        var bySection: [String: (old: [Int], new: [Int])] = [:]
        for index in looseOld { bySection[old[index].section, default: ([], [])].old.append(index) }
        for index in looseNew { bySection[new[index].section, default: ([], [])].new.append(index) }
        groups = bySection.keys.sorted().map { bySection[$0]! }
    }
    // Counted once each, and only for paragraphs that are scored.
    var oldWords: [Int: [String: Int]] = [:]
    var newWords: [Int: [String: Int]] = [:]
    var candidates: [(score: Double, distance: Int, old: Int, new: Int)] = []
    for group in groups where !group.old.isEmpty && !group.new.isEmpty {
        // A band around the same relative place, when the whole group is too large to score.
        let band = max(1, pairLimit / max(group.old.count, group.new.count))
        for (i, oldIndex) in group.old.enumerated() {
            let a = oldWords[oldIndex] ?? wordCounts(old[oldIndex].text)
            oldWords[oldIndex] = a
            let centre = i * group.new.count / group.old.count
            for j in max(0, centre - band)..<min(group.new.count, centre + band + 1) {
                let newIndex = group.new[j]
                let b = newWords[newIndex] ?? wordCounts(new[newIndex].text)
                newWords[newIndex] = b
                let score = diceCoefficient(a, b)
                guard score >= similarityThreshold else { continue }
                let sameSection = old[oldIndex].section == new[newIndex].section
                candidates.append((score + (sameSection ? sameSectionBonus : 0), abs(i - j), oldIndex, newIndex))
            }
        }
    }
    candidates.sort { ($0.score, -$0.distance, -$0.old, -$0.new) > ($1.score, -$1.distance, -$1.old, -$1.new) }
    var usedOld = Set<Int>()
    var usedNew = Set<Int>()
    var pairs: [(Int, Int)] = []
    for candidate in candidates where !usedOld.contains(candidate.old) && !usedNew.contains(candidate.new) {
        usedOld.insert(candidate.old)
        usedNew.insert(candidate.new)
        pairs.append((candidate.old, candidate.new))
    }
    return pairs
}

/// Whitespace runs as one space, none at the ends: a reflowed paragraph is the same paragraph.
func normalisedText(_ text: String) -> String { words(text).joined(separator: " ") }

/// A hash of the text's printable ASCII bytes, in order: whitespace, of any kind, is never one,
/// so texts equal but for whitespace hash alike. A quick test before normalising: at 120,000
/// paragraphs against an edition of 150, normalising each (splitting it into words) was most of
/// the comparison, and a count of the bytes let a sixth of them through.
private func printableASCIIHash(_ text: String) -> UInt64 {
    var text = text
    return text.withUTF8 { utf8 in
        var hasher = StableHasher()
        var run = 0
        // Runs of printable bytes are hashed whole; the bytes between them are left out.
        for index in utf8.indices {
            let byte = utf8[index]
            if byte > ASCII.space && byte < ASCII.delete { continue }
            if index > run { hasher.combine(UnsafeBufferPointer(rebasing: utf8[run..<index])) }
            run = index + 1
        }
        if utf8.count > run { hasher.combine(UnsafeBufferPointer(rebasing: utf8[run..<utf8.count])) }
        return hasher.value
    }
}

/// The text's words as written, split at whitespace, so punctuation stays with its word.
func words(_ text: String) -> [Substring] {
    text.split(whereSeparator: { $0.isWhitespace })
}

/// Lower-cased words without their punctuation, counted, for the similarity score.
private func wordCounts(_ text: String) -> [String: Int] {
    var counts: [String: Int] = [:]
    for token in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
        counts[String(token), default: 0] += 1
    }
    return counts
}

/// 2|A∩B| / (|A|+|B|) over word multisets: 1 for the same words, 0 for none shared.
func diceCoefficient(_ a: [String: Int], _ b: [String: Int]) -> Double {
    let total = a.values.reduce(0, +) + b.values.reduce(0, +)
    guard total > 0 else { return 1 }
    let shared = a.reduce(0) { $0 + min($1.value, b[$1.key] ?? 0) }
    return Double(2 * shared) / Double(total)
}

/// Above this many cells, the middle of two long, very different texts is shown as deleted then
/// inserted whole rather than aligned word by word.
private let lcsCellLimit = 4_000_000

/// A word of a text as the difference compares it: punctuation at either end of a written word is
/// a token of its own, so "threat," keeps "threat" when only the comma changes.
struct DiffToken: Equatable {
    var text: Substring
    /// False for a token written against the one before it (punctuation).
    var spaceBefore: Bool
}

func diffTokens(_ text: String) -> [DiffToken] {
    var tokens: [DiffToken] = []
    for word in words(text) {
        var start = word.startIndex
        var end = word.endIndex
        var leading: [Substring] = []
        while start < end, word[start].isPunctuation {
            leading.append(word[start...start])
            start = word.index(after: start)
        }
        var trailing: [Substring] = []
        while end > start, word[word.index(before: end)].isPunctuation {
            end = word.index(before: end)
            trailing.insert(word[end...end], at: 0)
        }
        let pieces = leading + (start < end ? [word[start..<end]] : []) + trailing
        for (index, piece) in pieces.enumerated() { tokens.append(DiffToken(text: piece, spaceBefore: index == 0)) }
    }
    return tokens
}

/// The word-level difference from one text to another: the longest common subsequence of their
/// words (split at whitespace, with the punctuation at either end of each as tokens of their own,
/// shown against their word), as runs of equal, deleted and inserted words. A deletion comes
/// before the insertion that replaces it.
public func wordDifference(from oldText: String, to newText: String) -> [WordRun] {
    let a = diffTokens(oldText)
    let b = diffTokens(newText)
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix].text == b[prefix].text { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix,
        a[a.count - 1 - suffix].text == b[b.count - 1 - suffix].text
    {
        suffix += 1
    }
    // Equal words are shown as the new text spaces them.
    var ops: [(WordRun.Kind, DiffToken)] = b[..<prefix].map { (.equal, $0) }
    ops += alignedWords(Array(a[prefix..<(a.count - suffix)]), Array(b[prefix..<(b.count - suffix)]))
    ops += b[(b.count - suffix)...].map { (.equal, $0) }
    var runs: [WordRun] = []
    for (kind, token) in ops {
        if let last = runs.last, last.kind == kind {
            runs[runs.count - 1].text += (token.spaceBefore ? " " : "") + token.text
        } else {
            runs.append(WordRun(kind, String(token.text), spaceBefore: token.spaceBefore))
        }
    }
    if !runs.isEmpty { runs[0].spaceBefore = true }
    return runs
}

/// LCS by dynamic programming over the two token lists.
private func alignedWords(_ a: [DiffToken], _ b: [DiffToken]) -> [(WordRun.Kind, DiffToken)] {
    if a.isEmpty || b.isEmpty || a.count * b.count > lcsCellLimit {
        return a.map { (.deleted, $0) } + b.map { (.inserted, $0) }
    }
    let width = b.count + 1
    // lengths[i * width + j]: the LCS length of a[i...] and b[j...].
    var lengths = [Int32](repeating: 0, count: (a.count + 1) * width)
    for i in stride(from: a.count - 1, through: 0, by: -1) {
        for j in stride(from: b.count - 1, through: 0, by: -1) {
            lengths[i * width + j] =
                a[i].text == b[j].text
                ? lengths[(i + 1) * width + j + 1] + 1
                : max(lengths[(i + 1) * width + j], lengths[i * width + j + 1])
        }
    }
    var ops: [(WordRun.Kind, DiffToken)] = []
    var pendingInserts: [DiffToken] = []
    var i = 0
    var j = 0
    // Insertions are held back until the deletions beside them are out, so a replaced phrase
    // reads "old" then "new".
    func flushInserts() {
        ops += pendingInserts.map { (.inserted, $0) }
        pendingInserts.removeAll()
    }
    while i < a.count || j < b.count {
        if i < a.count, j < b.count, a[i].text == b[j].text {
            flushInserts()
            ops.append((.equal, b[j]))
            i += 1
            j += 1
        } else if j < b.count, i == a.count || lengths[i * width + j + 1] > lengths[(i + 1) * width + j] {
            pendingInserts.append(b[j])
            j += 1
        } else {
            ops.append((.deleted, a[i]))
            i += 1
        }
    }
    flushInserts()
    return ops
}

// MARK: Figures and cells

private struct ValueEntry {
    var item: ValueChange.Item
    var caption: String?
    var value: String
    var paragraph: Int?
}

private func figureEntry(_ figure: EditionSnapshot.Figure) -> ValueEntry {
    ValueEntry(
        item: .figure(section: figure.section, label: figure.label), value: figure.value,
        paragraph: figure.paragraph)
}

private func cellEntry(_ cell: EditionSnapshot.Cell) -> ValueEntry {
    ValueEntry(
        item: .cell(table: cell.table, row: cell.row, column: cell.column), caption: cell.caption, value: cell.value)
}

/// Changed values in the new edition's order, then removed ones in the old's. Where one name is
/// given twice, the first is compared.
private func valueChanges(old: [ValueEntry], new: [ValueEntry]) -> [ValueChange] {
    let oldByItem = Dictionary(old.map { ($0.item, $0) }, uniquingKeysWith: { first, _ in first })
    var seen = Set<ValueChange.Item>()
    var changes: [ValueChange] = []
    for entry in new where seen.insert(entry.item).inserted {
        let before = oldByItem[entry.item]
        if before?.value == entry.value { continue }
        changes.append(
            ValueChange(
                item: entry.item, caption: entry.caption ?? before?.caption, old: before?.value, new: entry.value,
                oldParagraph: before?.paragraph, newParagraph: entry.paragraph))
    }
    for entry in old where !seen.contains(entry.item) {
        seen.insert(entry.item)
        changes.append(
            ValueChange(
                item: entry.item, caption: entry.caption, old: entry.value, new: nil, oldParagraph: entry.paragraph,
                newParagraph: nil))
    }
    return changes
}

// MARK: Trends

/// Every numeric key figure or table cell stated as a number in three or more of the editions
/// (oldest first, the one being built last) whose value changed at least once: its series.
/// `labels` names each edition, in the same order.
public func editionTrends(_ snapshots: [EditionSnapshot], labels: [String]) -> [Trend] {
    guard snapshots.count >= 3 else { return [] }
    var order: [ValueChange.Item] = []
    var series: [ValueChange.Item: (caption: String?, points: [Trend.Point])] = [:]
    func add(_ item: ValueChange.Item, caption: String?, value: String, number: Double?, edition: String) {
        guard let number else { return }
        if series[item] == nil {
            order.append(item)
            series[item] = (caption, [])
        }
        // One point per edition: an item named twice keeps its first statement.
        if series[item]!.points.last?.edition != edition {
            series[item]!.points.append(Trend.Point(edition: edition, value: value, number: number))
        }
    }
    for (snapshot, label) in zip(snapshots, labels) {
        for figure in snapshot.figures {
            add(
                .figure(section: figure.section, label: figure.label), caption: nil, value: figure.value,
                number: figure.number, edition: label)
        }
        for cell in snapshot.cells {
            add(
                .cell(table: cell.table, row: cell.row, column: cell.column), caption: cell.caption,
                value: cell.value, number: cell.number, edition: label)
        }
    }
    return order.compactMap { item in
        let (caption, points) = series[item]!
        guard points.count >= 3, Set(points.map(\.number)).count > 1 else { return nil }
        return Trend(item: item, caption: caption, points: points)
    }
}
