import Foundation
import PortalSupport

/// When a source file last changed and who changed it, from the git history of the site root.
public struct LastChange: Sendable, Equatable {
    /// The author date in the author's own time zone, so the day shown is the day they saw.
    public var date: PartialDate
    public var author: String

    package init(date: PartialDate, author: String) {
        self.date = date
        self.author = author
    }
}

/// Every tracked source file's latest change, from one `git log` over the whole history: one
/// process for the site, not one per file (a site can have 10,000 files).
public struct GitHistory: Sendable {
    /// Paths relative to the site root, as the loader names files (`Content/threats/x.md`).
    public var changes: [String: LastChange] = [:]

    public init(changes: [String: LastChange] = [:]) {
        self.changes = changes
    }

    /// The latest change among a page's source files; nil when none is committed.
    public func lastChange(of files: [String]) -> LastChange? {
        files.compactMap { changes[$0] }.max { $0.date < $1.date }
    }

    /// Reads the history of `Content/` and `Themes/` under `root`. Returns an empty history when
    /// the root is not a git checkout or git is missing: the dates are then left out, silently.
    public static func load(root: String) -> GitHistory {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "git", "-C", root, "-c", "core.quotepath=off", "log", "--relative", "--name-only", "-z",
            "--format=%x1e%aI%x1f%aN", "--", SitePath.content, SitePath.themes,
        ]
        var environment = ProcessInfo.processInfo.environment
        // Reading must never take a lock a concurrent git command in the checkout is waiting for.
        environment["GIT_OPTIONAL_LOCKS"] = "0"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return GitHistory() }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return GitHistory() }
        return parse(String(decoding: data, as: UTF8.self))
    }

    /// Parses `git log --name-only -z --format=%x1e%aI%x1f%aN`: newest commit first, so the first
    /// time a path appears is its latest change.
    static func parse(_ log: String) -> GitHistory {
        var changes: [String: LastChange] = [:]
        for record in log.split(separator: "\u{1E}", omittingEmptySubsequences: true) {
            let fields = record.split(separator: "\0", omittingEmptySubsequences: false)
            guard let header = fields.first else { continue }
            let parts = header.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let date = PartialDate(String(parts[0].prefix(10))), date.day != nil else {
                continue
            }
            let change = LastChange(date: date, author: String(parts[1]).trimmingCharacters(in: .whitespaces))
            for field in fields.dropFirst() {
                let path = field.trimmingCharacters(in: .newlines)
                if !path.isEmpty && changes[path] == nil { changes[path] = change }
            }
        }
        return GitHistory(changes: changes)
    }
}
