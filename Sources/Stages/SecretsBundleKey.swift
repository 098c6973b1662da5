import Diagnostics
import Hashing
import Secrets

/// What keys the stages that consume a cluster's secrets (admincert, genconfig): the SHA-256 of the
/// decrypted bundle in a canonical encoding, not of the SOPS file (issue 19). Re-encrypting the same
/// plaintext (a new data key, new MACs) or a change of the `sops` metadata alone then keys the same, so
/// it neither reissues the admin certificate nor reruns genconfig.
///
/// Why a plain digest may sit in the cache: the encoding covers the whole bundle, CA private keys and
/// tokens included (hundreds of random bytes), so the digest cannot be inverted or confirmed by guessing
/// — unlike a digest of one low-entropy value, which would need an HMAC under the cache key. It is also
/// the same with and without a cache key, so keyless and keyed runs share records.
public enum SecretsBundleKey {
    /// The digest for a secrets file's bytes (decrypted with the run's age identities when encrypted;
    /// once per run for each file content, shared by every stage and cluster asking).
    /// `read` gives the file's bytes (whose SHA-256 is `fileDigest`); it is called only when this run has
    /// not seen that content yet and `remembered` (the cache's authenticated memory of earlier runs) does
    /// not know it either; a digest computed here is handed to `remember`.
    public static func digest(ofFileDigest fileDigest: Digest, cluster: ClusterContext, environment: StageEnvironment,
                              remembered: (Digest) throws -> Digest? = { _ in nil },
                              remember: (Digest) throws -> Void = { _ in },
                              read: () throws -> [UInt8]) throws -> Digest {
        try environment.memos.bundleDigests.value(for: "", fileDigest.bytes) {
            if let known = try remembered(fileDigest) { return known }
            let digest = try decryptedDigest(of: try read(), fileDigest: fileDigest, cluster: cluster, environment: environment)
            try remember(digest)
            return digest
        }
    }

    /// The digest itself, from the file's bytes (decrypting them when encrypted).
    static func decryptedDigest(of bytes: [UInt8], fileDigest: Digest, cluster: ClusterContext,
                                environment: StageEnvironment) throws -> Digest {
        let bundle = try GenconfigStage.secrets(cluster: cluster, bytes: bytes, digest: fileDigest, environment: environment)
        // Whether the file is encrypted keys too: a bundle moved into plain text runs genconfig once more,
        // which is where the plaintext warning is given, instead of being restored silently. (Derived from the
        // file's bytes, so the cache's file digest → bundle digest memory implies it.)
        let storage: [UInt8] = Array((SOPSFile.isEncrypted(bytes) ? "stored: sops\n" : "stored: plaintext\n").utf8)
        return Digest.of(canonicalEncoding(of: bundle) + storage)
    }

    /// Every field, in a fixed order, each labelled and length-prefixed (an absent optional is a distinct
    /// marker), so two different bundles never encode alike.
    static func canonicalEncoding(of bundle: SecretsBundle) -> [UInt8] {
        var out = Array("talos-batch secrets bundle v1\n".utf8)
        func field(_ label: String, _ value: String?) {
            out += Array(label.utf8)
            guard let value else {
                out.append(0)
                return
            }
            out.append(1)
            out.appendLengthPrefixed(Array(value.utf8))
        }
        field("cluster.id", bundle.clusterID)
        field("cluster.secret", bundle.clusterSecret)
        field("bootstrap.token", bundle.bootstrapToken)
        field("secretbox", bundle.secretboxEncryptionSecret)
        field("aescbc", bundle.aescbcEncryptionSecret)
        field("trustd.token", bundle.trustdToken)
        for (name, pair) in [("etcd", bundle.etcd), ("k8s", bundle.k8s), ("k8saggregator", bundle.k8sAggregator), ("os", bundle.os)] {
            field(name + ".crt", pair.crt)
            field(name + ".key", pair.key)
        }
        field("k8sserviceaccount.key", bundle.k8sServiceAccountKey)
        return out
    }
}
