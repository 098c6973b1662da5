import Foundation
import Testing
import TestSupport

/// The cache-damage battery (issue 19), on the example fleet through the built binary. Each scenario
/// damages a cache a cold regen filled, then, on two copies of the damaged cache:
///   - `cache verify` reports the damage (exit 1), and a second verify finds the cache clean;
///   - a regen of a fresh checkout (outputs deleted, so everything must come from the cache) succeeds,
///     warns when the damage was in its way, and writes the very bytes the undamaged run wrote; the run
///     after it succeeds without a warning (damage is never a permanent failure).
@Suite struct CacheDamageEndToEndTests {
    struct Scenario: Sendable, CustomStringConvertible {
        var name: String
        /// What `cache verify` must print.
        var verifySays: String
        /// Whether the recovering regen must warn (damage nobody reads, such as an orphan pack, need not).
        var regenWarns = true
        var damage: @Sendable (CacheFolder) throws -> Void
        var description: String { name }
    }

    /// A damaged cache folder and ways into it.
    struct CacheFolder {
        let url: URL
        var path: String { url.path }
        var database: URL { url.appendingPathComponent("cache.db") }
        var packs: String { path + "/blobs/packs" }
        func packFiles(_ suffix: String = ".pack") -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: packs)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
                .map { packs + "/" + $0 }
        }
        /// Runs SQL with Python's sqlite3, as another writer of the folder would.
        func sql(_ script: String) throws {
            let result = try runProcess(TestPaths.venvTool("python"),
                                        ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()",
                                         database.path, script])
            #expect(result.status == 0, "\(result.stderrString)")
        }
        func overwrite(_ path: String, at offset: Int, with bytes: [UInt8]) throws {
            var data = try Data(contentsOf: URL(fileURLWithPath: path))
            let start = offset >= 0 ? offset : data.count + offset
            data.replaceSubrange(start..<min(data.count, start + bytes.count), with: bytes.prefix(data.count - start))
            try data.write(to: URL(fileURLWithPath: path))
        }
        /// The loose-blob path of a digest (hex).
        func loosePath(_ hex: String) -> String {
            path + "/blobs/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        }
        /// Some blob a genconfig record names (hex digest).
        func someOutputDigest(like pattern: String) throws -> String {
            let result = try runProcess(TestPaths.venvTool("python"),
                                        ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(c.execute(\"select hex(digest) from action_outputs where path like ? limit 1\", (sys.argv[2],)).fetchone()[0].lower())",
                                         database.path, pattern])
            return result.stdoutString.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static let scenarios: [Scenario] = [
        Scenario(name: "lost pack index", verifySays: "its index was missing or damaged; rebuilt") { cache in
            for index in cache.packFiles(".pack.idx") { try FileManager.default.removeItem(atPath: index) }
        },
        Scenario(name: "truncated pack index", verifySays: "its index was missing or damaged; rebuilt") { cache in
            for index in cache.packFiles(".pack.idx") {
                let data = try Data(contentsOf: URL(fileURLWithPath: index))
                try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: index))
            }
        },
        Scenario(name: "flipped byte in a packed blob", verifySays: "corrupt blob") { cache in
            for pack in cache.packFiles() {
                var data = try Data(contentsOf: URL(fileURLWithPath: pack))
                for offset in stride(from: 200, to: data.count, by: 997) { data[offset] ^= 0x01 }
                try data.write(to: URL(fileURLWithPath: pack))
            }
        },
        Scenario(name: "loose blob replaced by a folder", verifySays: "corrupt blob") { cache in
            // The packed copy made invisible (its index gone), a folder where the loose copy would be.
            let hex = try cache.someOutputDigest(like: "clusterconfig/%.yaml")
            try FileManager.default.createDirectory(atPath: cache.loosePath(hex) + "/inside", withIntermediateDirectories: true)
            for index in cache.packFiles(".pack.idx") { try FileManager.default.removeItem(atPath: index) }
        },
        Scenario(name: "cache folder is a file", verifySays: "was not a folder; moved it aside") { cache in
            try FileManager.default.removeItem(at: cache.url)
            try Data("not a folder".utf8).write(to: cache.url)
        },
        Scenario(name: "blobs folder is a file", verifySays: "missing blob") { cache in
            try FileManager.default.removeItem(atPath: cache.path + "/blobs")
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: cache.path + "/blobs"))
        },
        Scenario(name: "record's output rows deleted", verifySays: "damaged record") { cache in
            try cache.sql("DELETE FROM action_outputs WHERE path LIKE 'clusterconfig/%.yaml'")
        },
        Scenario(name: "modes changed in the database", verifySays: "damaged record") { cache in
            try cache.sql("UPDATE action_outputs SET mode = 438")
        },
        Scenario(name: "pack without index declaring a 1 TiB entry", verifySays: "its index was missing or damaged", regenWarns: false) { cache in
            var bytes = Array("TBPACK1\n".utf8) + [UInt8](repeating: 0xab, count: 32)
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: (UInt64(1) << 40) >> UInt64(shift))) }
            bytes += Array("only a few bytes follow".utf8)
            try Data(bytes).write(to: URL(fileURLWithPath: cache.packs + "/1000-999999999-0.pack"))
        },
        Scenario(name: "pack index is a FIFO", verifySays: "its index was missing or damaged; rebuilt") { cache in
            for index in cache.packFiles(".pack.idx") {
                try FileManager.default.removeItem(atPath: index)
                #expect(mkfifo(index, 0o600) == 0)
            }
        },
        Scenario(name: "pack cut short (torn tail)", verifySays: "corrupt blob") { cache in
            for pack in cache.packFiles() {
                let data = try Data(contentsOf: URL(fileURLWithPath: pack))
                try data.prefix(data.count * 2 / 3).write(to: URL(fileURLWithPath: pack))
            }
        },
        Scenario(name: "packs folder is a file", verifySays: "was not a folder; moved it aside") { cache in
            try FileManager.default.removeItem(atPath: cache.packs)
            try Data("not a folder".utf8).write(to: URL(fileURLWithPath: cache.packs))
        },
        Scenario(name: "cache key changed", verifySays: "integrity code does not match") { cache in
            let keyFile = cache.url.deletingLastPathComponent().appendingPathComponent(".config/talos-batch/cache.key")
            #expect(FileManager.default.fileExists(atPath: keyFile.path))
            try Data((String(repeating: "5a", count: 32) + "\n").utf8).write(to: keyFile)
        },
        Scenario(name: "stamp file garbage", verifySays: "stamps: damaged", regenWarns: false) { cache in
            try Data(String(repeating: "TBSTAMP2 garbage ", count: 100).utf8).write(to: cache.url.appendingPathComponent("stamps"))
        },
        Scenario(name: "stamp file is a FIFO", verifySays: "stamps: not a regular file", regenWarns: false) { cache in
            #expect(mkfifo(cache.path + "/stamps", 0o600) == 0)
        },
        Scenario(name: "stamp file is a folder", verifySays: "stamps: not a regular file", regenWarns: false) { cache in
            try FileManager.default.createDirectory(atPath: cache.path + "/stamps/inside", withIntermediateDirectories: true)
        },
        Scenario(name: "cache.db is a FIFO", verifySays: "cache.db is not a regular file") { cache in
            try FileManager.default.removeItem(at: cache.database)
            #expect(mkfifo(cache.database.path, 0o600) == 0)
        },
        Scenario(name: "cache.db is a link to /dev/zero", verifySays: "cache.db is not a regular file") { cache in
            try FileManager.default.removeItem(at: cache.database)
            try FileManager.default.createSymbolicLink(atPath: cache.database.path, withDestinationPath: "/dev/zero")
        },
        Scenario(name: "cache.db header garbage", verifySays: "moved it aside") { cache in
            try cache.overwrite(cache.database.path, at: 0, with: Array("garbage, not a database header!!".utf8))
        },
        Scenario(name: "cache.db flipped pages", verifySays: "database: ") { cache in
            let size = (try FileManager.default.attributesOfItem(atPath: cache.database.path)[.size] as? Int) ?? 0
            for page in stride(from: 4096, to: size, by: 8192) {
                try cache.overwrite(cache.database.path, at: page, with: [UInt8](repeating: 0x5a, count: 64))
            }
        },
        Scenario(name: "cache.db half truncated", verifySays: "moved it aside") { cache in
            let data = try Data(contentsOf: cache.database)
            try data.prefix(data.count / 2).write(to: cache.database)
        },
        Scenario(name: "cache.db of another program", verifySays: "another program") { cache in
            try FileManager.default.removeItem(at: cache.database)
            try cache.sql("CREATE TABLE notes (x); INSERT INTO notes VALUES (1);")
        },
        Scenario(name: "cache.db of a newer schema", verifySays: "newer talos-batch") { cache in
            try cache.sql("PRAGMA user_version = 99;")
        },
    ]

    /// Files whose bytes a recovering run must reproduce (the admin certificate and the talosconfig
    /// holding it are reissued when their record was lost, so only their presence is checked).
    static func deterministic(_ outputs: [String: (Data, Date)]) -> [String: Data] {
        outputs.filter { !$0.key.hasSuffix("/.talosconfig-admin.yaml") && !$0.key.hasSuffix("/talosconfig") }.mapValues(\.0)
    }

    static func deleteOutputs(_ fleet: RegenFixture) {
        for id in fleet.clusterIDs {
            for generated in ["talenv.values.json", "talconfig.rendered.yaml", "schematic.yaml", "clusterconfig"] {
                try? FileManager.default.removeItem(at: fleet.folder(id).appendingPathComponent(generated))
            }
        }
    }

    @Test(arguments: scenarios) func damageIsDetectedAndRecovered(_ scenario: Scenario) throws {
        let fleet = try RegenFixture(outputFolder: "clusterconfig")
        defer { fleet.remove() }
        let cold = try fleet.regen()
        #expect(cold.status == 0, "\(cold.stderr)")
        let expected = Self.deterministic(try fleet.outputs())
        #expect(expected.count >= 9)
        // Settle the database into its main file, as a finished run leaves it.
        try CacheFolder(url: fleet.cacheDir).sql("PRAGMA wal_checkpoint(TRUNCATE);")

        // The same damage to two copies (copying a damaged folder could block on a FIFO in it).
        let copy = fleet.root.appendingPathComponent(".cache-copy")
        try FileManager.default.copyItem(at: fleet.cacheDir, to: copy)
        try scenario.damage(CacheFolder(url: fleet.cacheDir))
        try scenario.damage(CacheFolder(url: copy))

        // verify finds it (without aborting), repairs it, and then finds nothing.
        let verify = try fleet.run(["cache", "verify", "--cache-dir", fleet.cacheDir.path])
        #expect(verify.status == 1, "\(scenario.name): \(verify.stdoutString) \(verify.stderrString)")
        #expect(verify.stdoutString.contains(scenario.verifySays) || verify.stderrString.contains(scenario.verifySays),
                "\(scenario.name): \(verify.stdoutString)")
        let again = try fleet.run(["cache", "verify", "--cache-dir", fleet.cacheDir.path])
        #expect(again.status == 0, "\(scenario.name) after repair: \(again.stdoutString)")

        // A fresh checkout regenerated from the damaged copy: success, a warning, the same bytes.
        Self.deleteOutputs(fleet)
        let recovering = try fleet.regen(cacheDir: copy)
        #expect(recovering.status == 0, "\(scenario.name): \(recovering.stderr)")
        if scenario.regenWarns {
            #expect(recovering.stderr.contains("warning:"), "\(scenario.name): no warning")
        }
        let outputs = try fleet.outputs()
        #expect(Self.deterministic(outputs) == expected, "\(scenario.name): different bytes")
        for id in fleet.clusterIDs {
            #expect(outputs["cluster-\(id)/clusterconfig/talosconfig"] != nil)
        }
        // The damage does not come back.
        Self.deleteOutputs(fleet)
        let next = try fleet.regen(cacheDir: copy)
        #expect(next.status == 0)
        #expect(!next.stderr.contains("warning:"), "\(scenario.name): \(next.stderr)")
        #expect(Self.deterministic(try fleet.outputs()) == expected)
    }
}
