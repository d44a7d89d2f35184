import Dispatch

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

/// Runs two independent jobs at once and returns both results.
package func concurrently<A: Sendable, B: Sendable>(_ first: @Sendable () -> A, _ second: @Sendable () -> B) -> (A, B) {
    var a: A?
    var b: B?
    withUnsafeMutablePointer(to: &a) { slotA in
        withUnsafeMutablePointer(to: &b) { slotB in
            nonisolated(unsafe) let (pointerA, pointerB) = (slotA, slotB)
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                if index == 0 { pointerA.pointee = first() } else { pointerB.pointee = second() }
            }
        }
    }
    return (a!, b!)
}
