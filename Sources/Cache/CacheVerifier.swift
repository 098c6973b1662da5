/// Checks a whole cache and repairs what it finds, so that every kind of damage becomes an ordinary
/// miss: the database (moved aside at open when unusable, then SQLite's integrity check), every pack
/// (damaged entries dropped, a missing or damaged index rebuilt), every loose blob re-hashed (damaged ones
/// removed), and every record — its integrity code, its shape, and that each output's blob is present.
/// Records that fail are removed.
public enum CacheVerifier {
    public static func verify(_ cache: CacheDirectory) throws -> VerificationReport {
        var report = VerificationReport()
        report.folderRepairs = cache.repairsAtOpen
        if let aside = cache.database.movedAsideTo {
            report.databaseProblems.append("\(cache.database.url.lastPathComponent): \(cache.database.movedAsideBecause ?? "unusable"); "
                                           + "moved it aside to \(aside.lastPathComponent) and started a fresh cache")
        }
        report.databaseProblems += cache.database.damageAtOpen
        report.databaseProblems += try cache.database.integrityProblems()
        if let problem = cache.stamps.problem() {
            cache.stamps.removeAll()
            report.folderRepairs.append("\(StampStore.fileName): \(problem); removed it (clusters take the ordinary path once)")
        }
        // Packs first, walked entry by entry (damaged entries are dropped from them), then loose blobs.
        let packed = try cache.blobs.verifyPacks()
        report.checkedBlobs += packed.checked
        report.corruptBlobs += packed.corrupt
        report.reindexedPacks = packed.reindexed
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
        for (record, problem) in try cache.actions.inspectAll() {
            report.checkedRecords += 1
            if let problem {
                broken.append(record.key)
                report.damagedRecords.append(.init(record: record.key, stage: record.stage, cluster: record.cluster, problem: problem))
                continue
            }
            // Without a key, secret outputs are never stored: their absence is by design.
            let missing = record.outputs.filter {
                !(cache.key == nil && OutputEntry.isSecret(mode: $0.mode))
                    && !present.contains($0.digest) && !cache.blobs.contains($0.digest)
            }
            guard !missing.isEmpty else { continue }
            broken.append(record.key)
            report.missingOutputs += missing.map {
                .init(record: record.key, stage: record.stage, cluster: record.cluster, path: $0.path, digest: $0.digest)
            }
        }
        try cache.actions.remove(broken)
        return report
    }
}
