import Foundation
import Testing

@testable import PortalLoad
@testable import PortalResolve
@testable import PortalSupport

/// Three editions made from the real report by small, plainly artificial edits, for the "what
/// changed" tests (never in `Content/`: the shipped content has one edition, the real one).
///
/// - A (`2023-12`): the shipped `Content/` as it is.
/// - B (`2024-03`): paragraph 31 gains a sentence; a paragraph is inserted after 147, so 148 and
///   149 become 149 and 150 (a renumbered section); the CTSFO key figure goes from 42 to 44; the
///   Fast Parcel table's current figure from 5500 to 5600; one commitment gains a `status:`.
/// - C (the current content): paragraph 73 is reworded, a paragraph 151 is added, and the CTSFO
///   figure goes to 47, so that figure changes in all three.
///
/// Each is loaded and resolved from a temporary copy through `loadSite` and `resolveSite`, given an
/// `EditionHistory` made by hand from the snapshots before it, as the build's storage fills it.
struct ThreeEditions {
    static let a = EditionInfo(id: "2023-12", title: "Test edition A", date: "2023-12-12")
    static let b = EditionInfo(id: "2024-03", title: "Test edition B", date: "2024-03-12")

    static let paragraph31Addition = "Test edition B: paragraph 31 now also says this sentence."
    static let inserted148 =
        "Test edition B: a paragraph inserted near the start of this section, so the ones after it shift."
    static let added151 = "Test edition C: a closing paragraph added for the test."
    static let status = "Test edition B: commenced in January 2024"

    /// A recorded, B recorded, C the current content.
    let a: SiteGraph
    let b: SiteGraph
    let c: SiteGraph

    /// The history each graph was resolved with: the current one's, and B's own.
    var history: EditionHistory { c.editions }

    init() throws {
        let folder = scratchFolder("editions")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let content = folder.appendingPathComponent("Content")
        try FileManager.default.copyItem(at: repositoryRoot.appendingPathComponent("Content"), to: content)

        a = try Self.resolve(folder, history: EditionHistory(recorded: [], building: Self.a))
        let snapshotA = editionSnapshot(of: a)

        try Self.edit(content, "threats/terrorism.md") {
            try Self.appending(Self.paragraph31Addition, toParagraph: 31, in: $0)
        }
        try Self.edit(content, "threats/cross-cutting-capabilities.md") { text in
            var text = try Self.replacing("149. ", with: "150. ", in: text)
            text = try Self.replacing("148. ", with: "149. ", in: text)
            return try Self.replacing("\n149. ", with: "\n148. \(Self.inserted148)\n\n149. ", in: text)
        }
        try Self.edit(content, "threats/terrorism.md") {
            try Self.replacing("value: 42, paragraph: 66", with: "value: 44, paragraph: 66", in: $0)
        }
        try Self.edit(content, "data/tables/fast-parcel-referrals.csv") {
            try Self.replacing("Current (YTD),5500", with: "Current (YTD),5600", in: $0)
        }
        try Self.edit(content, "data/commitments.yaml") {
            try Self.replacing(
                "  due_text: \"January 2024\"\n  paragraph: 12\n",
                with: "  due_text: \"January 2024\"\n  paragraph: 12\n  status: \"\(Self.status)\"\n", in: $0)
        }
        b = try Self.resolve(
            folder, history: EditionHistory(recorded: [.init(info: Self.a, snapshot: snapshotA)], building: Self.b))
        let snapshotB = editionSnapshot(of: b)

        try Self.edit(content, "threats/serious-and-organised-crime.md") {
            try Self.replacing(
                "73. Some examples of this are;", with: "73. Some examples of this, in Test edition C, are;", in: $0)
        }
        try Self.edit(content, "threats/cross-cutting-capabilities.md") { $0 + "\n151. \(Self.added151)\n" }
        try Self.edit(content, "threats/terrorism.md") {
            try Self.replacing("value: 44, paragraph: 66", with: "value: 47, paragraph: 66", in: $0)
        }
        c = try Self.resolve(
            folder,
            history: EditionHistory(recorded: [
                .init(info: Self.a, snapshot: snapshotA), .init(info: Self.b, snapshot: snapshotB),
            ]))
    }

    struct EditFailed: Error, CustomStringConvertible {
        var description: String
    }

    private static func resolve(_ root: URL, history: EditionHistory) throws -> SiteGraph {
        let (loaded, loadProblems) = loadSite(folders: SiteFolders(root: root))
        guard let loaded else { throw EditFailed(description: "\(loadProblems.errors)") }
        let (graph, problems) = resolveSite(loaded, editions: history)
        guard let graph else { throw EditFailed(description: "\(problems.errors)") }
        return graph
    }

    private static func edit(_ content: URL, _ path: String, _ change: (String) throws -> String) throws {
        let url = content.appendingPathComponent(path)
        let text = try String(contentsOf: url, encoding: .utf8)
        try change(text).write(to: url, atomically: true, encoding: .utf8)
    }

    /// The text with `old` replaced once; an edit that no longer applies fails the test.
    private static func replacing(_ old: String, with new: String, in text: String) throws -> String {
        guard let range = text.range(of: old) else { throw EditFailed(description: "'\(old)' is not in the file") }
        return text.replacingCharacters(in: range, with: new)
    }

    /// A sentence added at the end of a one-line paragraph.
    private static func appending(_ sentence: String, toParagraph number: Int, in text: String) throws -> String {
        guard let start = text.range(of: "\n\(number). "),
            let end = text[start.upperBound...].firstIndex(of: "\n")
        else { throw EditFailed(description: "paragraph \(number) is not in the file") }
        return text.replacingCharacters(in: end..<end, with: " " + sentence)
    }
}
