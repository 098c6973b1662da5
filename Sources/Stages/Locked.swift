import FoundationEssentials
import Glibc
import SystemKit

/// A value guarded by a lock: the one place the runner and the stages say "@unchecked Sendable" for
/// shared mutable state (the standard library's `Mutex` needs macOS 15; Package.swift declares 13).
public final class Locked<Value>: @unchecked Sendable {  // @unchecked: `value` is only reached inside `withLock`
    private let lock = Lock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value, under the lock.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
