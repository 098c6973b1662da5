import Foundation
import Testing
import TestSupport

/// Inputs that are not regular files (issue 19): a FIFO, a device, a link to /dev/zero or a folder where
/// talenv.yaml, the secrets file or the project file belongs. Each must give an error naming the file, and
/// never hang: the binary runs under `timeout`, so a regression fails as status 124 instead of hanging.
@Suite("Input file kinds, end to end")
struct InputFileKindEndToEndTests {
    enum Replacement: String, CaseIterable, Sendable {
        case fifo, linkToDevZero, folder
    }

    static let timeout = URL(fileURLWithPath: "/usr/bin/timeout")

    func regen(_ fixture: RegenFixture) throws -> ProcessResult {
        try runProcess(Self.timeout, ["60", TestPaths.binary.path, "regen", "--all", "--progress", "none",
                                      "--cache-dir", fixture.cacheDir.path],
                       environment: fixture.environment, currentDirectory: fixture.root)
    }

    func replace(_ path: URL, with replacement: Replacement) throws {
        try FileManager.default.removeItem(at: path)
        switch replacement {
        case .fifo: #expect(mkfifo(path.path, 0o600) == 0)
        case .linkToDevZero: try FileManager.default.createSymbolicLink(atPath: path.path, withDestinationPath: "/dev/zero")
        case .folder: try FileManager.default.createDirectory(at: path, withIntermediateDirectories: false)
        }
    }

    @Test("talenv.yaml or the secrets file that is not a regular file is an error naming it", arguments: Replacement.allCases)
    func clusterInput(_ replacement: Replacement) throws {
        for name in ["talenv.yaml", "talsecret.sops.yaml"] {
            let fixture = try RegenFixture()
            defer { fixture.remove() }
            let id = fixture.clusterIDs[0]
            try replace(fixture.folder(id).appendingPathComponent(name), with: replacement)
            let result = try regen(fixture)
            #expect(result.status == 1, "\(name) as \(replacement): status \(result.status)\n\(result.stderrString)")
            #expect(result.stderrString.contains("cluster-\(id)/\(name)"), "\(result.stderrString)")
            #expect(result.stderrString.contains("not a regular file"), "\(result.stderrString)")
            #expect(!result.stderrString.contains("Error Domain"))
        }
    }

    @Test("a project file that is a folder or a FIFO is an error naming it", arguments: [Replacement.folder, .fifo])
    func projectFile(_ replacement: Replacement) throws {
        let fixture = try RegenFixture()
        defer { fixture.remove() }
        try replace(fixture.root.appendingPathComponent("talos-batch.yaml"), with: replacement)
        let result = try regen(fixture)
        #expect(result.status != 0 && result.status != 124, "status \(result.status)")
        #expect(result.stderrString.contains("talos-batch.yaml"), "\(result.stderrString)")
        #expect(result.stderrString.contains("not a regular file"), "\(result.stderrString)")
        #expect(!result.stderrString.contains("age identity"), "\(result.stderrString)")
    }
}
