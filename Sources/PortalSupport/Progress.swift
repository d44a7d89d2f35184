import Foundation

/// A stage of a build and how far it is, for a progress line on a terminal.
public struct BuildProgress: Sendable {
    public var stage: String
    public var done: Int
    public var total: Int
}

/// Counts finished items of a stage across threads and reports them. The reporter decides how
/// often to show anything; this only counts.
package final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    let stage: String
    let total: Int
    let report: @Sendable (BuildProgress) -> Void

    package init(stage: String, total: Int, report: @escaping @Sendable (BuildProgress) -> Void) {
        self.stage = stage
        self.total = total
        self.report = report
        report(BuildProgress(stage: stage, done: 0, total: total))
    }

    func advance() {
        lock.lock()
        done += 1
        let value = done
        lock.unlock()
        report(BuildProgress(stage: stage, done: value, total: total))
    }
}
