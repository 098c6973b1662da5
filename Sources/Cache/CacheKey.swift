import FoundationEssentials
import Glibc

/// The cache's secret, kept outside the cache folder (see `CacheKeySource`): two independent keys derived
/// from it with HKDF — one authenticates action records and the stamp file, the other seals blobs holding
/// secret material. Whoever can write the cache folder but does not hold this secret cannot make a record,
/// a stamp or a sealed blob that talos-batch accepts.
public struct CacheKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// HMAC-SHA256 key for action records and stamps.
    public let integrity: [UInt8]
    /// AES-256-GCM key for sealed blobs.
    public let sealing: [UInt8]
    /// Where the secret came from (for messages; never the secret itself).
    public let origin: String

    static let salt = Array("talos-batch cache key v1".utf8)

    /// Equal when the derived keys are (wherever they came from).
    public static func == (left: CacheKey, right: CacheKey) -> Bool {
        left.integrity == right.integrity && left.sealing == right.sealing
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(integrity) }

    /// Names the key's origin only: key bytes are never printed, not even by a failing test.
    public var description: String { "cache key from \(origin)" }
    public var debugDescription: String { description }

    /// Derives both keys from a secret of any length (32 random bytes from the key file, or the
    /// environment variable's text).
    public init(secret: [UInt8], origin: String) {
        integrity = HMACSHA256.hkdf(secret: secret, salt: Self.salt, info: Array("talos-batch record and stamp integrity".utf8))
        sealing = HMACSHA256.hkdf(secret: secret, salt: Self.salt, info: Array("talos-batch blob sealing aes-256-gcm".utf8))
        self.origin = origin
    }

    /// A MAC under the integrity key, domain-separated by `purpose` so a record's MAC can never pass
    /// as a stamp file's.
    func mac(_ purpose: String, _ message: [UInt8]) -> Digest {
        var hmac = HMACSHA256(key: integrity)
        hmac.update(Array(purpose.utf8) + [0])
        hmac.update(message)
        return hmac.finalize()
    }
}
