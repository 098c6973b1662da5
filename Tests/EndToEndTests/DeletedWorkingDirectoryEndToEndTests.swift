import Foundation
import Testing
import TestSupport

/// Run from a working folder that was deleted (issue 19): `regen` and `cache stats` spun at 100 % CPU
/// walking up from Foundation's "" current path. They must stop at once with an error that says why.
/// The binary runs under `timeout`, so a regression fails as status 124 instead of hanging the suite.
@Suite("Deleted working folder, end to end")
struct DeletedWorkingDirectoryEndToEndTests {
    @Test("regen and cache stats from a deleted folder give a clear error", arguments: [["regen", "--all"], ["cache", "stats"]])
    func deletedFolder(_ arguments: [String]) throws {
        let fixture = try RegenFixture()
        defer { fixture.remove() }
        let gone = fixture.root.appendingPathComponent("talos/clusters/gone")
        try FileManager.default.createDirectory(at: gone, withIntermediateDirectories: false)
        // The shell enters the folder, deletes it, then runs the binary there.
        let script = "cd \"$1\" && rmdir \"$1\" && shift && exec /usr/bin/timeout 30 \"$@\""
        let result = try runProcess(URL(fileURLWithPath: "/bin/sh"),
                                    ["-c", script, "sh", gone.path, TestPaths.binary.path] + arguments,
                                    environment: fixture.environment)
        #expect(result.status != 0 && result.status != 124, "status \(result.status)")
        #expect(result.stderrString.contains("cannot use the current folder"), "\(result.stderrString)")
    }
}
