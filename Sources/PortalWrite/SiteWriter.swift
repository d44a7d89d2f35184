import Foundation
import PortalRender
import PortalSupport

/// What a write changed, for the build summary and for rsync-minded publishers.
public struct WriteSummary: Sendable {
    public var written: [String] = []
    public var unchanged = 0
    public var removed: [String] = []

    package init(written: [String] = [], unchanged: Int = 0, removed: [String] = []) {
        self.written = written
        self.unchanged = unchanged
        self.removed = removed
    }
}

/// Marks a folder as the portal's output, so a build never replaces a folder it did not make.
package let outputMarker = ".portal-output"
/// Files kept in the output folder though the build does not make them: the placeholder that
/// keeps `Public/` in git.
package let preservedFiles = ["README.md"]

/// Write stage. Files arrive one at a time from any thread (`put`), as each page is rendered,
/// so the site is never held in memory whole. A file whose bytes did not change is left alone
/// (its time stays, so rsync sends only what changed); a changed one goes into a staging folder
/// beside the output. `commit` then moves the staged files into place through a journal
/// (`CommitJournal`): a failure before the journal is written leaves the previous output exactly
/// as it was, and once it is written the next build finishes what it lists. A first build has
/// no previous output: its staging folder is renamed into place whole.
///
/// A full build removes the files it did not make; a rebuild (`partial`) renders only the pages
/// whose inputs changed, so it touches only what it is given.
public final class SiteWriter: @unchecked Sendable {
    let outputPath: String
    private let staging: String
    private let journal: String
    /// False on a first build: no file can then be the same as last time, and none is looked for.
    private let hasEarlierOutput: Bool
    private let partial: Bool
    private let lock = NSLock()
    private var folders: Set<String> = [""]
    private var paths: [String] = []
    private var written: [String] = []
    private var failure: Error?
    /// Tests stop a commit after one of its steps, as a crash would, to see what is left.
    var stopAfter: CommitStep?

    public init(output: URL, partial: Bool = false) throws {
        outputPath = output.standardizedFileURL.path
        try checkOwnership(of: outputPath)
        let parent = (outputPath as NSString).deletingLastPathComponent
        let name = (outputPath as NSString).lastPathComponent
        staging = "\(parent)/.\(name).staging"
        journal = "\(parent)/.\(name).journal"
        self.partial = partial
        try plainly { try createFolders(parent) }
        // An earlier commit cut short after its journal: finished before anything reads the output.
        let path = outputPath
        try plainly { try finishInterruptedCommit(output: path) }
        hasEarlierOutput = FileManager.default.fileExists(atPath: outputPath)
        // Left over from a build stopped before its journal: never part of the site.
        try? FileManager.default.removeItem(atPath: staging)
        try plainly { try createFolders(staging) }
    }

    /// Stages one file if its bytes changed. Safe from any thread; a failure is kept and thrown
    /// by `commit`, so renderers need not stop to handle it.
    public func put(_ file: OutputFile) {
        lock.withLock { paths.append(file.path) }
        if hasEarlierOutput, sameBytes(file.bytes, at: "\(outputPath)/\(file.path)") { return }
        let folder = (file.path as NSString).deletingLastPathComponent
        do {
            // Under the lock, so no thread writes into a folder another is still making.
            try lock.withLock {
                if folders.insert(folder).inserted { try plainly { try createFolders("\(staging)/\(folder)") } }
            }
            try writeFileBytes(file.bytes, to: "\(staging)/\(file.path)")
            lock.withLock { written.append(file.path) }
        } catch {
            lock.withLock { failure = failure ?? error }
        }
    }

    /// Files the build makes but knows are in place as the last build left them (a recorded
    /// edition's pages): kept, neither compared nor removed.
    public func keep(_ kept: [String]) {
        lock.withLock { paths += kept }
    }

    /// Moves the staged files into place and says what changed; on a failure before the journal
    /// is written the staging folder is removed and the previous output stays as it was.
    public func commit() throws -> WriteSummary {
        put(OutputFile(path: outputMarker, text: "Built by portal. This folder is replaced on every build.\n"))
        if let failure {
            discard()
            throw plain(failure)
        }
        var summary = WriteSummary()
        summary.written = written.filter { $0 != outputMarker }.sorted()
        summary.unchanged = paths.count - summary.written.count
        if !hasEarlierOutput {
            try plainly { try renamePath(staging, to: outputPath) }
            return summary
        }
        if !partial {
            let kept = Set(paths + preservedFiles)
            summary.removed = listFiles(under: URL(fileURLWithPath: outputPath)).filter { !kept.contains($0) }.sorted()
        }
        let entries = CommitJournal(puts: written.sorted(), removals: summary.removed)
        if stopAfter == .staged { throw CommitStopped() }
        // Nothing to move (a rebuild whose pages came out the same): no journal, no sync.
        if entries.puts.isEmpty && entries.removals.isEmpty {
            discard()
            return summary
        }
        do { try entries.write(to: journal) } catch {
            discard()
            throw plain(error)
        }
        if stopAfter == .journaled { throw CommitStopped() }
        try plainly { try entries.apply(staging: staging, output: outputPath, stopAfterFirst: stopAfter == .applying) }
        if stopAfter == .applying { throw CommitStopped() }
        unlink(journal)
        try? FileManager.default.removeItem(atPath: staging)
        return summary
    }

    /// Abandons the build: the previous output is untouched.
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }
}

/// The steps of a commit after which a test can stop it.
enum CommitStep {
    /// The changed files are staged; no journal yet.
    case staged
    /// The journal is written and synced; nothing moved yet.
    case journaled
    /// One file of the journal moved into place.
    case applying
}

struct CommitStopped: Error {}

/// Whether the file at `path` holds exactly `bytes`. Sizes first: most changed files differ in
/// size, and then the old one need not be read.
private func sameBytes(_ bytes: [UInt8], at path: String) -> Bool {
    guard let stamp = FileStamp.of(path), stamp.size == bytes.count else { return false }
    return readFileBytes(path) == bytes
}

/// What a commit moves into place: staged files to rename over the output's, and files a full
/// build no longer makes. Written whole (to a temporary file, synced, renamed) before anything
/// moves, so it is either absent (the output untouched) or complete (the next build finishes it).
/// Renames and removals are idempotent, so finishing twice is harmless.
struct CommitJournal: Equatable {
    static let header = "portal-journal 1"
    var puts: [String]
    var removals: [String]

    func encoded() -> [UInt8] {
        var text = Self.header + "\n"
        for path in removals { text += "remove\t\(path)\n" }
        for path in puts { text += "put\t\(path)\n" }
        return Array((text + "end\n").utf8)
    }

    static func decode(_ bytes: [UInt8]) -> CommitJournal? {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.first == Substring(header), lines.count >= 3, lines[lines.count - 2] == "end",
            lines.last == ""
        else { return nil }
        var journal = CommitJournal(puts: [], removals: [])
        for line in lines.dropFirst().dropLast(2) {
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2 else { return nil }
            switch fields[0] {
            case "put": journal.puts.append(String(fields[1]))
            case "remove": journal.removals.append(String(fields[1]))
            default: return nil
            }
        }
        return journal
    }

    /// Writes the journal and syncs it and its folder, so it survives a crash once it is there.
    func write(to path: String) throws {
        let temporary = path + ".tmp"
        try writeFileBytes(encoded(), to: temporary)
        try syncPath(temporary)
        guard rename(temporary, path) == 0 else { throw POSIXFileError(path: path, code: errno, action: "write") }
        try syncPath((path as NSString).deletingLastPathComponent)
    }

    /// Removals first, so a file can take the place of a folder a full build no longer makes.
    func apply(staging: String, output: String, stopAfterFirst: Bool = false) throws {
        for path in removals {
            guard unlink("\(output)/\(path)") == 0 || errno == ENOENT else {
                throw POSIXFileError(path: "\(output)/\(path)", code: errno, action: "remove")
            }
            removeEmptyFolders(of: path, in: output)
        }
        for path in puts {
            let from = "\(staging)/\(path)"
            // Already moved by the commit this one finishes.
            guard FileStamp.of(from) != nil else { continue }
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try createFolders("\(output)/\(folder)") }
            guard rename(from, "\(output)/\(path)") == 0 else {
                throw POSIXFileError(path: "\(output)/\(path)", code: errno, action: "replace")
            }
            if stopAfterFirst { return }
        }
    }
}

/// Finishes a commit whose journal was written but not carried out (the build was killed or
/// the machine stopped), so the output is never left half old and half new.
package func finishInterruptedCommit(output: String) throws {
    let parent = (output as NSString).deletingLastPathComponent
    let name = (output as NSString).lastPathComponent
    let path = "\(parent)/.\(name).journal"
    unlink(path + ".tmp")
    guard let bytes = readFileBytes(path) else { return }
    if let journal = CommitJournal.decode(bytes) {
        try journal.apply(staging: "\(parent)/.\(name).staging", output: output)
    }
    unlink(path)
}

/// Folders a removal left empty, up to (not including) the output itself.
private func removeEmptyFolders(of path: String, in output: String) {
    var folder = (path as NSString).deletingLastPathComponent
    while !folder.isEmpty, rmdir("\(output)/\(folder)") == 0 {
        folder = (folder as NSString).deletingLastPathComponent
    }
}

/// `fsync` of a file or folder.
private func syncPath(_ path: String) throws {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw POSIXFileError(path: path, code: errno, action: "open") }
    defer { close(descriptor) }
    guard fsync(descriptor) == 0 else { throw POSIXFileError(path: path, code: errno, action: "sync") }
}

/// Writes a whole site held in memory: the staging and journaled commit of `SiteWriter` in one call.
public func writeSite(
    _ files: [OutputFile], to output: URL, progress: (@Sendable (BuildProgress) -> Void)? = nil
) throws -> WriteSummary {
    let writer = try SiteWriter(output: output)
    let counter = progress.map { ProgressCounter(stage: "writing", total: files.count, report: $0) }
    _ = parallelMap(files, progress: counter) { writer.put($0) }
    return try writer.commit()
}

/// Refuses to replace a folder that holds anything but an earlier build or the placeholder.
private func checkOwnership(of path: String) throws {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
    guard isDirectory.boolValue else {
        throw WriteError(message: "output '\(path)' is a file, not a folder", hint: "choose another --output")
    }
    if manager.fileExists(atPath: "\(path)/\(outputMarker)") { return }
    let contents = (try? manager.contentsOfDirectory(atPath: path)) ?? []
    let foreign = contents.filter { !preservedFiles.contains($0) }
    if !foreign.isEmpty {
        throw WriteError(
            message: "output folder '\(path)' was not made by portal and is not empty",
            hint: "empty it or choose another --output; portal replaces its output folder on every build")
    }
}

public struct WriteError: Error, CustomStringConvertible {
    public var message: String
    public var hint: String
    public var description: String { "error: \(message) (\(hint))" }
}

/// Any error from writing as one plain line, path, cause and what to do: never Foundation's
/// `NSCocoaErrorDomain` dump.
private func plain(_ error: any Error) -> any Error {
    if let posix = error as? POSIXFileError { return WriteError(message: posix.description, hint: posix.hint) }
    return error
}

private func plainly(_ body: () throws -> Void) throws {
    do { try body() } catch { throw plain(error) }
}
