import CPortalSystem
import Foundation

/// What a write changed, for the build summary and for rsync-minded publishers.
public struct WriteSummary: Sendable {
    public var written: [String] = []
    public var unchanged = 0
    public var removed: [String] = []
}

/// Marks a folder as the portal's output, so a build never replaces a folder it did not make.
let outputMarker = ".portal-output"
/// Files kept in the output folder though the build does not make them: the placeholder that
/// keeps `Public/` in git.
let preservedFiles = ["README.md"]

/// Write stage: builds the whole site in a staging folder beside the output, then swaps it into
/// place in one step. Files whose bytes did not change are hard-linked from the previous build,
/// so they keep their modification times and rsync sends only what changed. A failure at any
/// point leaves the previous output exactly as it was.
public func writeSite(
    _ files: [OutputFile], to output: URL, progress: (@Sendable (BuildProgress) -> Void)? = nil
) throws -> WriteSummary {
    let manager = FileManager.default
    let outputPath = output.standardizedFileURL.path
    try checkOwnership(of: outputPath)
    let parent = (outputPath as NSString).deletingLastPathComponent
    let name = (outputPath as NSString).lastPathComponent
    try manager.createDirectory(atPath: parent, withIntermediateDirectories: true)
    let staging = "\(parent)/.\(name).staging"
    let previous = "\(parent)/.\(name).previous"
    // Left over from an interrupted build: never part of a published site.
    try? manager.removeItem(atPath: staging)
    try? manager.removeItem(atPath: previous)
    try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)

    var all = files
    all.append(OutputFile(path: outputMarker, text: "Built by portal. This folder is replaced on every build.\n"))
    for preserved in preservedFiles where !files.contains(where: { $0.path == preserved }) {
        if let data = manager.contents(atPath: "\(outputPath)/\(preserved)") {
            all.append(OutputFile(path: preserved, bytes: [UInt8](data)))
        }
    }

    // Folders first, then files on every core.
    let folders = Set(all.map { ($0.path as NSString).deletingLastPathComponent }.filter { !$0.isEmpty })
    for folder in folders.sorted() {
        try manager.createDirectory(atPath: "\(staging)/\(folder)", withIntermediateDirectories: true)
    }
    let counter = progress.map { ProgressCounter(stage: "writing", total: all.count, report: $0) }
    let outcomes = parallelMap(all, progress: counter) { file -> Result<Bool, Error> in
        Result { try place(file, staging: staging, previous: outputPath) }
    }
    var summary = WriteSummary()
    for (file, outcome) in zip(all, outcomes) {
        switch outcome {
        case .failure(let error):
            try? manager.removeItem(atPath: staging)
            throw error
        case .success(let changed):
            if changed && file.path != outputMarker {
                summary.written.append(file.path)
            } else {
                summary.unchanged += 1
            }
        }
    }
    let newPaths = Set(all.map(\.path))
    summary.removed = existingFiles(under: outputPath).filter { !newPaths.contains($0) }.sorted()

    if manager.fileExists(atPath: outputPath) {
        if portal_exchange_paths(staging, outputPath) != 0 {
            // File systems without an atomic exchange: two renames, a moment apart.
            try manager.moveItem(atPath: outputPath, toPath: previous)
            try manager.moveItem(atPath: staging, toPath: outputPath)
            try? manager.removeItem(atPath: previous)
        } else {
            try? manager.removeItem(atPath: staging)
        }
    } else {
        try manager.moveItem(atPath: staging, toPath: outputPath)
    }
    return summary
}

/// Writes one file into the staging folder; returns whether its bytes differ from the last build.
private func place(_ file: OutputFile, staging: String, previous: String) throws -> Bool {
    let target = "\(staging)/\(file.path)"
    let old = "\(previous)/\(file.path)"
    // Sizes first: most changed files differ in size, and then the old one need not be read.
    if let stamp = FileStamp.of(old), stamp.size == file.bytes.count, readFileBytes(old) == file.bytes {
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

private func existingFiles(under path: String) -> [String] {
    listFiles(under: URL(fileURLWithPath: path))
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
