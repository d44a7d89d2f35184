import Foundation

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

    let diagnostics = check(root: options.build.root)
    if diagnostics.hasErrors { return .failure(.content(diagnostics)) }
    let report: BuildReport
    switch build(options.build) {
    case .success(let value): report = value
    case .failure(.content(let diagnostics)): return .failure(.content(diagnostics))
    case .failure(.write(let message)):
        return .failure(.failed(PublishError(message: message, hint: "fix the output folder, then publish again")))
    }

    let arguments = rsyncArguments(
        source: options.build.output, destination: options.destination, dryRun: options.dryRun,
        checksum: options.checksum)
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
            changes: parseRsyncOutput(output.stdout)))
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

/// Syncing with deletion into the wrong folder would delete its contents: refuse the file
/// system root, the home folder, the site's own folders and anything that contains them.
private func refusal(of destination: String, options: BuildOptions) -> PublishError? {
    let trimmed = destination.trimmingCharacters(in: .whitespaces)
    guard !trimmed.isEmpty else {
        return PublishError(
            message: "the destination is empty", hint: "give a folder or user@host:path to publish into")
    }
    if isRemoteDestination(trimmed) {
        // `host:` alone, or with `~` or `/`, is the user's home or the server's root.
        guard !trimmed.hasPrefix("rsync://"), let colon = trimmed.firstIndex(of: ":") else { return nil }
        let path = trimmed[trimmed.index(after: colon)...]
        guard ["", "/", "~", "~/", ".", "./"].contains(path) else { return nil }
        return PublishError(
            message: "refusing to publish into '\(destination)', a whole home or root folder: "
                + "publishing deletes every file there that the site does not have",
            hint: "name the site's own folder, e.g. user@host:/var/www/spr")
    }
    let target = URL(fileURLWithPath: trimmed).standardizedFileURL.resolvingSymlinksInPath().path
    let home = URL(fileURLWithPath: NSHomeDirectory()).standardizedFileURL.resolvingSymlinksInPath().path
    let output = options.output.resolvingSymlinksInPath().path
    let root = options.root.resolvingSymlinksInPath().path
    func contains(_ folder: String, _ path: String) -> Bool {
        folder == path || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }
    if target == "/" || target == home || contains(target, root) || contains(root, target) || contains(target, output)
        || contains(output, target)
    {
        return PublishError(
            message: "refusing to publish into '\(destination)': "
                + "publishing deletes every file there that the site does not have",
            hint: "choose a folder of its own for the published site, outside the site's folder")
    }
    return nil
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
