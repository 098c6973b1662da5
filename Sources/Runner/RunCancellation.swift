import FoundationEssentials
import Glibc
import Stages

/// A request to end a run early (SIGTERM, SIGINT): the scheduler starts no new task once it is set; tasks
/// already running finish, so every cluster is either committed whole or left as it was, its temp files
/// removed and its lock released. Set from a signal source's handler, read by the scheduler.
public final class RunCancellation: Sendable {
    private let signalNumber = Locked<Int32?>(nil)

    public init() {}

    /// Asks the run to stop; `signal` is the one that asked (the first one is kept).
    public func cancel(signal: Int32) {
        signalNumber.withLock { if $0 == nil { $0 = signal } }
    }

    /// The signal that cancelled the run; nil while it goes on.
    public var signal: Int32? { signalNumber.withLock { $0 } }

    public var isCancelled: Bool { signal != nil }
}
