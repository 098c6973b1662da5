import Foundation
import Testing
import TestSupport

/// A generated fleet (bench/genfleet.py, one shared secrets bundle) for the reliability battery: kill -9
/// trials, concurrent runs, failed renames. Sizes come from the environment so the same tests are the
/// fast CI variant and the documented long run (scripts/reliability):
///   TALOS_BATCH_RELIABILITY_CLUSTERS (default 12), TALOS_BATCH_RELIABILITY_TRIALS (default 10).
struct ReliabilityFleet {
    let temp: TemporaryDirectory
    /// The tree the runs work on.
    var root: URL { temp.url.appendingPathComponent("fleet") }
    var clusters: URL { root.appendingPathComponent("talos/clusters") }

    static var clusterCount: Int { Int(ProcessInfo.processInfo.environment["TALOS_BATCH_RELIABILITY_CLUSTERS"] ?? "") ?? 12 }
    static var trialCount: Int { Int(ProcessInfo.processInfo.environment["TALOS_BATCH_RELIABILITY_TRIALS"] ?? "") ?? 10 }

    init(clusters: Int = ReliabilityFleet.clusterCount) throws {
        temp = try TemporaryDirectory(prefix: "talos-batch-reliability")
        let generated = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                       ["python3", TestPaths.packageRoot.appendingPathComponent("bench/genfleet.py").path,
                                        temp.url.appendingPathComponent("fleet").path, "--clusters", String(clusters),
                                        "--shared-bundle", "--skeleton", TestPaths.packageRoot.path])
        try #require(generated.status == 0, "\(generated.stderrString)")
    }

    func remove() { temp.remove() }

    var environment: [String: String] {
        ["XDG_CONFIG_HOME": temp.url.appendingPathComponent(".config").path, "TALOS_BATCH_CACHE_KEY": "",
         // Commit action records every 3 (a real run: every 20,000), so a kill lands between chunks too.
         "TALOS_BATCH_RECORD_CHUNK": "3"]
    }

    func cache(_ name: String = "cache") -> URL { temp.url.appendingPathComponent(name) }

    /// `regen --all` on `tree` (default: the fleet) with `cache`.
    func regen(_ tree: URL? = nil, cache: URL, extra: [String] = []) throws -> ProcessResult {
        try runProcess(URL(fileURLWithPath: "/usr/bin/timeout"),
                       ["300", TestPaths.binary.path, "regen", "--all", "--progress", "none", "--cache-dir", cache.path] + extra,
                       environment: environment, currentDirectory: tree ?? root)
    }

    /// A copy of the fleet's sources (no outputs) at `name`.
    func copySources(to name: String) throws -> URL {
        let copy = temp.url.appendingPathComponent(name)
        try FileManager.default.copyItem(at: root, to: copy)
        Self.deleteOutputs(in: copy)
        return copy
    }

    static let sources: Set<String> = ["talenv.yaml", "talsecret.sops.yaml"]

    /// Every generated file of the clusters under `tree`: cluster-relative path → bytes (locks excluded).
    static func outputs(in tree: URL) -> [String: Data] {
        let clusters = tree.appendingPathComponent("talos/clusters")
        var files: [String: Data] = [:]
        let names = FileManager.default.enumerator(atPath: clusters.path)?.compactMap { $0 as? String } ?? []
        for name in names {
            let base = (name as NSString).lastPathComponent
            guard !sources.contains(base), base != ".talos-batch.lock" else { continue }
            var info = stat()
            guard lstat(clusters.path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            files[name] = FileManager.default.contents(atPath: clusters.path + "/" + name)
        }
        return files
    }

    /// Temp files (`.<name>.tmp-…`, commit backups included) anywhere in the tree.
    static func temporaryFiles(in tree: URL) -> [String] {
        (FileManager.default.enumerator(atPath: tree.path)?.compactMap { $0 as? String } ?? [])
            .filter { ($0 as NSString).lastPathComponent.contains(".tmp-") }
    }

    static func deleteOutputs(in tree: URL) {
        let clusters = tree.appendingPathComponent("talos/clusters")
        for id in (try? FileManager.default.contentsOfDirectory(atPath: clusters.path)) ?? [] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: clusters.path + "/" + id)) ?? [] where !sources.contains(name) {
                try? FileManager.default.removeItem(atPath: clusters.path + "/" + id + "/" + name)
            }
        }
    }

    /// The incremental edit: a node label of every third cluster (its talenv values and node config change).
    static func edit(_ tree: URL) throws {
        let clusters = tree.appendingPathComponent("talos/clusters")
        let ids = try FileManager.default.contentsOfDirectory(atPath: clusters.path).sorted()
        for id in ids.enumerated().filter({ $0.offset % 3 == 0 }).map(\.element) {
            let talenv = clusters.appendingPathComponent(id).appendingPathComponent("talenv.yaml")
            let text = try String(contentsOf: talenv, encoding: .utf8)
            try #require(text.contains("bench.example.com/edit: \"0\""))
            try text.replacingOccurrences(of: "bench.example.com/edit: \"0\"", with: "bench.example.com/edit: \"1\"")
                .write(to: talenv, atomically: true, encoding: .utf8)
        }
    }
}
