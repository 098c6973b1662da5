import Foundation
import Testing
import TestSupport

/// SIGTERM during a regen of 60 clusters (issue 19): the run must end by itself (not be killed by the
/// signal) with status 143, leave no temp file, and the next run must complete the fleet.
@Suite("Signals, end to end")
struct SignalEndToEndTests {
    @Test("SIGTERM ends a regen with 143, no temp file left, the next run completes")
    func sigterm() throws {
        let temp = try TemporaryDirectory(prefix: "talos-batch-signal")
        defer { temp.remove() }
        let fleet = temp.url.appendingPathComponent("fleet")
        let generated = try runProcess(URL(fileURLWithPath: "/usr/bin/env"),
                                       ["python3", TestPaths.packageRoot.appendingPathComponent("bench/genfleet.py").path,
                                        fleet.path, "--clusters", "60", "--shared-bundle",
                                        "--skeleton", TestPaths.packageRoot.path])
        try #require(generated.status == 0, "\(generated.stderrString)")
        let environment = ["XDG_CONFIG_HOME": temp.url.appendingPathComponent(".config").path, "TALOS_BATCH_CACHE_KEY": ""]
        let arguments = ["regen", "--all", "--progress", "line", "--jobs", "2",
                         "--cache-dir", temp.url.appendingPathComponent("cache").path]

        let process = Process()
        process.executableURL = TestPaths.binary
        process.arguments = arguments
        process.currentDirectoryURL = fleet
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        // Progress lines come on standard output; standard error (the signal's note) goes to a file.
        let lines = Pipe()
        let errorFile = temp.url.appendingPathComponent("stderr")
        try Data().write(to: errorFile)
        process.standardOutput = lines
        process.standardError = try FileHandle(forWritingTo: errorFile)
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // The run has started once it reports its first finished cluster; then SIGTERM.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("cluster-") {
            let chunk = lines.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "regen ended before running a stage: \(String(decoding: seen, as: UTF8.self))")
            seen.append(chunk)
        }
        process.terminate()
        // Drain the rest of the output so the child never blocks on a full pipe.
        _ = lines.fileHandleForReading.readDataToEndOfFile()
        // A deadline against a hang only (a prompt exit takes a fraction of a second).
        let ended = exited.wait(timeout: .now() + 30) == .success
        if !ended { kill(process.processIdentifier, SIGKILL); exited.wait() }
        #expect(ended, "regen did not end within 30 s of SIGTERM")
        #expect(process.terminationReason == .exit, "killed by the signal instead of ending itself")
        let errors = try String(contentsOf: errorFile, encoding: .utf8)
        #expect(process.terminationStatus == 143, "\(errors)")
        #expect(errors.contains("SIGTERM"), "\(errors)")
        #expect(try temporaryFiles(under: fleet).isEmpty)

        let next = try runProcess(TestPaths.binary, arguments.map { $0 == "line" ? "none" : $0 },
                                  environment: environment, currentDirectory: fleet)
        #expect(next.status == 0, "\(next.stderrString)")
        #expect(try temporaryFiles(under: fleet).isEmpty)
    }

    func temporaryFiles(under folder: URL) throws -> [String] {
        let names = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        return names.filter { ($0 as NSString).lastPathComponent.contains(".tmp-") }
    }
}
