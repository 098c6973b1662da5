/// The MAC of an action record: HMAC-SHA256 under the cache key over everything that decides what a
/// restore writes — key, stage, cluster, every output (path, digest, mode, size) and input, each field
/// length-prefixed and each list counted. Times are left out: last-use times change on every hit.
/// A record without a valid MAC is never used when a key is present, so a writer of the cache folder
/// who lacks the key can delete records but not forge or alter one.
enum RecordIntegrity {
    static let purpose = "talos-batch action record v1"

    static func mac(_ record: ActionRecord, key: CacheKey) -> Digest {
        var bytes = ByteWriter()
        bytes.digest(record.key)
        bytes.string(record.stage)
        bytes.string(record.cluster)
        bytes.u32(UInt32(truncatingIfNeeded: record.outputs.count))
        for output in record.outputs {
            bytes.string(output.path)
            bytes.digest(output.digest)
            bytes.u32(output.mode)
            bytes.i64(output.size)
        }
        bytes.u32(UInt32(truncatingIfNeeded: record.inputs.count))
        for input in record.inputs {
            bytes.string(input.name)
            bytes.digest(input.digest)
        }
        return key.mac(purpose, bytes.buffer)
    }

    /// Why a stored record cannot be trusted, or nil. `outputCount` is how many outputs the record had
    /// when written (a row deleted since shows up without a key too).
    static func problem(_ record: ActionRecord, storedMAC: Digest?, outputCount: Int64, key: CacheKey?) -> String? {
        if Int64(record.outputs.count) != outputCount {
            return "it lists \(record.outputs.count) of its \(outputCount) outputs"
        }
        if let problem = OutputDeclaration.plainFiles.problemIgnoringModes(in: record.outputs) { return problem }
        guard let key else { return nil }
        guard let storedMAC else { return "it carries no integrity code (written without a cache key)" }
        guard mac(record, key: key).constantTimeEquals(storedMAC) else {
            return "its integrity code does not match (altered, or written under another cache key)"
        }
        return nil
    }
}

extension OutputDeclaration {
    /// The shape checks every record gets whatever its stage: plain relative paths, no duplicates, sizes
    /// not negative, and modes with no bits beyond rwx and no group or other write.
    func problemIgnoringModes(in outputs: [OutputEntry]) -> String? {
        var seen = Set<String>()
        for output in outputs {
            guard OutputPath.isPlainRelative(output.path) else { return "output path \"\(output.path)\" is not a plain relative path" }
            guard seen.insert(output.path).inserted else { return "output \(output.path) is listed twice" }
            guard output.size >= 0 else { return "output \(output.path) has a negative size" }
            guard output.mode & ~0o755 == 0 else {
                return "output \(output.path) has mode \(Self.octal(output.mode)) (setuid, sticky or writable by others)"
            }
        }
        return nil
    }
}
