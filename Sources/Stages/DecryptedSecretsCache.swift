import Cache
import Foundation
import Secrets

/// Decrypted, validated secrets bundles of this process, keyed by the encrypted file's SHA-256 and the
/// public recipients of the age identities used — so a fleet sharing one bundle decrypts it once per run,
/// not once per cluster and stage. Only successes are kept. When every cluster has its own bundle, the
/// admincert stage (no upstream) runs well ahead of the same cluster's genconfig, so the bound must cover
/// the clusters in flight between them; 128 bundles are about 1 MB. Plaintext never leaves memory.
enum DecryptedSecretsCache {
    static let capacity = 128

    private static let storage = Storage()

    static func bundle(for encrypted: [UInt8], identities: [AgeIdentity], decrypt: () throws -> SecretsBundle) throws -> SecretsBundle {
        let key = Digest.of(encrypted).hex + "\n" + identities.map(\.recipient).joined(separator: "\n")
        if let cached = storage.get(key) { return cached }
        let bundle = try decrypt()
        storage.put(key, bundle)
        return bundle
    }

    private final class Storage: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [(key: String, bundle: SecretsBundle)] = []

        func get(_ key: String) -> SecretsBundle? {
            lock.withLock { entries.first { $0.key == key }?.bundle }
        }

        func put(_ key: String, _ bundle: SecretsBundle) {
            lock.withLock {
                guard !entries.contains(where: { $0.key == key }) else { return }
                if entries.count >= DecryptedSecretsCache.capacity { entries.removeFirst() }
                entries.append((key, bundle))
            }
        }
    }
}
