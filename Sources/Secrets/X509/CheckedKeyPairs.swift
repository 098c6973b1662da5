import FoundationEssentials
import Glibc
import SystemKit
import Hashing

/// The certificate/key pairs this process has already found to match, by SHA-256 of their text: a bundle
/// read by several stages (genconfig, admincert) is checked once. Bounded so that a huge fleet's memory
/// stays flat; forgetting only means checking again.
final class CheckedKeyPairs: @unchecked Sendable {
    static let shared = CheckedKeyPairs()
    static let capacity = 1 << 17

    private let lock = Lock()
    private var digests = Set<[UInt8]>()

    static func key(certificate: String, key: String) -> [UInt8] {
        var text = Array(certificate.utf8)
        text.append(0)
        text.append(contentsOf: key.utf8)
        return Digest.of(text).bytes
    }

    func contains(_ digest: [UInt8]) -> Bool {
        lock.withLock { digests.contains(digest) }
    }

    func insert(_ digest: [UInt8]) {
        lock.withLock {
            if digests.count >= Self.capacity { digests.removeAll(keepingCapacity: true) }
            digests.insert(digest)
        }
    }
}
