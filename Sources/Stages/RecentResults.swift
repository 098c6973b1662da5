import FoundationEssentials
import Glibc
import Hashing
import SystemKit

/// The last few results of a pure function of (a context string, some bytes), for work that several
/// stages of one cluster repeat on the same input. Keyed by the bytes' SHA-256, so a hit is the same
/// input; failures are not kept. Thread-safe; the oldest entry goes first once `capacity` is reached.
final class RecentResults<Value>: @unchecked Sendable {  // @unchecked: every table is only touched under `condition`
    private let capacity: Int
    private let condition = Condition()
    private var values: [Key: Value] = [:]
    private var order: [Key] = []
    /// Keys being computed: a second asker waits for the first instead of computing it again (stages of
    /// one cluster run at the same time on different threads). So `compute` must never ask this same
    /// instance for its own key; none of the users' computations asks its own instance at all.
    private var computing: Set<Key> = []
    /// Askers waiting for a computation under way (tests wait for it instead of sleeping).
    private var waiting = 0

    private struct Key: Hashable {
        var context: String
        var digest: Digest
    }

    init(capacity: Int) {
        self.capacity = capacity
    }

    func value(for context: String, _ bytes: [UInt8], compute: () throws -> Value) rethrows -> Value {
        try value(for: context, digest: Digest.of(bytes), compute: compute)
    }

    /// The same, for a caller that already holds the input's SHA-256 (or hashed it in pieces).
    func value(for context: String, digest: Digest, compute: () throws -> Value) rethrows -> Value {
        let key = Key(context: context, digest: digest)
        condition.lock()
        while computing.contains(key) {
            waiting += 1
            condition.wait()
            waiting -= 1
        }
        if let known = values[key] {
            condition.unlock()
            return known
        }
        computing.insert(key)
        condition.unlock()
        let value: Value
        do {
            value = try compute()
        } catch {
            finish(key, nil)
            throw error
        }
        finish(key, value)
        return value
    }

    /// Returns once `count` askers wait for a computation under way (for tests: polls, yielding the CPU).
    func waitUntilWaiting(_ count: Int) {
        while condition.withLock({ waiting < count }) { sched_yield() }
    }

    private func finish(_ key: Key, _ value: Value?) {
        condition.lock()
        defer { condition.unlock() }
        computing.remove(key)
        condition.broadcast()
        guard let value else { return }
        if values[key] == nil {
            if order.count >= capacity { values[order.removeFirst()] = nil }
            order.append(key)
        }
        values[key] = value
    }
}
