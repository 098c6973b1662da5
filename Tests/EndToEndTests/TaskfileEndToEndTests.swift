import Foundation
import Testing
import TestSupport

/// The Taskfile users know (`task talos:gen-config -- <id>`), run by the real go-task on a copy of the
/// repository's example fleet, with `TALOS_BATCH_BIN` pointing scripts/talos-batch at the built binary.
@Suite struct TaskfileEndToEndTests {
    private func fleetWithTaskfile() throws -> RegenFixture {
        let fleet = try RegenFixture()
        for item in ["Taskfile.yml", "scripts"] {
            try FileManager.default.copyItem(at: TestPaths.packageRoot.appendingPathComponent(item),
                                             to: fleet.root.appendingPathComponent(item))
        }
        return fleet
    }

    private func task(_ arguments: [String], in fleet: RegenFixture) throws -> ProcessResult {
        try runProcess(TestPaths.venvTool("task"), arguments,
                       environment: ["TALOS_BATCH_BIN": TestPaths.binary.path,
                                     "TALOS_BATCH_CACHE_DIR": fleet.cacheDir.path],
                       currentDirectory: fleet.root)
    }

    @Test func genConfigWithoutAnIDPrintsTheUsage() throws {
        let fleet = try fleetWithTaskfile()
        defer { fleet.remove() }
        let result = try task(["talos:gen-config"], in: fleet)
        #expect(result.status == 0, "\(result.stderrString)")
        #expect(result.stdoutString.hasPrefix("usage: task talos:gen-config -- <id> [<id> ...]\n"), "\(result.stdoutString)")
        // Nothing ran: no cluster has outputs.
        #expect(try fleet.outputs().isEmpty)
    }

    @Test func genConfigRegeneratesExactlyTheNamedCluster() throws {
        let fleet = try fleetWithTaskfile()
        defer { fleet.remove() }
        let id = try #require(fleet.clusterIDs.first)
        let result = try task(["talos:gen-config", "--", id], in: fleet)
        #expect(result.status == 0, "\(result.stderrString)")
        let produced = Set(try fleet.outputs().keys.map { String($0.split(separator: "/")[0]) })
        #expect(produced == ["cluster-\(id)"])
    }

    /// The Taskfile's calls go through scripts/talos-batch, which builds the binary only when it is missing
    /// or older than Package.swift or a source (not `swift run` on every call). Checked with a stand-in
    /// `swift` on PATH that counts its builds and writes a stand-in binary; mtimes are set, never waited for.
    @Test func theBinaryIsBuiltOnceAndAgainOnlyWhenASourceIsNewer() throws {
        let temp = try TemporaryDirectory(prefix: "talos-batch-taskfile-build")
        defer { temp.remove() }
        let fm = FileManager.default
        let root = temp.url
        func write(_ path: String, _ text: String, executable: Bool = false) throws {
            let url = root.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            if executable { try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path) }
        }
        for item in ["Taskfile.yml", "scripts/talos-batch"] {
            try write(item, try String(contentsOf: TestPaths.packageRoot.appendingPathComponent(item), encoding: .utf8), executable: item.hasPrefix("scripts/"))
        }
        try write("scripts/install-deps", "#!/bin/sh\nexit 0\n", executable: true)
        try write("Package.swift", "// stand-in\n")
        try write("Sources/talos-batch/main.swift", "// stand-in\n")
        try write("stand-in/swift", """
            #!/bin/sh
            echo "$*" >> "$PWD/builds.log"
            mkdir -p .build/release
            printf '#!/bin/sh\\necho "built talos-batch $*"\\n' > .build/release/talos-batch
            chmod +x .build/release/talos-batch

            """, executable: true)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = root.appendingPathComponent("stand-in").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["TALOS_BATCH_BIN"] = ""
        func genConfig() throws -> ProcessResult {
            let result = try runProcess(TestPaths.venvTool("task"), ["talos:gen-config", "--", "101"], environment: environment, currentDirectory: root)
            #expect(result.status == 0, "\(result.stdoutString)\(result.stderrString)")
            #expect(result.stdoutString == "built talos-batch regen 101\n", "\(result.stdoutString)")
            return result
        }
        func builds() throws -> [String] {
            ((try? String(contentsOf: root.appendingPathComponent("builds.log"), encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func age(_ path: String, seconds: TimeInterval) throws {
            try fm.setAttributes([.modificationDate: Date().addingTimeInterval(-seconds)], ofItemAtPath: root.appendingPathComponent(path).path)
        }

        // Every source older than anything the test does, so only the file aged below can be the newer one.
        for source in ["Package.swift", "Sources", "Sources/talos-batch", "Sources/talos-batch/main.swift"] { try age(source, seconds: 300) }
        _ = try genConfig()
        #expect(try builds() == ["build -c release --product talos-batch"])
        _ = try genConfig()
        #expect(try builds().count == 1, "a current binary was rebuilt")
        for source in ["Sources/talos-batch/main.swift", "Package.swift"] {
            try age(".build/release/talos-batch", seconds: 120)
            try age(source, seconds: 60)
            let before = try builds().count
            _ = try genConfig()
            #expect(try builds().count == before + 1, "\(source) newer than the binary: no rebuild")
            _ = try genConfig()
            #expect(try builds().count == before + 1, "rebuilt again after \(source)")
        }
        // TALOS_BATCH_BIN runs the given binary and builds nothing.
        try fm.removeItem(at: root.appendingPathComponent(".build"))
        environment["TALOS_BATCH_BIN"] = TestPaths.binary.path
        let version = try runProcess(root.appendingPathComponent("scripts/talos-batch"), ["--version"], environment: environment, currentDirectory: root)
        #expect(version.status == 0 && !fm.fileExists(atPath: root.appendingPathComponent(".build").path), "\(version.stderrString)")
    }
}
