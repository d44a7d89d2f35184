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
    let slot = ResultSlot<B>()
    let thread = Thread { slot.fill(second()) }
    thread.stackSize = 8 << 20
    thread.start()
    let a = first()
    return (a, slot.wait())
}

/// One value handed from a thread to the one waiting for it.
private final class ResultSlot<Value>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var value: Value?

    func fill(_ value: Value) {
        self.value = value
        done.signal()
    }

    func wait() -> Value {
        done.wait()
        return value!
    }
}
