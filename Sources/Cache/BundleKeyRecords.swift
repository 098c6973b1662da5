import FoundationEssentials

/// What a secrets file's decrypted bundle keys (`SecretsBundleKey`), remembered by the file's own
/// digest, so a later run with the same file bytes (a restore, a plan) keys admincert and genconfig
/// without decrypting — and without the age identity. Stored as an ordinary action record of the
/// pseudo-stage `bundle-key` (no outputs; inputs: the file's digest and the bundle's), so it carries the
/// record MAC and is aged, verified and collected like any record.
///
/// Used only with a cache key: the MAC is what makes a planted or altered mapping a miss (decrypt)
/// rather than a wrong key. Keyless runs neither read nor write it (they rerun the secret-consuming
/// stages anyway, since their outputs are not stored without a key).
extension ActionCache {
    static let bundleKeyStage = "bundle-key"
    static let bundleKeyVersion = "1"

    /// The record key for a secrets file's content (the tool version in it: another binary may key bundles otherwise).
    static func bundleKeyRecordKey(fileDigest: Digest, toolVersion: String) -> Digest {
        ActionKey(stage: bundleKeyStage, stageVersion: bundleKeyVersion, toolVersion: toolVersion, parameters: [],
                  inputs: [ActionInput(name: "secrets", digest: fileDigest)]).digest
    }

    /// The bundle digest remembered for a secrets file with content `fileDigest`; nil without a cache key,
    /// when none is stored, or when the stored one fails its MAC or shape (a miss: the caller decrypts).
    public func rememberedBundleDigest(ofFileDigest fileDigest: Digest, toolVersion: String) throws -> Digest? {
        guard key != nil else { return nil }
        let recordKey = Self.bundleKeyRecordKey(fileDigest: fileDigest, toolVersion: toolVersion)
        guard let record = try lookup(recordKey), record.stage == Self.bundleKeyStage, record.outputs.isEmpty,
              record.inputs.count == 2, record.inputs[0] == ActionInput(name: "secrets", digest: fileDigest),
              record.inputs[1].name == "bundle"
        else { return nil }
        try markUsed(recordKey)
        return record.inputs[1].digest
    }

    /// Remembers what a secrets file with content `fileDigest` keys (nothing without a cache key).
    public func rememberBundleDigest(_ bundleDigest: Digest, ofFileDigest fileDigest: Digest, cluster: String,
                                     toolVersion: String, at date: Date = Date()) throws {
        guard key != nil else { return }
        try record(ActionRecord(key: Self.bundleKeyRecordKey(fileDigest: fileDigest, toolVersion: toolVersion),
                                stage: Self.bundleKeyStage, cluster: cluster, outputs: [],
                                inputs: [ActionInput(name: "secrets", digest: fileDigest), ActionInput(name: "bundle", digest: bundleDigest)],
                                created: date, lastUsed: date, duration: 0))
    }
}
