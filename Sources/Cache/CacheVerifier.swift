/// Checks a whole cache: SQLite's integrity check, every blob re-hashed (corrupt ones removed), and
/// every record's outputs present (records that cannot be restored any more are removed, so they
/// count as misses instead of failing later).
public enum CacheVerifier {
    public static func verify(_ cache: CacheDirectory) throws -> VerificationReport {
        var report = VerificationReport()
        report.databaseProblems = try cache.database.integrityProblems()
        // Packs first, walked entry by entry (damaged entries are dropped from them), then loose blobs.
        let packed = try cache.blobs.verifyPacks()
        report.checkedBlobs += packed.checked
        report.corruptBlobs += packed.corrupt
        var present = packed.valid
        for blob in try cache.blobs.allBlobs() where !packed.valid.contains(blob.digest) {
            report.checkedBlobs += 1
            switch try cache.blobs.check(blob.digest) {
            case .valid: present.insert(blob.digest)
            case .corrupt: report.corruptBlobs.append(blob.digest)
            case .missing: break     // removed by someone else meanwhile
            }
        }
        var broken = [Digest]()
        for manifest in try cache.actions.manifests() {
            report.checkedRecords += 1
            let missing = manifest.outputs.filter { !present.contains($0.digest) && !cache.blobs.contains($0.digest) }
            guard !missing.isEmpty else { continue }
            broken.append(manifest.key)
            report.missingOutputs += missing.map {
                .init(record: manifest.key, stage: manifest.stage, cluster: manifest.cluster, path: $0.path, digest: $0.digest)
            }
        }
        try cache.actions.remove(broken)
        return report
    }
}
