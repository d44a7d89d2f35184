import Foundation
import PortalSupport

// Recorded editions (`portal edition ID`): a frozen copy of `Content/` per edition, under
// `Editions/<id>/Content/`, with a manifest `Editions/<id>/edition.yaml` naming every file's
// SHA-256 and the "last updated" date git gave it when it was recorded. ARCHITECTURE.md says
// why a copy and not git tags.

/// What the manifest says of a recorded edition.
public struct EditionInfo: Sendable, Codable, Equatable, Hashable {
    /// The edition's id: its folder under `Editions/` and under `editions/` in the site (`2023-12`).
    public var id: String
    public var title: String?
    /// The date the paper was presented, as the author gave it (`2023-12-12`).
    public var date: String?

    public init(id: String, title: String? = nil, date: String? = nil) {
        self.id = id
        self.title = title
        self.date = date
    }

    /// Where its pages are published, relative to the site's root: `editions/2023-12/`.
    public var folder: String { "editions/\(id)/" }

    /// "2023-12", or its title and id: how the site names it.
    public var name: String { title.map { "\($0) (\(id))" } ?? id }
}

/// One frozen file of a recorded edition.
public struct EditionFile: Sendable, Equatable {
    /// Relative to the edition's folder, as the loader names it: `Content/threats/terrorism.md`.
    public var path: String
    public var sha256: String
    /// Its last change as git gave it when the edition was recorded (shown as "last updated").
    public var updated: LastChange?

    public init(path: String, sha256: String, updated: LastChange?) {
        self.path = path
        self.sha256 = sha256
        self.updated = updated
    }
}

/// A recorded edition as `Editions/<id>/edition.yaml` describes it.
public struct RecordedEdition: Sendable {
    public var info: EditionInfo
    /// `Editions/<id>`, the root its `Content/` is loaded from.
    public var folder: URL
    public var files: [EditionFile]
    package init(info: EditionInfo, folder: URL, files: [EditionFile]) {
        self.info = info
        self.folder = folder
        self.files = files
    }

    /// Where the manifest is, relative to the site root, for messages.
    public var manifest: String { SitePath.editionManifest(info.id) }

    /// The dates the files had when the edition was recorded, as a build of it shows them.
    public var history: GitHistory {
        GitHistory(changes: Dictionary(files.compactMap { file in file.updated.map { (file.path, $0) } }) { a, _ in a })
    }
}

/// The form an edition id takes: it is a folder name and part of every address of the edition.
package func editionIDProblem(_ id: String) -> String? {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
    if id.isEmpty { return "an edition id cannot be empty" }
    if id.hasPrefix(".") || id.hasPrefix("-") { return "an edition id cannot start with '\(id.first!)'" }
    if !id.allSatisfy(allowed.contains) { return "an edition id may hold only letters, digits, '-', '_' and '.'" }
    if id.count > 64 { return "an edition id may be at most 64 characters" }
    return nil
}

/// Every recorded edition under `Editions/`, oldest first (by date, then id), with what is
/// wrong with any of them. Only the manifests are read: `verifyEdition` checks the files.
/// `known` gives a manifest the last build read, if that file has not changed since, so a build
/// does not parse it again.
public func loadEditionManifests(folders: SiteFolders, known: (String) -> RecordedEdition? = { _ in nil }) -> (
    [RecordedEdition], [Diagnostic]
) {
    let top = folders.editions.path
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: top) else { return ([], []) }
    var editions: [RecordedEdition] = []
    var diagnostics: [Diagnostic] = []
    for name in names.sorted() where !name.hasPrefix(".") {
        let manifest = SitePath.editionManifest(name)
        if let problem = editionIDProblem(name) {
            diagnostics.append(
                .error(
                    "edition-id", "'\(SitePath.editions)/\(name)': \(problem)",
                    hint: "rename the folder, or remove it if it is not an edition",
                    at: SourceLocation(file: "\(SitePath.editions)/\(name)")))
            continue
        }
        if let edition = known(name) {
            editions.append(edition)
            continue
        }
        guard FileManager.default.fileExists(atPath: folders.fullPath(manifest)) else {
            diagnostics.append(
                .error(
                    "edition-manifest-missing", "'\(SitePath.editions)/\(name)' has no edition.yaml",
                    hint: "record editions with 'portal edition \(name)'; remove a folder that is not one",
                    at: SourceLocation(file: manifest)))
            continue
        }
        var problems: [Diagnostic] = []
        let node = readYAMLFile(root: folders.root, path: manifest, ifEmpty: .error, diagnostics: &problems)
        var reader = FieldReader(node, what: "edition manifest", at: SourceLocation(file: manifest, line: 1, column: 1))
        let edition = readEditionManifest(&reader, folder: name, folders: folders)
        diagnostics += problems + reader.diagnostics
        if let edition, !(problems + reader.diagnostics).hasErrors { editions.append(edition) }
    }
    editions.sort { ($0.info.date ?? "", $0.info.id) < ($1.info.date ?? "", $1.info.id) }
    return (editions, diagnostics)
}

private func readEditionManifest(_ reader: inout FieldReader, folder: String, folders: SiteFolders)
    -> RecordedEdition?
{
    let id = reader.string("id", required: true)
    let title = reader.string("title")
    let date = reader.string("date")
    if let date, PartialDate(date.value) == nil {
        reader.diagnostics.append(
            .error(
                "edition-date", "'\(date.value)' is not a date", hint: "write it as year-month-day, e.g. 2023-12-12",
                at: date.location))
    }
    let files = reader.list("files", what: "edition file") { item -> EditionFile? in
        let path = item.string("path", required: true)
        let hash = item.string("sha256", required: true)
        let updated = item.string("updated")
        let author = item.string("author")
        item.finish(allowed: ["path", "sha256", "updated", "author"])
        guard let path, let hash else { return nil }
        let change = updated.flatMap { PartialDate($0.value) }.map { LastChange(date: $0, author: author?.value ?? "") }
        return EditionFile(path: path.value, sha256: hash.value, updated: change)
    }
    reader.finish(allowed: ["id", "title", "date", "files"])
    guard let id else { return nil }
    if id.value != folder {
        reader.diagnostics.append(
            .error(
                "edition-id", "the manifest says edition '\(id.value)' but its folder is '\(folder)'",
                hint: "an edition's id is its folder's name: record it again, or restore the manifest", at: id.location)
        )
        return nil
    }
    return RecordedEdition(
        info: EditionInfo(id: id.value, title: title?.value, date: date?.value),
        folder: folders.editions.appendingPathComponent(folder), files: files)
}

/// A recorded edition is never changed by later edits: every file its manifest lists must be
/// there with its recorded hash, and nothing else may be in its `Content/`. `trusted` says a file
/// has not changed since an earlier build verified it (its stamp is the same), so it need not be
/// read again.
public func verifyEdition(_ edition: RecordedEdition, folders: SiteFolders, trusted: (String) -> Bool = { _ in false })
    -> [Diagnostic]
{
    let base = "\(SitePath.editions)/\(edition.info.id)/"
    let listed = Set(edition.files.map(\.path))
    var diagnostics: [Diagnostic] = []
    let hint = "a recorded edition stays as the board received it: restore the file from git (git checkout -- \(base))"
    let walk = FolderWalk(root: folders.root, folder: base + SitePath.content)
    diagnostics += walk.diagnostics
    for file in walk.files where !listed.contains(String(file.dropFirst(base.count))) {
        diagnostics.append(
            .error(
                "edition-changed", "\(file) was added to edition '\(edition.info.id)' after it was recorded",
                hint: "remove it; new content belongs in \(SitePath.content)/", at: SourceLocation(file: file)))
    }
    for file in edition.files {
        let path = base + file.path
        if trusted(path) { continue }
        guard let bytes = readFileBytes(folders.fullPath(path)) else {
            diagnostics.append(
                .error(
                    "edition-changed", "\(path) of edition '\(edition.info.id)' is missing", hint: hint,
                    at: SourceLocation(file: edition.manifest)))
            continue
        }
        if sha256Hex(bytes) != file.sha256 {
            diagnostics.append(
                .error(
                    "edition-changed", "\(path) was changed after edition '\(edition.info.id)' was recorded",
                    hint: hint, at: SourceLocation(file: path)))
        }
    }
    return diagnostics
}

/// How a recorded edition is loaded: its own frozen `Content/`, with the current site's theme
/// (so every edition reads alike and gets the current tool's fixes) and the "last updated"
/// dates recorded with it.
public struct EditionLoad: Sendable {
    public var themeRoot: URL
    public var theme: Located<String>
    public var history: GitHistory

    public init(themeRoot: URL, theme: Located<String>, history: GitHistory) {
        self.themeRoot = themeRoot
        self.theme = theme
        self.history = history
    }
}

/// Every file of `Content/`, its bytes, hash and git's last change: what `portal edition`
/// freezes. Fails with the path of a file that cannot be read.
package func contentToRecord(folders: SiteFolders) -> Result<[(file: EditionFile, bytes: [UInt8])], PathError> {
    let walk = FolderWalk(root: folders.root, folder: SitePath.content)
    let history = GitHistory.load(root: folders.root.path)
    var read: [(file: EditionFile, bytes: [UInt8])] = []
    for path in walk.files {
        guard let bytes = readFileBytes(folders.fullPath(path)) else { return .failure(PathError(path: path)) }
        read.append((EditionFile(path: path, sha256: sha256Hex(bytes), updated: history.changes[path]), bytes))
    }
    return .success(read)
}

package struct PathError: Error {
    package var path: String
}
