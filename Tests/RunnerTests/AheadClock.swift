import Cache
import Foundation
import Stages

/// The system clock plus an offset that tests move forward instead of sleeping: "two seconds later" is
/// `advance(by: 2)`, and files written before it are then as old as the racy-timestamp rule asks.
final class AheadClock: WallClock, Sendable {
    private let offset = Locked<Int64>(0)

    var nanosecondsSince1970: Int64 { SystemClock().nanosecondsSince1970 + offset.withLock { $0 } }

    func advance(by seconds: Double) {
        offset.withLock { $0 += Int64(seconds * 1_000_000_000) }
    }
}
