import Glibc

/// A lock with a condition variable, NSCondition's shape (`lock`, `unlock`, `wait`, `signal`, `broadcast`,
/// `withLock`), over pthreads, so modules need not import full Foundation. The mutex is a `Lock`'s.
public final class Condition: @unchecked Sendable {
    private let mutex = Lock()
    // Heap-allocated: a pthread condition must not move once initialised.
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }

    public func lock() { mutex.lock() }
    public func unlock() { mutex.unlock() }
    /// Waits for a signal; the caller holds the lock (released while waiting, held again on return).
    public func wait() { pthread_cond_wait(condition, mutex.mutex) }
    public func signal() { pthread_cond_signal(condition) }
    public func broadcast() { pthread_cond_broadcast(condition) }

    public func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        try mutex.withLock(body)
    }
}
