import Dispatch
import Foundation

/// Maps over items on every core. Pages are independent once resolved, so render and parse work
/// splits cleanly; results keep the input order so output stays deterministic.
package func parallelMap<T: Sendable, R: Sendable>(
    _ items: [T], progress: ProgressCounter? = nil, _ transform: @Sendable (T) -> R
) -> [R] {
    if items.count < 2 {
        return items.map { item in
            defer { progress?.advance() }
            return transform(item)
        }
    }
    var results = [R?](repeating: nil, count: items.count)
    results.withUnsafeMutableBufferPointer { buffer in
        nonisolated(unsafe) let slots = buffer
        DispatchQueue.concurrentPerform(iterations: items.count) { index in
            slots[index] = transform(items[index])
            progress?.advance()
        }
    }
    return results.map { $0! }
}

/// Runs two independent jobs at once and returns both results. The first runs on the calling
/// thread and the second on a thread of its own, not as two iterations of `concurrentPerform`:
/// libdispatch runs a `concurrentPerform` nested inside another one serially, so a `parallelMap`
/// inside either job would use one core.
package func concurrently<A: Sendable, B: Sendable>(_ first: () -> A, _ second: @escaping @Sendable () -> B) -> (A, B) {
    let started = Started(second)
    let a = first()
    return (a, started.value)
}

/// A job running on a thread of its own from the moment it is made, for work the caller needs
/// only later (a rebuild's record of what each page read, needed once the graph is there).
package final class Started<Value: Sendable>: Sendable {
    private let slot = ResultSlot<Value>()

    package init(_ job: @escaping @Sendable () -> Value) {
        let slot = slot
        let thread = Thread { slot.fill(job()) }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// The job's result, once it has finished.
    package var value: Value { slot.wait() }
}

/// One value handed from a thread to the one waiting for it.
private final class ResultSlot<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?

    func fill(_ value: Value) {
        self.value = value
        done.signal()
    }

    /// May be asked more than once: each waiter hands the signal on.
    func wait() -> Value {
        done.wait()
        defer { done.signal() }
        return value!
    }
}
