import Foundation
import Hashing
import Secrets

/// Decrypted, validated secrets bundles of one run (see `StageMemos`), keyed by the encrypted file's SHA-256 and the
/// public recipients of the age identities used — so a fleet sharing one bundle decrypts it once per run,
/// not once per cluster and stage. Only successes are kept. When every cluster has its own bundle, the
/// admincert stage (no upstream) runs well ahead of the same cluster's genconfig, so the bound must cover
/// the clusters in flight between them; 128 bundles are about 1 MB. Plaintext never leaves memory.
final class DecryptedSecretsCache: Sendable {
    static let capacity = 128

    private let entries = Locked<[(key: String, bundle: SecretsBundle)]>([])

    func bundle(for encrypted: [UInt8], identities: [AgeIdentity], decrypt: () throws -> SecretsBundle) throws -> SecretsBundle {
        let key = Digest.of(encrypted).hex + "\n" + identities.map(\.recipient).joined(separator: "\n")
        if let cached = entries.withLock({ entries in entries.first { $0.key == key }?.bundle }) { return cached }
        let bundle = try decrypt()
        entries.withLock { entries in
            guard !entries.contains(where: { $0.key == key }) else { return }
            if entries.count >= Self.capacity { entries.removeFirst() }
            entries.append((key, bundle))
        }
        return bundle
    }
}
