import CPortalSystem
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

/// Write stage: builds the whole site in a staging folder beside the output, then swaps it into
/// place in one step. Files whose bytes did not change are hard-linked from the previous build,
/// so they keep their modification times and rsync sends only what changed. A failure at any
/// point leaves the previous output exactly as it was.
///
/// Files arrive one at a time from any thread (`put`), as each page is rendered, so the site is
/// never held in memory whole; `commit` swaps the finished staging folder into place.
public final class SiteWriter: @unchecked Sendable {
    let outputPath: String
    private let staging: String
    private let previous: String
    /// False on a first build: no file can then be the same as last time, and none is looked for.
    private let hasEarlierOutput: Bool
    private let lock = NSLock()
    private var folders: Set<String> = [""]
    private var paths: [String] = []
    private var written: [String] = []
    private var failure: Error?

    public init(output: URL) throws {
        let manager = FileManager.default
        outputPath = output.standardizedFileURL.path
        try checkOwnership(of: outputPath)
        hasEarlierOutput = manager.fileExists(atPath: outputPath)
        let parent = (outputPath as NSString).deletingLastPathComponent
        let name = (outputPath as NSString).lastPathComponent
        try plainly { try createFolders(parent) }
        staging = "\(parent)/.\(name).staging"
        previous = "\(parent)/.\(name).previous"
        // Left over from an interrupted build: never part of a published site.
        try? manager.removeItem(atPath: staging)
        try? manager.removeItem(atPath: previous)
        try plainly { try createFolders(staging) }
    }

    /// Writes one file into the staging folder. Safe from any thread; a failure is kept and
    /// thrown by `commit`, so renderers need not stop to handle it.
    public func put(_ file: OutputFile) {
        let folder = (file.path as NSString).deletingLastPathComponent
        do {
            // Under the lock, so no thread writes into a folder another is still making.
            try lock.withLock {
                paths.append(file.path)
                if folders.insert(folder).inserted {
                    try plainly { try createFolders("\(staging)/\(folder)") }
                }
            }
            let changed = try place(file, staging: staging, previous: hasEarlierOutput ? outputPath : nil)
            if changed && file.path != outputMarker { lock.withLock { written.append(file.path) } }
        } catch {
            lock.withLock { failure = failure ?? error }
        }
    }

    /// Swaps the staging folder into place and says what changed; on any failure the staging
    /// folder is removed and the previous output stays as it was.
    public func commit() throws -> WriteSummary {
        let manager = FileManager.default
        let made = Set(paths)
        for preserved in preservedFiles where !made.contains(preserved) {
            if let data = manager.contents(atPath: "\(outputPath)/\(preserved)") {
                put(OutputFile(path: preserved, bytes: [UInt8](data)))
            }
        }
        put(OutputFile(path: outputMarker, text: "Built by portal. This folder is replaced on every build.\n"))
        if let failure {
            discard()
            throw plain(failure)
        }
        var summary = WriteSummary()
        summary.written = written.sorted()
        summary.unchanged = paths.count - written.count
        let newPaths = Set(paths)
        summary.removed = listFiles(under: URL(fileURLWithPath: outputPath)).filter { !newPaths.contains($0) }.sorted()

        if manager.fileExists(atPath: outputPath) {
            if portal_exchange_paths(staging, outputPath) != 0 {
                // File systems without an atomic exchange: two renames, a moment apart.
                try plainly { try renamePath(outputPath, to: previous) }
                try plainly { try renamePath(staging, to: outputPath) }
                try? manager.removeItem(atPath: previous)
            } else {
                try? manager.removeItem(atPath: staging)
            }
        } else {
            try plainly { try renamePath(staging, to: outputPath) }
        }
        return summary
    }

    /// Abandons the build: the previous output is untouched.
    public func discard() {
        try? FileManager.default.removeItem(atPath: staging)
    }
}

/// Writes a whole site held in memory: the staging, linking and swap of `SiteWriter` in one call.
public func writeSite(
    _ files: [OutputFile], to output: URL, progress: (@Sendable (BuildProgress) -> Void)? = nil
) throws -> WriteSummary {
    let writer = try SiteWriter(output: output)
    let counter = progress.map { ProgressCounter(stage: "writing", total: files.count, report: $0) }
    _ = parallelMap(files, progress: counter) { writer.put($0) }
    return try writer.commit()
}

/// Writes one file into the staging folder; returns whether its bytes differ from the last build.
private func place(_ file: OutputFile, staging: String, previous: String?) throws -> Bool {
    let target = "\(staging)/\(file.path)"
    let old = previous.map { "\($0)/\(file.path)" }
    // Sizes first: most changed files differ in size, and then the old one need not be read.
    if let old, let stamp = FileStamp.of(old), stamp.size == file.bytes.count, readFileBytes(old) == file.bytes {
        if link(old, target) == 0 { return false }
        // Hard links can fail across devices; copy, keeping the old modification time.
        try writeFileBytes(file.bytes, to: target)
        if let attributes = try? FileManager.default.attributesOfItem(atPath: old),
            let date = attributes[.modificationDate]
        {
            try? FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: target)
        }
        return false
    }
    try writeFileBytes(file.bytes, to: target)
    return true
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
