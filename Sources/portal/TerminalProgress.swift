import Foundation
import PortalBuild
import PortalScaffold
import PortalSupport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress line on a terminal ("rendering 4,000 of 10,000"), redrawn at most ten times a
/// second. Nil when standard error is not a terminal, so CI logs stay quiet and line-oriented.
final class TerminalProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw: UInt64 = 0
    private var drawn = false

    init?() {
        guard isatty(STDERR_FILENO) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
    }

    func show(_ progress: BuildProgress) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        defer { lock.unlock() }
        let finished = progress.done == progress.total
        guard finished || now - lastDraw > 100_000_000 else { return }
        lastDraw = now
        drawn = true
        let text = "\(progress.stage) \(progress.done) of \(progress.total)"
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }

    func clear() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
