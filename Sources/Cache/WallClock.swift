import FoundationEssentials
import Glibc

/// Where "now" comes from: the system's real-time clock in the tool; tests pass one that runs ahead, so
/// the time-dependent rules (a file hashed too soon after its last change is not trusted, a result that
/// expires) are exercised without sleeping — as ninja's tests drive a virtual clock.
public protocol WallClock: Sendable {
    /// Nanoseconds since 1970.
    var nanosecondsSince1970: Int64 { get }
}

extension WallClock {
    public var now: Date { Date(timeIntervalSince1970: Double(nanosecondsSince1970) / 1_000_000_000) }
}

/// The system's real-time clock (`CLOCK_REALTIME`, the clock file times are stamped with).
public struct SystemClock: WallClock {
    public init() {}

    public var nanosecondsSince1970: Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
