/// The bytes a cache hit restores, read and verified before the hit is taken: a blob that is missing or
/// damaged makes the record a miss (the stage runs again, with a warning) instead of a restore that fails
/// half-way — or fails on every later run, because the record still looks usable.
extension CacheDirectory {
    /// The verified bytes of `entries` (outputs of `record` to write back), by output path; nil when any
    /// cannot be had. Without a key, secret outputs were never stored: that is a silent miss.
    public func restorableBytes(of entries: [OutputEntry], record: ActionRecord) -> [String: [UInt8]]? {
        var bytes = [String: [UInt8]]()
        var complete = true
        // Every entry is read even after a failure: each damaged copy is then known (and skipped), so the
        // stage's new outputs are stored again instead of being taken as already stored.
        for (entry, read) in zip(entries, blobs.read(entries.map(\.digest))) {
            guard let read else {
                if complete && !(key == nil && OutputEntry.isSecret(mode: entry.mode)) {
                    warn("the cached \(record.stage) result for \(record.cluster) names blob \(entry.digest.hex.prefix(12)) "
                         + "(\(entry.path)), which is missing or damaged; the stage runs again")
                }
                complete = false
                continue
            }
            bytes[entry.path] = read
        }
        return complete ? bytes : nil
    }
}
