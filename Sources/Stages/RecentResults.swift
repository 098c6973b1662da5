import Cache
import Foundation

/// The last few results of a pure function of (a context string, some bytes), for work that several
/// stages of one cluster repeat on the same input. Keyed by the bytes' SHA-256, so a hit is the same
/// input; failures are not kept. Thread-safe; the oldest entry goes first once `capacity` is reached.
final class RecentResults<Value>: @unchecked Sendable {
    private let capacity: Int
    private let lock = NSLock()
    private var values: [Key: Value] = [:]
    private var order: [Key] = []

    private struct Key: Hashable {
        var context: String
        var digest: Digest
    }

    init(capacity: Int) {
        self.capacity = capacity
    }

    func value(for context: String, _ bytes: [UInt8], compute: () throws -> Value) rethrows -> Value {
        let key = Key(context: context, digest: Digest.of(bytes))
        if let known = lock.withLock({ values[key] }) { return known }
        let value = try compute()
        lock.withLock {
            if values[key] == nil {
                if order.count >= capacity { values[order.removeFirst()] = nil }
                order.append(key)
            }
            values[key] = value
        }
        return value
    }
}
