import Foundation
import PortalBuild
import PortalSupport

public struct PublishOptions: Sendable {
    /// What to build; the output folder is what gets published.
    public var build: BuildOptions
    /// A local folder, or `user@host:path` for rsync over ssh.
    public var destination: String
    /// Show what would change without changing anything at the destination.
    public var dryRun: Bool
    /// Compare files by content rather than size and time: for a build from a fresh checkout (a
    /// rollback, a CI job), whose files all have new times.
    public var checksum: Bool
    /// The rsync program: a path, or a name looked up on PATH.
    public var rsync: String

    public init(
        build: BuildOptions, destination: String, dryRun: Bool = false, checksum: Bool = false,
        rsync: String = "rsync"
    ) {
        self.build = build
        self.destination = destination
        self.dryRun = dryRun
        self.checksum = checksum
        self.rsync = rsync
    }
}

/// What a publish did (or, in a dry run, would do).
public struct PublishReport: Sendable {
    public var destination: String
    public var dryRun: Bool
    public var build: BuildReport
    public var changes: [SyncChange]

    public var sent: [SyncChange] { changes.filter { $0.kind == .sent } }
    public var deleted: [SyncChange] { changes.filter { $0.kind == .deleted } }

    /// One line per file sent or deleted, in rsync's order.
    public var lines: [String] {
        changes.compactMap { change in
            switch change.kind {
            case .sent: return "\(dryRun ? "would send" : "sent") \(change.path) (\(formatCount(change.bytes)) bytes)"
            case .deleted: return "\(dryRun ? "would delete" : "deleted") \(change.path)"
            case .other: return nil
            }
        }
    }

    public var summary: String {
        let files = sent.count
        let bytes = formatCount(sent.reduce(0) { $0 + $1.bytes })
        let plural = files == 1 ? "" : "s"
        if dryRun {
            return "dry run for \(destination): \(files) file\(plural) would be sent (\(bytes) bytes), "
                + "\(deleted.count) would be deleted; nothing was changed"
        }
        return "published to \(destination): \(files) file\(plural) sent (\(bytes) bytes), \(deleted.count) deleted"
    }
}

/// Why nothing was published. Every case leaves the destination untouched, except an rsync that
/// failed part-way, whose `--delay-updates` keeps even that from mixing old and new files.
public enum PublishFailure: Error, Sendable {
    /// `portal check` or the build found errors in the content.
    case content([Diagnostic])
    /// The destination would be dangerous to sync into with deletion (a usage error).
    case refused(PublishError)
    /// Anything else: the build could not write, rsync is missing or failed.
    case failed(PublishError)
}

public struct PublishError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var hint: String
    public var description: String { "error: \(message) (\(hint))" }
}

/// `portal publish`: check, build, and only if both succeed, rsync the output folder to the
/// destination so that only changed files travel and files the site no longer has are removed.
public func publish(_ options: PublishOptions) -> Result<PublishReport, PublishFailure> {
    if let refusal = refusal(of: options.destination, options: options.build) { return .failure(.refused(refusal)) }
    guard let rsync = findExecutable(options.rsync) else {
        let missing =
            options.rsync.contains("/")
            ? "rsync was not found at '\(options.rsync)'" : "rsync is not installed: no '\(options.rsync)' on PATH"
        return .failure(
            .failed(
                PublishError(
                    message: missing, hint: "install it with 'apt-get install rsync', or pass --rsync with its path")))
    }

    if isRemoteDestination(options.destination), let refused = remoteRefusal(options.destination, rsync: rsync) {
        return .failure(refused)
    }

    let diagnostics = check(root: options.build.root)
    if diagnostics.hasErrors { return .failure(.content(diagnostics)) }
    let report: BuildReport
    switch build(options.build) {
    case .success(let value): report = value
    case .failure(.content(let diagnostics)): return .failure(.content(diagnostics))
    case .failure(.write(let message)):
        return .failure(.failed(PublishError(message: message, hint: "fix the output folder, then publish again")))
    }

    // The marker travels from a folder of its own, so the output folder stays the build's alone.
    let markerFolder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "portal-publish-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: markerFolder) }
    do {
        try createFolders(markerFolder.path)
        let marker = markerFolder.path + "/" + publishMarker
        try writeFileBytes(Array("Published by portal publish.\n".utf8), to: marker)
        // Always the same time, so rsync sees the marker unchanged and never sends it again.
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 0)], ofItemAtPath: marker)
    } catch {
        return .failure(.failed(PublishError(message: "\(error)", hint: "check the temporary folder (TMPDIR)")))
    }
    let arguments = rsyncArguments(
        source: options.build.output, destination: options.destination, dryRun: options.dryRun,
        checksum: options.checksum, marker: markerFolder)
    let output: ProgramOutput
    do {
        output = try runProgram(rsync, arguments)
    } catch {
        return .failure(
            .failed(
                PublishError(
                    message: "could not run \(rsync): \(error.localizedDescription)",
                    hint: "check that it is an executable rsync")))
    }
    guard output.status == 0 else {
        return .failure(.failed(rsyncFailure(status: output.status, stderr: output.stderr)))
    }
    return .success(
        PublishReport(
            destination: options.destination, dryRun: options.dryRun, build: report,
            changes: parseRsyncOutput(output.stdout).filter { $0.path != publishMarker }))
}

/// rsync's own complaint, cut to its first line: that line names the path and the cause.
private func rsyncFailure(status: Int32, stderr: String) -> PublishError {
    let lines = stderr.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
    let first = lines.first { !$0.isEmpty && !$0.hasPrefix("rsync error:") } ?? lines.first ?? "no message"
    let hint: String
    switch status {
    case 255, 12, 5, 10, 35:
        hint = "check the host name, your ssh access and that rsync is installed on the server"
    case 3, 11, 23:
        hint = "check that the destination's parent folder exists and that you may write to it"
    default: hint = "see 'man rsync' for exit code \(status); the destination keeps its previous files"
    }
    return PublishError(message: "rsync failed with exit code \(status): \(first)", hint: hint)
}

/// Marks a folder as made by `portal publish`: only an empty folder or one holding this file is
/// ever synced into, since the sync deletes every file there that the site does not have. It
/// travels with every publish (from a folder of its own, see `rsyncArguments`), so it is never
/// deleted either. A folder published by an older portal can be adopted with `touch`.
let publishMarker = ".portal-publish"

/// Syncing with deletion into the wrong folder would delete its contents. Refused at once,
/// without running anything: an option-like or empty destination, the file system root, the home
/// folder and the folders above it, the site's own folders, and any spelling of them (`host:/.`,
/// `host://`, `host:/etc/..`, `rsync://host/`). A local folder must then be empty, new, or hold
/// the publish marker; a remote one is listed by `remoteRefusal` before anything is sent.
func refusal(of destination: String, options: BuildOptions) -> PublishError? {
    let trimmed = destination.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else {
        return PublishError(
            message: "the destination is empty", hint: "give a folder or user@host:path to publish into")
    }
    guard !trimmed.hasPrefix("-") else {
        return PublishError(
            message: "refusing the destination '\(destination)': it starts with '-', as an option does",
            hint: "write ./\(trimmed) for a folder of that name")
    }
    if isRemoteDestination(trimmed) {
        guard remotePath(trimmed) == nil else { return nil }
        return PublishError(
            message: "refusing to publish into '\(destination)', a whole server, home or root folder: "
                + "publishing deletes every file there that the site does not have",
            hint: "name the site's own folder, e.g. user@host:/var/www/portal")
    }
    let target = URL(fileURLWithPath: trimmed).standardizedFileURL.resolvingSymlinksInPath().path
    let home = URL(fileURLWithPath: NSHomeDirectory()).standardizedFileURL.resolvingSymlinksInPath().path
    let output = options.output.resolvingSymlinksInPath().path
    let root = options.root.resolvingSymlinksInPath().path
    func contains(_ folder: String, _ path: String) -> Bool {
        folder == path || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
    if target == "/" || contains(target, home) || contains(target, root) || contains(root, target)
        || contains(target, output) || contains(output, target)
    {
        return PublishError(
            message: "refusing to publish into '\(destination)': "
                + "publishing deletes every file there that the site does not have",
            hint: "choose a folder of its own for the published site, outside the site's folder")
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory) else { return nil }
    guard isDirectory.boolValue else {
        return PublishError(
            message: "refusing to publish into '\(destination)': it is a file, not a folder",
            hint: "name the folder the site is published into")
    }
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: target)) ?? []
    return unmarkedRefusal(destination, entries: entries)
}

/// A folder that holds files but no publish marker was not made by `portal publish`.
private func unmarkedRefusal(_ destination: String, entries: [String]) -> PublishError? {
    guard !entries.isEmpty, !entries.contains(publishMarker) else { return nil }
    return PublishError(
        message: "refusing to publish into '\(destination)': it holds files and was not made by portal publish "
            + "(no \(publishMarker) in it), and publishing deletes every file there that the site does not have",
        hint: "publish into an empty or new folder; if it holds an earlier publish of this site, "
            + "create an empty \(publishMarker) file in it first")
}

/// The path part of a remote destination, normalised (`/./`, `//` and `..` worked out); nil when
/// it is the server's root, a home folder or above one, or no folder at all.
func remotePath(_ destination: String) -> String? {
    let path: Substring
    if destination.hasPrefix("rsync://") {
        // rsync://host/module/path: the module is the first segment; the bare server has none.
        let rest = destination.dropFirst("rsync://".count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        path = rest[rest.index(after: slash)...]
    } else {
        guard let colon = destination.firstIndex(of: ":") else { return nil }
        path = destination[destination.index(after: colon)...]
    }
    var segments = normalisedSegments(path)
    let absolute = path.hasPrefix("/")
    // `~` and `~user` are home folders; a relative path starts in the home folder; `host::`
    // is rsync's daemon syntax, whose first segment is a module, as with rsync://.
    if !path.hasPrefix(":"), let first = segments.first, first.hasPrefix("~") { segments.removeFirst() }
    if path.hasPrefix(":") { segments = normalisedSegments(path.dropFirst()) }
    guard !segments.isEmpty, !segments.contains("..") else { return nil }
    // `/home` and `/Users` hold every home folder.
    if absolute && segments.count == 1 && ["home", "Users", "root"].contains(segments[0]) { return nil }
    return (absolute || destination.hasPrefix("rsync://") ? "/" : "") + segments.joined(separator: "/")
}

/// Path segments with `.` and empty ones dropped and `..` applied; a `..` left at the start means
/// the path climbs above where it starts, and is kept so callers can refuse it.
private func normalisedSegments(_ path: Substring) -> [String] {
    var segments: [String] = []
    for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
        switch segment {
        case ".": continue
        case "..":
            if let last = segments.last, last != ".." { segments.removeLast() } else { segments.append("..") }
        default: segments.append(String(segment))
        }
    }
    return segments
}

/// A remote folder is listed with rsync before anything is sent: a new one (rsync says it does not
/// exist) or an empty one is fine; one with files must hold the publish marker. Listing a file
/// as a folder fails, and so does the publish, before anything is sent.
private func remoteRefusal(_ destination: String, rsync: String) -> PublishFailure? {
    let folder = destination.hasSuffix("/") ? destination : destination + "/"
    let output: ProgramOutput
    do {
        output = try runProgram(rsync, ["--list-only", "--", folder])
    } catch {
        return .failed(
            PublishError(
                message: "could not run \(rsync): \(error.localizedDescription)",
                hint: "check that it is an executable rsync"))
    }
    if output.status != 0 {
        if output.stderr.contains("No such file or directory") { return nil }
        return .failed(rsyncFailure(status: output.status, stderr: output.stderr))
    }
    var entries: [String] = []
    for line in output.stdout.split(whereSeparator: \.isNewline) {
        // "drwxr-xr-x          4,096 2024/01/01 12:00:00 name": the name is the fifth field on.
        let fields = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true)
        guard fields.count == 5 else { continue }
        if fields[4] != "." { entries.append(String(fields[4])) }
    }
    return unmarkedRefusal(destination, entries: entries).map { .refused($0) }
}

/// 12345 as "12,345", the style of the build's own figures.
func formatCount(_ value: Int) -> String {
    let digits = String(value.magnitude)
    var result = ""
    for (index, character) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(character)
    }
    return (value < 0 ? "-" : "") + result
}
