import Glibc

/// A mutual-exclusion lock with NSLock's shape (`lock`, `unlock`, `withLock`), over a pthread mutex, so
/// modules need not import full Foundation (whose libraries cost every process ~5 ms to load).
public final class Lock: @unchecked Sendable {
    // Heap-allocated: a pthread mutex must not move once initialised.
    let mutex: UnsafeMutablePointer<pthread_mutex_t>  // internal: `Condition` waits on it

    public init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    public func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
