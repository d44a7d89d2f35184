import Foundation
import PortalWrite

/// One line of rsync's itemized output: a file sent, a file deleted, or anything else (folders
/// created, times updated), which publishers do not need to see.
public struct SyncChange: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case sent, deleted, other
    }

    public var kind: Kind
    public var path: String
    /// The file's size for a sent file; rsync may have sent less (only the changed blocks).
    public var bytes: Int
}

/// The item format rsync prints for every change: `%i` (what changed), `%l` (file length), `%n`
/// (name). The name comes last, so a bar inside it stays part of it.
let rsyncOutFormat = "%i|%l|%n"

/// Where recorded editions are published in the site.
let editionsFolder = "editions"

/// The rsync command line for a publish. `--archive` keeps modification times, so files the build
/// did not change (it keeps their times) are skipped; `--delay-updates` puts the changed files in
/// place together at the end; `--delete-after` removes files the site no longer has once
/// everything else has arrived. The build marker and the output folder's placeholder README stay
/// local, and are never deleted at the destination either. `checksum` compares contents instead
/// of times, for a site built from a fresh checkout, where every file's time is new.
/// Earlier editions are never deleted at the destination (`protect /editions/`): a board's
/// citations of them must keep working even when a site is published from a checkout that does
/// not have every edition.
/// `marker` is a folder holding only the publish marker, sent as a second source so it arrives
/// with the site and is never deleted by it.
public func rsyncArguments(source: URL, destination: String, dryRun: Bool, checksum: Bool = false, marker: URL? = nil)
    -> [String]
{
    var arguments = [
        "--archive", "--delete-after", "--delay-updates", "--out-format=\(rsyncOutFormat)",
        "--exclude=/\(outputMarker)", "--filter=protect /\(editionsFolder)/***",
    ]
    arguments += preservedFiles.map { "--exclude=/\($0)" }
    if checksum { arguments.append("--checksum") }
    if dryRun { arguments.append("--dry-run") }
    // The trailing slash syncs the folder's contents rather than the folder itself.
    let sourcePath = source.standardizedFileURL.path
    arguments += ["--", sourcePath.hasSuffix("/") ? sourcePath : sourcePath + "/"]
    if let marker { arguments.append(marker.standardizedFileURL.path + "/") }
    arguments.append(destination)
    return arguments
}

/// Reads rsync's itemized lines (`>f+++++++++|1234|threats/alpha.html`, `*deleting  |0|old.html`).
public func parseRsyncOutput(_ text: String) -> [SyncChange] {
    var changes: [SyncChange] = []
    for line in text.split(whereSeparator: \.isNewline) {
        let fields = line.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
        guard fields.count == 3 else { continue }
        let item = Array(fields[0])
        let bytes = Int(fields[1]) ?? 0
        let path = String(fields[2])
        let kind: SyncChange.Kind
        if fields[0].hasPrefix("*deleting") {
            kind = .deleted
        } else if item.count >= 2, "<>c".contains(item[0]), item[1] == "f" || item[1] == "L" {
            // '<' sent to a remote host, '>' received locally, 'c' created: the bytes travelled.
            kind = .sent
        } else {
            kind = .other
        }
        changes.append(SyncChange(kind: kind, path: path, bytes: kind == .sent ? bytes : 0))
    }
    return changes
}

/// Whether rsync will treat a destination as remote: `host:path` or `user@host:path` (a colon
/// before any slash), or an `rsync://` address.
func isRemoteDestination(_ destination: String) -> Bool {
    if destination.hasPrefix("rsync://") { return true }
    guard let colon = destination.firstIndex(of: ":") else { return false }
    return !destination[..<colon].contains("/")
}

/// The rsync program to run: a path as given, or the first `rsync` on PATH.
func findExecutable(_ name: String) -> String? {
    let manager = FileManager.default
    if name.contains("/") { return manager.isExecutableFile(atPath: name) ? name : nil }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":") where !folder.isEmpty {
        let candidate = "\(folder)/\(name)"
        if manager.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
}

/// What a finished program printed.
struct ProgramOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion, reading both of its outputs at once so neither pipe fills up.
func runProgram(_ executable: String, _ arguments: [String]) throws -> ProgramOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let errors = PipeReader(err.fileHandleForReading)
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProgramOutput(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: errors.wait(), as: UTF8.self))
}

/// Reads a pipe to its end on a thread of its own (a blocking read must not hold one of
/// Dispatch's few shared threads).
private final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    /// The semaphore orders the write on the reading thread before this read.
    func wait() -> Data {
        done.wait()
        return data
    }
}
