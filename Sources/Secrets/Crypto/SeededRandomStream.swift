import FoundationEssentials
import Glibc
import SystemKit
import Hashing

/// A deterministic byte stream standing in for the OS CSPRNG while a benchmark fleet is generated: every
/// key, serial, token, IV and ECDSA nonce of a bundle then follows from its seed, so the same seed gives
/// byte-identical files. SHA-256 in counter mode over the seed. The keys it makes are as public as the
/// seed: never for a real cluster (only `SecretsBundleGenerator.benchmarkBundle` installs one).
final class SeededRandomStream: @unchecked Sendable {
    /// The stream `LibCrypto.randomBytes` draws from in this task, if any.
    @TaskLocal static var current: SeededRandomStream?

    private let lock = Lock()
    private let seed: [UInt8]
    private var counter: UInt64 = 0
    private var buffer: [UInt8] = []

    init(seed: [UInt8]) { self.seed = seed }

    func bytes(_ count: Int) -> [UInt8] {
        lock.withLock {
            while buffer.count < count {
                var block = seed
                withUnsafeBytes(of: counter.bigEndian) { block.append(contentsOf: $0) }
                buffer += Digest.of(block).bytes
                counter += 1
            }
            let out = Array(buffer.prefix(count))
            buffer.removeFirst(count)
            return out
        }
    }
}
