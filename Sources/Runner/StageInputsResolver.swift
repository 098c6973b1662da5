import Cache
import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import Stages

/// Turns a stage's declared inputs into digests (for its key) and, on a miss, into bytes.
struct StageInputsResolver {
    let cache: CacheDirectory
    let cluster: ClusterContext
    let environment: StageEnvironment
    /// Keys the cache's bundle-key records (`ActionCache.rememberedBundleDigest`).
    let toolVersion: String
    /// Whether a decrypted bundle's digest is written to the cache (not by dry runs, which write nothing).
    let remembersBundleKeys: Bool

    /// Digest of every input; nil for an upstream output that is not known yet (dry runs). `fileDigests`
    /// gets the digest of every file input keyed by something else than its bytes (the stamp records files).
    func digests(of plan: StagePlan, upstream: [String: StageWork], fileDigests: inout [String: Digest]) throws -> [ActionInput]? {
        var inputs: [ActionInput] = []
        for input in plan.inputs {
            switch input.source {
            case .file(let path):
                let digest = try Self.digest(ofInputAt: path, cache: cache)
                guard input.keyBasis == .secretsBundle else {
                    inputs.append(ActionInput(name: input.name, digest: digest))
                    continue
                }
                fileDigests[path] = digest
                inputs.append(ActionInput(name: input.name, digest: try bundleDigest(path: path, fileDigest: digest)))
            case .upstream(let stage, let output):
                guard let work = upstream[stage], work.outcome.status != .failed, work.outcome.status != .skipped else { return nil }
                // A dry run's "would run" has no outputs yet.
                if work.outcome.status == .ran && work.outcome.outputs.isEmpty && work.pending.isEmpty { return nil }
                guard let entry = work.outcome.outputs.first(where: { $0.path == output }) else {
                    throw Diagnostic.error("internal: stage '\(stage)' produced no '\(output)' for \(cluster.name)")
                }
                inputs.append(ActionInput(name: input.name, digest: entry.digest))
            }
        }
        return inputs
    }

    /// The bytes of every input, each checked against the digest its key used; a file that changed since
    /// it was hashed gets its new digest (returned), so the record never pairs a key with other bytes.
    func contents(of plan: StagePlan, digests: [ActionInput], upstream: [String: StageWork],
                  fileDigests: inout [String: Digest]) throws -> (StageInputs, [ActionInput]) {
        var contents: [String: [UInt8]] = [:]
        var fileContentDigests: [String: Digest] = [:]
        var actual: [ActionInput] = []
        for (input, expected) in zip(plan.inputs, digests) {
            switch input.source {
            case .file(let path):
                let bytes = try Self.read(path)
                contents[input.name] = bytes
                let digest = Digest.of(bytes)
                fileContentDigests[input.name] = digest
                if input.keyBasis == .secretsBundle {
                    fileDigests[path] = digest
                    let bundle = try bundleDigest(fileDigest: digest) { bytes }
                    actual.append(ActionInput(name: input.name, digest: bundle))
                } else {
                    actual.append(ActionInput(name: input.name, digest: digest))
                }
            case .upstream(let stage, let output):
                contents[input.name] = try upstreamBytes(stage: stage, output: output, digest: expected.digest,
                                                         work: upstream[stage])
                actual.append(expected)
            }
        }
        return (StageInputs(contents, digests: fileContentDigests), actual)
    }

    /// The digest keying a secrets file with content `fileDigest` (decrypted once per run and content).
    private func bundleDigest(path: String, fileDigest: Digest) throws -> Digest {
        try bundleDigest(fileDigest: fileDigest) {
            let bytes = try Self.read(path)
            guard Digest.of(bytes) == fileDigest else {
                throw Diagnostic.error("\(FleetLayout.displayPath(path)) changed while it was being read; run again")
            }
            return bytes
        }
    }

    /// The same, from this run's memo, else the cache's authenticated memory of an earlier run (with a cache
    /// key only: a restore then needs neither the decryption nor the age identity), else by decrypting
    /// `read()`'s bytes — remembered in the cache for the next run.
    private func bundleDigest(fileDigest: Digest, read: () throws -> [UInt8]) throws -> Digest {
        let actions = cache.actions
        return try SecretsBundleKey.digest(ofFileDigest: fileDigest, cluster: cluster, environment: environment,
            remembered: { try actions.rememberedBundleDigest(ofFileDigest: $0, toolVersion: toolVersion) },
            remember: { bundle in
                guard remembersBundleKeys else { return }
                try actions.rememberBundleDigest(bundle, ofFileDigest: fileDigest, cluster: cluster.name, toolVersion: toolVersion)
            }, read: read)
    }

    /// A file input's digest (from its file-state record when unchanged); a missing file or one that is not a
    /// regular file is an error at the file.
    static func digest(ofInputAt path: String, cache: CacheDirectory) throws -> Digest {
        do {
            return try cache.fileStates.digest(ofFileAtPath: path)
        } catch CacheError.io(_, _, ENOENT) {
            throw Diagnostic.error("missing input file \(FleetLayout.displayPath(path))",
                                   at: SourceLocation(file: FleetLayout.displayPath(path), line: 1, column: 1))
        } catch let error as RegularFileError {
            throw diagnostic(error)
        }
    }

    /// A file input's bytes (`RegularFile`: never a FIFO, device or folder, at most 64 MiB).
    static func read(_ path: String) throws -> [UInt8] {
        do {
            return try RegularFile.read(path)
        } catch let error as RegularFileError {
            throw diagnostic(error)
        }
    }

    /// An unreadable input as an error at the file (`talenv.yaml:1:1: error: cannot read talenv.yaml: is a FIFO…`).
    static func diagnostic(_ error: RegularFileError) -> Diagnostic {
        let file = FleetLayout.displayPath(error.path)
        let what = error.isMissing ? "missing input file \(file)" : "cannot read \(file): \(error.reason)"
        return Diagnostic.error(what, at: SourceLocation(file: file, line: 1, column: 1))
    }

    /// An upstream output: computed in this run, else from the blob store, else from the cluster folder.
    func upstreamBytes(stage: String, output: String, digest: Digest, work: StageWork?) throws -> [UInt8] {
        if let bytes = work?.pending[output] { return bytes }
        if let bytes = try cache.blobs.read(digest) { return bytes }
        let path = cluster.folderPath + "/" + output
        if let bytes = try? RegularFile.read(path), Digest.of(bytes) == digest {
            return bytes
        }
        throw Diagnostic.error("the cached output \(output) of \(stage) for \(cluster.name) is gone; rerun with --force")
    }
}
