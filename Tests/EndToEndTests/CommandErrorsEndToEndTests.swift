import Foundation
import Testing
import TestSupport

/// Issue 19, the commands other than regen: every file they read goes through the checked reader (a FIFO,
/// a link to /dev/zero or a folder is an error naming the file, never a hang — each command runs under
/// `timeout`, so a hang fails as status 124), and a system error writing (EPERM, ENOSPC) is worded —
/// never a Foundation error object or ArgumentParser's dump of one.
@Suite("Command errors, end to end")
struct CommandErrorsEndToEndTests {
    static let timeout = URL(fileURLWithPath: "/usr/bin/timeout")

    enum Kind: String, CaseIterable, Sendable {
        case fifo, linkToDevZero, folder
        var says: String {
            switch self {
            case .fifo: return "is a FIFO"
            case .linkToDevZero: return "is a character device"
            case .folder: return "is a folder"
            }
        }
    }

    /// The fleet, an age key for the secrets, and `bad` (the odd file) in the fleet root.
    static func setUp(_ kind: Kind) throws -> RegenFixture {
        let fleet = try RegenFixture()
        let bad = fleet.root.appendingPathComponent("bad").path
        switch kind {
        case .fifo: #expect(mkfifo(bad, 0o600) == 0)
        case .linkToDevZero: try FileManager.default.createSymbolicLink(atPath: bad, withDestinationPath: "/dev/zero")
        case .folder: try FileManager.default.createDirectory(atPath: bad, withIntermediateDirectories: false)
        }
        return fleet
    }

    static func run(_ fleet: RegenFixture, _ arguments: [String]) throws -> ProcessResult {
        var environment = fleet.environment
        environment["SOPS_AGE_KEY_FILE"] = fleet.root.appendingPathComponent("talos/demo/age-key.txt").path
        return try runProcess(timeout, ["60", TestPaths.binary.path] + arguments, environment: environment, currentDirectory: fleet.root)
    }

    static let secrets = "talos/clusters/cluster-101/talsecret.sops.yaml"
    static let talenv = "talos/clusters/cluster-103/talenv.yaml"
    static let template = "talos/templates/talconfig.j2"

    /// Every command reading a file the user names, with `bad` in that place.
    static let readers: [[String]] = [
        ["decrypt", "bad"],
        ["schematic", "id", "bad"],
        ["render", "--template", "bad", "--values", talenv],
        ["render", "--template", template, "--values", "bad"],
        ["validate", "101", "--file", "bad"],
        ["validate", "--talconfig", "bad"],
        ["validate", "--nodeconfig", "bad"],
        ["genconfig", "-c", "bad", "-o", "out"],
        ["genurl", "installer", "-c", "bad"],
        ["gen", "config", "c", "https://10.0.0.1:6443", "--with-secrets", "bad", "-o", "out"],
        ["gen", "config", "c", "https://10.0.0.1:6443", "--with-secrets", secrets, "--config-patch", "@bad", "-o", "out"],
        ["mark-applied", "--plan", "bad", "101"],
        ["decrypt", "--age-key-file", "bad", secrets],
    ]

    static func expectWorded(_ result: ProcessResult, _ what: String) {
        let text = result.stderrString + result.stdoutString
        #expect(!text.contains("Error Domain="), "\(what): \(text)")
        #expect(!text.contains("The operation could not be completed"), "\(what): \(text)")
        #expect(!text.contains("error 1.)") && !text.contains("NSUnderlyingError"), "\(what): \(text)")
    }

    @Test(arguments: Kind.allCases)
    func everyCommandRefusesAFileThatIsNotRegular(_ kind: Kind) throws {
        let fleet = try Self.setUp(kind)
        defer { fleet.remove() }
        for arguments in Self.readers {
            let result = try Self.run(fleet, arguments)
            let what = arguments.joined(separator: " ")
            #expect(result.status != 0 && result.status != 124, "\(what): status \(result.status)")
            #expect(result.stderrString.contains("bad") && result.stderrString.contains(kind.says), "\(what): \(result.stderrString)")
            Self.expectWorded(result, what)
        }
        #expect(!FileManager.default.fileExists(atPath: fleet.root.appendingPathComponent("out").path))
    }

    /// Commands writing into `folder` (made unwritable or full by the caller).
    static func writers(into folder: String) -> [[String]] {
        [
            ["render", "--template", template, "--values", talenv, "-o", folder + "/talconfig.yaml"],
            ["gensecret", "-o", folder + "/secrets.yaml"],
            ["gen", "config", "c", "https://10.0.0.1:6443", "--with-secrets", secrets, "-o", folder + "/gen"],
            ["genconfig", "-c", "talos/clusters/cluster-103/talconfig.yaml", "-s", "talos/clusters/cluster-103/talsecret.sops.yaml",
             "-o", folder + "/genconfig"],
            ["cache", "stats", "--cache-dir", folder + "/cache"],
            ["cache", "verify", "--cache-dir", folder + "/cache"],
        ]
    }

    /// A talhelper talconfig for genconfig (the rendered one of cluster-103, beside its secrets).
    static func renderTalconfig(_ fleet: RegenFixture) throws {
        let rendered = try run(fleet, ["render", "--template", template, "--values", talenv,
                                       "-o", "talos/clusters/cluster-103/talconfig.yaml"])
        #expect(rendered.status == 0, "\(rendered.stderrString)")
    }

    @Test func writingWhereItIsNotPermittedSaysSo() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        try Self.renderTalconfig(fleet)
        let locked = fleet.root.appendingPathComponent("locked").path
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
        // Root ignores a folder's mode: an immutable folder (EPERM) then; else a read-only one (EACCES).
        let asRoot = getuid() == 0
        if asRoot {
            let chattr = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["chattr", "+i", locked])
            try #require(chattr.status == 0, "chattr +i: \(chattr.stderrString)")
        } else {
            #expect(chmod(locked, 0o555) == 0)
        }
        defer {
            if asRoot { _ = try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["chattr", "-i", locked]) }
            chmod(locked, 0o755)
        }
        // Foundation reports a refused folder creation as "no permission" whatever the errno.
        let reasons = asRoot ? ["Operation not permitted", "Permission denied"] : ["Permission denied"]
        for arguments in Self.writers(into: "locked") {
            let result = try Self.run(fleet, arguments)
            let what = arguments.joined(separator: " ")
            #expect(result.status != 0 && result.status != 124, "\(what): status \(result.status)")
            #expect(result.stderrString.contains("locked") && reasons.contains { result.stderrString.contains($0) },
                    "\(what): \(result.stderrString)")
            Self.expectWorded(result, what)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: locked).isEmpty)
    }

    /// ENOSPC needs a full file system: a 64 KiB tmpfs, which only root can mount; elsewhere the full disk
    /// is covered by the fault-injecting file system of the runner's tests (`AtomicFileTests`).
    @Test func writingOnAFullDiskSaysSo() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        try Self.renderTalconfig(fleet)
        let full = fleet.root.appendingPathComponent("full").path
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: false)
        guard getuid() == 0,
              try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full]).status == 0
        else {
            return   // mounting needs root; ENOSPC is covered by AtomicFileTests and RegenRunnerTests
        }
        defer { _ = try? runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["umount", full]) }
        // Filled to the last block: no temp file, output or database page fits.
        let filler = open(full + "/filler", O_WRONLY | O_CREAT, 0o600)
        let block = [UInt8](repeating: 0x5a, count: 1024)
        while block.withUnsafeBytes({ write(filler, $0.baseAddress, $0.count) }) > 0 {}
        close(filler)
        for arguments in Self.writers(into: "full") {
            let result = try Self.run(fleet, arguments)
            let what = arguments.joined(separator: " ")
            #expect(result.status != 0 && result.status != 124, "\(what): status \(result.status)")
            #expect(result.stderrString.contains("full") && (result.stderrString.contains("No space left on device")
                    || result.stderrString.contains("the disk is full")), "\(what): \(result.stderrString)")
            Self.expectWorded(result, what)
        }
    }
}
