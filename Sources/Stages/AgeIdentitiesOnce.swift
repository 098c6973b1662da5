import Foundation
import Secrets

/// A value computed on first use and kept, failure included; thread-safe.
final class AgeIdentitiesOnce: @unchecked Sendable {  // @unchecked: `result` is only touched under `lock`
    private let lock = NSLock()
    private var result: Result<[AgeIdentity], any Error>?

    func value(_ compute: () throws -> [AgeIdentity]) throws -> [AgeIdentity] {
        try lock.withLock {
            if result == nil { result = Result { try compute() } }
            return try result!.get()
        }
    }
}
