import Foundation
import Testing
import TestSupport

/// `talos-batch cache …` driven only through the binary and the file system.
@Suite struct CacheCommandEndToEndTests {
    /// Runs talos-batch without inheriting a cache location from the test's environment.
    func talosBatch(_ arguments: [String], environment: [String: String] = [:], in directory: URL? = nil) throws -> ProcessResult {
        try runProcess(TestPaths.binary, arguments,
                       environment: ["TALOS_BATCH_CACHE_DIR": ""].merging(environment) { $1 },
                       currentDirectory: directory)
    }

    func mode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
    }

    @Test func garbageDatabaseIsMovedAsideWithAWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = directory.url.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        let garbage = Data(String(repeating: "this is not an SQLite database\n", count: 200).utf8)
        try garbage.write(to: cache.appendingPathComponent("cache.db"))

        let result = try talosBatch(["cache", "stats", "--cache-dir", cache.path])
        #expect(result.status == 0, "\(result.stderrString)")
        #expect(result.stderrString.contains("warning:"))
        #expect(result.stderrString.contains("moved it aside"))
        #expect(result.stdoutString.contains("action records: 0"))
        let names = try FileManager.default.contentsOfDirectory(atPath: cache.path)
        let aside = try #require(names.first { $0.hasPrefix("cache.db.broken-") })
        #expect(FileManager.default.contents(atPath: cache.appendingPathComponent(aside).path) == garbage)

        // The fresh database is used from then on, without further warnings.
        let again = try talosBatch(["cache", "stats", "--cache-dir", cache.path])
        #expect(again.status == 0)
        #expect(again.stderrString.isEmpty)
    }

    @Test func twoProcessesWriteTheSameCacheAtOnce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let files = try (0..<200).map { index -> String in
            let path = directory.url.appendingPathComponent("node-\(index).yaml").path
            try Data("hostname: node-\(index)\nipAddress: 10.0.0.\(index)\n".utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        let cache = directory.url.appendingPathComponent("shared-cache").path
        let binary = TestPaths.binary
        // Both start on a cache that does not exist yet, so they also race to create the database.
        let results = try await withThrowingTaskGroup(of: ProcessResult.self) { group in
            for order in [files, Array(files.reversed())] {
                group.addTask {
                    try runProcess(binary, ["cache", "hash", "--cache-dir", cache] + order,
                                   environment: ["TALOS_BATCH_CACHE_DIR": ""])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let reference = try runProcess(URL(fileURLWithPath: "/usr/bin/sha256sum"), files)
        let expected = Set(reference.stdoutString.split(separator: "\n"))
        #expect(expected.count == files.count)
        for result in results {
            #expect(result.status == 0, "\(result.stderrString)")
            #expect(!result.stderrString.contains("locked"))
            #expect(Set(result.stdoutString.split(separator: "\n")) == expected)
        }
        let stats = try talosBatch(["cache", "stats", "--cache-dir", cache])
        #expect(stats.stdoutString.contains("file states:    200\n"))
    }

    @Test func verifyReportsAndDropsAFlippedByte() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = directory.url.appendingPathComponent("cache")
        let content = Data((0..<10_000).map { UInt8(truncatingIfNeeded: $0 * 13) })
        let source = directory.url.appendingPathComponent("output.bin")
        try content.write(to: source)
        let hash = try talosBatch(["cache", "hash", "--cache-dir", cache.path, source.path])
        let hex = try #require(hash.stdoutString.split(separator: " ").first.map(String.init))
        // Place the file in the blob store by hand, where the cache keeps it.
        let shard = cache.appendingPathComponent("blobs").appendingPathComponent(String(hex.prefix(2)))
        try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: true)
        let blob = shard.appendingPathComponent(String(hex.dropFirst(2)))
        try content.write(to: blob)

        let clean = try talosBatch(["cache", "verify", "--cache-dir", cache.path])
        #expect(clean.status == 0)
        #expect(clean.stdoutString.contains("checked 1 blobs"))

        var flipped = content
        flipped[4321] ^= 0x80
        try flipped.write(to: blob)
        let damaged = try talosBatch(["cache", "verify", "--cache-dir", cache.path])
        #expect(damaged.status == 1)
        #expect(damaged.stdoutString.contains("corrupt blob \(hex): removed"))
        #expect(!FileManager.default.fileExists(atPath: blob.path))
    }

    @Test func cacheLocationFollowsOptionEnvironmentAndProjectRoot() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let project = directory.url.appendingPathComponent("fleet")
        let deep = project.appendingPathComponent("talos/clusters/home")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)

        // Default: .talos-batch at the nearest folder above holding talos/clusters, mode 0700.
        let byRoot = try talosBatch(["cache", "stats"], in: deep)
        #expect(byRoot.status == 0, "\(byRoot.stderrString)")
        let defaultCache = project.appendingPathComponent(".talos-batch").path
        #expect(byRoot.stdoutString.contains("cache:          \(defaultCache)\n"))
        #expect(try mode(defaultCache) == 0o700)
        #expect(try mode(defaultCache + "/cache.db") == 0o600)

        // The environment variable beats the project root; --cache-dir beats both.
        let fromEnvironment = directory.url.appendingPathComponent("env-cache").path
        let byEnvironment = try talosBatch(["cache", "stats"], environment: ["TALOS_BATCH_CACHE_DIR": fromEnvironment], in: deep)
        #expect(byEnvironment.stdoutString.contains("cache:          \(fromEnvironment)\n"))
        let explicit = directory.url.appendingPathComponent("explicit").path
        let byOption = try talosBatch(["cache", "stats", "--cache-dir", explicit],
                                      environment: ["TALOS_BATCH_CACHE_DIR": fromEnvironment], in: deep)
        #expect(byOption.stdoutString.contains("cache:          \(explicit)\n"))
        #expect(try mode(explicit) == 0o700)

        // Outside any project: the current folder.
        let loose = directory.url.appendingPathComponent("loose")
        try FileManager.default.createDirectory(at: loose, withIntermediateDirectories: true)
        let byCurrent = try talosBatch(["cache", "stats"], in: loose)
        #expect(byCurrent.stdoutString.contains("cache:          \(loose.path)/.talos-batch\n"))
    }
}

@Suite struct CacheClearEndToEndTests {
    @Test func clearRemovesBlobsAndMovedAsideDatabases() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = directory.url.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        try Data("garbage".utf8).write(to: cache.appendingPathComponent("cache.db"))
        let input = directory.url.appendingPathComponent("input.txt")
        try Data("x".utf8).write(to: input)
        let environment = ["TALOS_BATCH_CACHE_DIR": ""]
        let hashed = try runProcess(TestPaths.binary, ["cache", "hash", "--cache-dir", cache.path, input.path], environment: environment)
        #expect(hashed.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache.path).contains { $0.hasPrefix("cache.db.broken-") })

        let cleared = try runProcess(TestPaths.binary, ["cache", "clear", "--cache-dir", cache.path], environment: environment)
        #expect(cleared.status == 0)
        #expect(cleared.stderrString.isEmpty)
        #expect(try !FileManager.default.contentsOfDirectory(atPath: cache.path).contains { $0.hasPrefix("cache.db.broken-") })
        let stats = try runProcess(TestPaths.binary, ["cache", "stats", "--cache-dir", cache.path], environment: environment)
        #expect(stats.stdoutString.contains("file states:    0\n"))
    }
}
