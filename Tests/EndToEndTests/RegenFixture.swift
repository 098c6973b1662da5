import Foundation
import Testing
import TestSupport

/// A temporary copy of the repository's example fleet (talos/ and talos-batch.yaml) with its own cache,
/// and helpers to run the built talos-batch on it.
struct RegenFixture {
    let temp: TemporaryDirectory
    var root: URL { temp.url }
    var cacheDir: URL { root.appendingPathComponent(".cache") }

    /// `outputFolder`: written to the copy's talos-batch.yaml (nil: the default, outputs in the cluster folder).
    init(outputFolder: String? = nil) throws {
        temp = try TemporaryDirectory(prefix: "talos-batch-regen")
        let fm = FileManager.default
        for item in ["talos", "talos-batch.yaml"] {
            try fm.copyItem(at: TestPaths.packageRoot.appendingPathComponent(item), to: root.appendingPathComponent(item))
        }
        // Start from sources only, whatever the repository's working copy holds.
        for id in clusterIDs {
            for name in try fm.contentsOfDirectory(atPath: folder(id).path)
            where !["talenv.yaml", "talsecret.sops.yaml"].contains(name) {
                try fm.removeItem(at: folder(id).appendingPathComponent(name))
            }
        }
        if let outputFolder { try setOutputFolder(outputFolder) }
    }

    /// Sets (or, with nil, removes) `outputFolder` in the copy's talos-batch.yaml.
    func setOutputFolder(_ outputFolder: String?) throws {
        let url = root.appendingPathComponent("talos-batch.yaml")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("outputFolder:") }
        if lines.last == "" { lines.removeLast() }
        if let outputFolder { lines.append("outputFolder: \(outputFolder)") }
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    func remove() { temp.remove() }

    var clusterIDs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("talos/clusters").path)) ?? [])
            .filter { $0.hasPrefix("cluster-") }.map { String($0.dropFirst("cluster-".count)) }.sorted()
    }

    func folder(_ id: String) -> URL { root.appendingPathComponent("talos/clusters/cluster-\(id)") }

    /// Runs talos-batch in the fleet root with the fixture's cache.
    @discardableResult
    func run(_ arguments: [String], cacheDir: URL? = nil) throws -> ProcessResult {
        var args = arguments
        if let first = args.first, ["regen", "plan", "explain"].contains(first) {
            args.insert(contentsOf: ["--cache-dir", (cacheDir ?? self.cacheDir).path], at: 1)
        }
        return try runProcess(TestPaths.binary, args, environment: environment, currentDirectory: root)
    }

    /// The cache key comes from a key file in the fixture's own config folder, never the user's.
    var environment: [String: String] {
        ["XDG_CONFIG_HOME": root.appendingPathComponent(".config").path, "TALOS_BATCH_CACHE_KEY": ""]
    }

    /// `regen … --json`, returning the exit status and per (cluster, stage) status.
    func regen(_ arguments: [String] = ["--all"], cacheDir: URL? = nil) throws -> RegenRun {
        let result = try run(["regen", "--json", "--progress", "none"] + arguments, cacheDir: cacheDir)
        let object = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        var statuses: [String: String] = [:]
        for cluster in object?["clusters"] as? [[String: Any]] ?? [] {
            for stage in cluster["stages"] as? [[String: Any]] ?? [] {
                statuses["\(cluster["id"]!)/\(stage["stage"]!)"] = stage["status"] as? String
            }
        }
        return RegenRun(status: result.status, statuses: statuses, stderr: result.stderrString, report: object ?? [:])
    }

    /// Every generated file of the fleet: relative path → (bytes, mtime).
    func outputs() throws -> [String: (Data, Date)] {
        var files: [String: (Data, Date)] = [:]
        let fm = FileManager.default
        let clusters = root.appendingPathComponent("talos/clusters")
        let enumerator = fm.enumerator(at: clusters, includingPropertiesForKeys: [.contentModificationDateKey, .isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            let name = url.lastPathComponent
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true,
                  !["talenv.yaml", "talsecret.sops.yaml", ".talos-batch.lock"].contains(name) else { continue }
            let relative = String(url.standardizedFileURL.path.dropFirst(clusters.standardizedFileURL.path.count + 1))
            let mtime = try url.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate ?? .distantPast
            files[relative] = (try Data(contentsOf: url), mtime)
        }
        return files
    }

    func edit(_ relativePath: String, _ transform: (String) -> String) throws {
        let url = root.appendingPathComponent(relativePath)
        let text = try String(contentsOf: url, encoding: .utf8)
        let changed = transform(text)
        #expect(changed != text, "the edit of \(relativePath) changed nothing")
        try changed.write(to: url, atomically: true, encoding: .utf8)
    }
}

struct RegenRun {
    var status: Int32
    /// "101/validate" → "ran" | "fresh" | "restored" | "failed" | "skipped"
    var statuses: [String: String]
    var stderr: String
    var report: [String: Any]

    func stages(_ status: String) -> Set<String> {
        Set(statuses.filter { $0.value == status }.keys)
    }
}
