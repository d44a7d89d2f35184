import Foundation
import Testing

@testable import PortalResolve

/// The comparison of two editions' snapshots, on small hand-made ones.
@Suite struct EditionDiffTests {
    typealias P = EditionSnapshot.Paragraph

    func snapshot(_ paragraphs: [(Int, String, String)]) -> EditionSnapshot {
        var snapshot = EditionSnapshot()
        snapshot.paragraphs = paragraphs.map { P(number: $0.0, section: $0.1, text: $0.2) }
        return snapshot
    }

    func kinds(_ changes: EditionChanges) -> [String] {
        changes.paragraphs.map { "\($0.kind.rawValue) \($0.old?.number ?? 0)>\($0.new?.number ?? 0)" }
    }

    let alpha = "The force keeps a register of every drone flight over the county and reviews it monthly."
    let beta = "Partners meet each quarter to agree the priorities for the coming year, chaired by the ACC."
    let gamma = "Training for all officers is complete, and the refresher course runs every two years."

    @Test func identicalTextIsUnchangedOrMovedByNumberNotByPosition() {
        let old = snapshot([(1, "a", alpha), (2, "a", beta), (3, "b", gamma)])
        // A paragraph inserted at the start renumbers the rest; one text is reflowed.
        let new = snapshot([
            (1, "a", "A new opening paragraph about something else entirely, Test edition."),
            (2, "a", alpha.replacingOccurrences(of: " over ", with: "\n   over ")), (3, "a", beta), (4, "b", gamma),
        ])
        let changes = compareEditions(old: old, new: new)
        #expect(kinds(changes) == ["added 0>1", "moved 1>2", "moved 2>3", "moved 3>4"])
    }

    @Test func editedTextIsChangedWithAWordDifference() {
        let old = snapshot([(1, "a", alpha), (2, "a", beta)])
        let new = snapshot([(1, "a", alpha.replacingOccurrences(of: "monthly.", with: "every week.")), (2, "a", beta)])
        let changes = compareEditions(old: old, new: new)
        #expect(kinds(changes) == ["changed 1>1", "unchanged 2>2"])
        #expect(
            changes.paragraphs[0].difference == [
                WordRun(.equal, "The force keeps a register of every drone flight over the county and reviews it"),
                WordRun(.deleted, "monthly"), WordRun(.inserted, "every week"),
                WordRun(.equal, ".", spaceBefore: false),
            ])
        #expect(changes.visibleParagraphs.count == 1)
    }

    @Test func aRewriteBelowTheThresholdIsRemovedAndAdded() {
        let old = snapshot([(1, "a", alpha)])
        let new = snapshot([(1, "a", gamma)])
        #expect(kinds(compareEditions(old: old, new: new)) == ["added 0>1", "removed 1>0"])
    }

    @Test func aParagraphMayMoveBetweenSectionsAndBeEdited() {
        let old = snapshot([(1, "a", alpha), (2, "b", beta)])
        let new = snapshot([(1, "b", beta), (2, "b", alpha + " Test edition: now reviewed by the board.")])
        let changes = compareEditions(old: old, new: new)
        #expect(kinds(changes) == ["moved 2>1", "changed 1>2"])
        #expect(changes.paragraphs[1].difference.last == WordRun(.inserted, "Test edition: now reviewed by the board."))
        #expect(changes.counts(inSection: "b") == (changed: 1, added: 0, removed: 0, moved: 1))
        #expect(changes.counts(inSection: "a") == (changed: 0, added: 0, removed: 0, moved: 0))
        // Section a's view still shows where its paragraph went.
        #expect(changes.paragraphs(inSection: "a").map(\.kind) == [.changed])
    }

    @Test func similarPairsPreferTheSameSectionThenTheOrder() {
        let text = "Officers patrol the night time economy in every town centre on Friday and Saturday nights."
        // The same score against both: the one in the same section wins.
        let old = snapshot([(1, "a", text), (2, "b", text)])
        let new = snapshot([(1, "b", text + " Also on bank holidays.")])
        let changes = compareEditions(old: old, new: new)
        #expect(kinds(changes) == ["changed 2>1", "removed 1>0"])
    }

    @Test func repeatedTextMatchesTheSameNumberFirst() {
        let old = snapshot([(1, "a", "Noted."), (2, "a", "Noted.")])
        let new = snapshot([(2, "a", "Noted."), (3, "a", "Noted.")])
        #expect(kinds(compareEditions(old: old, new: new)) == ["unchanged 2>2", "moved 1>3"])
    }

    /// Past the pair limit, a wholesale edit is still matched paragraph by paragraph within a
    /// section (near the same place in it), and no longer across sections.
    @Test func aWholesaleEditStaysLinear() {
        func text(_ i: Int, edited: Bool) -> String {
            (0..<10).map { edited && $0 == 0 ? "edited\(i)" : "t\(i)x\($0)" }.joined(separator: " ")
        }
        let old = snapshot((1...300).map { ($0, "a", text($0, edited: false)) })
        let sameSection = compareEditions(old: old, new: snapshot((1...300).map { ($0, "a", text($0, edited: true)) }))
        #expect(sameSection.paragraphs.allSatisfy { $0.kind == .changed && $0.old?.number == $0.new?.number })
        let otherSection = compareEditions(old: old, new: snapshot((1...300).map { ($0, "b", text($0, edited: true)) }))
        #expect(otherSection.paragraphs.filter { $0.kind == .added }.count == 300)
        #expect(otherSection.paragraphs.filter { $0.kind == .removed }.count == 300)
    }

    @Test func wordDifferenceRuns() {
        #expect(wordDifference(from: "a b c", to: "a b c") == [WordRun(.equal, "a b c")])
        #expect(wordDifference(from: "", to: "new words") == [WordRun(.inserted, "new words")])
        #expect(wordDifference(from: "old words", to: "") == [WordRun(.deleted, "old words")])
        #expect(
            wordDifference(from: "the cat sat on the mat.", to: "the dog sat on a mat, quietly.") == [
                WordRun(.equal, "the"), WordRun(.deleted, "cat"), WordRun(.inserted, "dog"), WordRun(.equal, "sat on"),
                WordRun(.deleted, "the"), WordRun(.inserted, "a"), WordRun(.equal, "mat"),
                WordRun(.inserted, ", quietly", spaceBefore: false), WordRun(.equal, ".", spaceBefore: false),
            ])
        // Punctuation at either end of a word is compared on its own, and kept against its word.
        #expect(
            diffTokens("(NCA), P’s; ...").map { ($0.spaceBefore ? " " : "") + $0.text } == [
                " (", "NCA", ")", ",", " P’s", ";", " .", ".", ".",
            ])
        #expect(
            wordDifference(from: "threat.", to: "threat,")
                == [
                    WordRun(.equal, "threat"), WordRun(.deleted, ".", spaceBefore: false),
                    WordRun(.inserted, ",", spaceBefore: false),
                ])
        // Whitespace is not a difference.
        #expect(wordDifference(from: "a  b\nc", to: "a b c") == [WordRun(.equal, "a b c")])
    }

    @Test func similarityThresholdSeparatesEditsFromOtherParagraphs() {
        func counts(_ text: String) -> [String: Int] {
            var counts: [String: Int] = [:]
            for word in text.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }) {
                counts[String(word), default: 0] += 1
            }
            return counts
        }
        #expect(diceCoefficient(counts(alpha), counts(alpha)) == 1)
        #expect(diceCoefficient(counts(alpha), counts(alpha + " It is published.")) > similarityThreshold)
        #expect(diceCoefficient(counts(alpha), counts(beta)) < similarityThreshold)
    }

    @Test func renumberingSaysWhereTheOldTextWent() {
        let old = snapshot([(1, "a", alpha), (2, "a", beta), (3, "a", gamma)])
        let new = snapshot([
            (1, "a", alpha + " Test edition: one more sentence."), (2, "a", "Test edition: a paragraph inserted here."),
            (3, "a", beta),
        ])
        let changes = compareEditions(old: old, new: new)
        #expect(changes.renumbering(of: 1) == nil)  // edited in place: the same paragraph
        #expect(
            changes.renumbering(of: 2)
                == RenumberedParagraph(
                    number: 2, previousText: beta, currentText: "Test edition: a paragraph inserted here.",
                    previousTextNowAt: 3, previousTextChanged: false))
        #expect(changes.renumbering(of: 3)?.previousTextNowAt == nil)  // gamma was removed
        #expect(changes.renumbering(of: 4) == nil)
    }

    @Test func figuresAndCellsByName() {
        var old = EditionSnapshot()
        old.figures = [
            .init(section: "a", label: "Drones", value: "12", number: 12, paragraph: 1),
            .init(section: "a", label: "Pilots", value: "4", number: 4, paragraph: 1),
            .init(section: "b", label: "Drones", value: "3", number: 3, paragraph: 2),
        ]
        old.cells = [
            .init(table: "t", caption: "Drone fleet", row: "2023", column: "Count", value: "12", number: 12),
            .init(table: "t", caption: "Drone fleet", row: "2024", column: "Count", value: "14", number: 14),
        ]
        var new = old
        new.figures[0].value = "15"
        new.figures.remove(at: 1)
        new.figures.append(.init(section: "b", label: "Hours", value: "900", number: 900, paragraph: 2))
        new.cells[1].value = "16"
        let changes = compareEditions(old: old, new: new)
        #expect(
            changes.figures.map { "\($0.item) \($0.old ?? "-") \($0.new ?? "-")" } == [
                "figure(section: \"a\", label: \"Drones\") 12 15", "figure(section: \"b\", label: \"Hours\") - 900",
                "figure(section: \"a\", label: \"Pilots\") 4 -",
            ])
        #expect(changes.cells.count == 1)
        #expect(changes.cells[0].item == .cell(table: "t", row: "2024", column: "Count"))
        #expect(changes.cells[0].caption == "Drone fleet")
        #expect((changes.cells[0].old, changes.cells[0].new) == ("14", "16"))
    }

    @Test func datedCommitmentsWithWhatTheNewEditionSays() {
        var old = EditionSnapshot()
        old.commitments = [
            .init(
                id: "c1", what: "Open the hub", section: "a", paragraph: 1, due: "2024-03", dueText: nil, status: nil),
            .init(id: "c2", what: "Undated", section: nil, paragraph: 2, due: nil, dueText: "soon", status: nil),
            .init(id: "c3", what: "Train staff", section: nil, paragraph: 3, due: "2024", dueText: nil, status: nil),
            .init(id: "c4", what: "Dropped", section: nil, paragraph: 4, due: "2025", dueText: nil, status: "On track"),
        ]
        var new = EditionSnapshot()
        new.commitments = [
            .init(
                id: "c1", what: "Open the hub", section: "a", paragraph: 5, due: "2024-03", dueText: nil, status: "Met"),
            .init(id: "c3", what: "Train staff", section: nil, paragraph: 6, due: "2024", dueText: nil, status: nil),
        ]
        let followUps = compareEditions(old: old, new: new).commitments
        #expect(followUps.map(\.commitment.id) == ["c1", "c3", "c4"])
        #expect(followUps.map(\.status) == ["Met", nil, nil])  // c4's old status is not carried over
        #expect(followUps.map(\.stillListed) == [true, true, false])
        #expect(followUps.map(\.newParagraph) == [5, 6, nil])
    }

    @Test func trendsNeedThreeEditionsAndAChange() {
        func edition(_ value: Double, _ text: String = "x") -> EditionSnapshot {
            var snapshot = EditionSnapshot()
            snapshot.figures = [
                .init(section: "a", label: "Drones", value: "\(Int(value))", number: value, paragraph: 1),
                .init(section: "a", label: "Same", value: "1", number: 1, paragraph: 1),
                .init(section: "a", label: "Words", value: text, number: nil, paragraph: 1),
            ]
            return snapshot
        }
        let labels = ["2023-12", "2024-03", "Current"]
        #expect(editionTrends([edition(1), edition(2)], labels: ["a", "b"]).isEmpty)
        let trends = editionTrends([edition(10), edition(12, "y"), edition(11)], labels: labels)
        #expect(trends.count == 1)
        #expect(trends[0].item == .figure(section: "a", label: "Drones"))
        #expect(trends[0].points.map(\.edition) == labels)
        #expect(trends[0].points.map(\.number) == [10, 12, 11])
        // Present in only two of three as a number: no trend.
        var missing = edition(5)
        missing.figures.removeFirst()
        #expect(editionTrends([edition(10), missing, edition(11)], labels: labels).isEmpty)
    }
}
