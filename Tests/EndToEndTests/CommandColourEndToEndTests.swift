import Foundation
import Testing
import TestSupport

/// Colour beyond regen: every command that prints statuses or errors colours them on a terminal, and not
/// with NO_COLOR, `--color never`, or when its output is not a terminal.
@Suite struct CommandColourEndToEndTests {
    static let escape = "\u{1B}["
    static let redError = "\u{1B}[31merror:"

    /// Runs talos-batch on a pseudo-terminal (util-linux `script`); stdout and stderr both land in stdout.
    static func onTerminal(_ fleet: RegenFixture, _ arguments: [String], noColor: String = "") throws -> ProcessResult {
        let command = ([TestPaths.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        var environment = fleet.environment
        environment["NO_COLOR"] = noColor
        return try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"],
                              environment: environment, currentDirectory: fleet.root)
    }

    @Test func errorsAndStatusesOfEveryKindOfCommand() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        try Data("{{ broken +}}\n".utf8).write(to: fleet.root.appendingPathComponent("bad.j2"))
        try Data("customization: [\n".utf8).write(to: fleet.root.appendingPathComponent("schematic.yaml"))
        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") { $0 + "\nnodes: 7\n" }
        let cache = fleet.cacheDir.path
        // Each command with input that makes it print an error.
        let failing: [[String]] = [
            ["validate", "102"],
            ["render", "bad.j2"],
            ["gen", "config", "c", "http://c:6443"],
            ["genconfig", "-c", "missing-talconfig.yaml"],
            ["genurl", "image", "--boot-method", "floppy"],
            ["schematic", "id", "schematic.yaml"],
            ["decrypt", "missing.sops.yaml"],
            ["gensecret", "-o", "schematic.yaml"],
        ]
        for arguments in failing {
            let coloured = try Self.onTerminal(fleet, arguments)
            #expect(coloured.stdoutString.contains(Self.redError),
                    "\(arguments) on a terminal: \(coloured.stdoutString.debugDescription)")
            for quiet in [try Self.onTerminal(fleet, arguments, noColor: "1"), try Self.onTerminal(fleet, arguments + ["--color", "never"])] {
                #expect(!quiet.stdoutString.contains(Self.escape), "\(arguments): \(quiet.stdoutString.debugDescription)")
                #expect(quiet.stdoutString.contains("error:"), "\(arguments): \(quiet.stdoutString)")
            }
            let piped = try runProcess(TestPaths.binary, arguments, environment: fleet.environment.merging(["NO_COLOR": ""]) { _, new in new },
                                       currentDirectory: fleet.root)
            #expect(piped.status != 0, "\(arguments)")
            #expect(!(piped.stdoutString + piped.stderrString).contains(Self.escape), "\(arguments) piped")
            let always = try runProcess(TestPaths.binary, arguments + ["--color", "always"], environment: fleet.environment, currentDirectory: fleet.root)
            #expect((always.stdoutString + always.stderrString).contains(Self.escape), "\(arguments) --color always")
        }
        // Statuses: validate's "ok" and plan's verbs.
        let validate = try Self.onTerminal(fleet, ["validate", "101"])
        #expect(validate.stdoutString.contains(Self.escape + "32mok"), "\(validate.stdoutString.debugDescription)")
        let plan = try Self.onTerminal(fleet, ["plan", "101", "--cache-dir", cache])
        #expect(plan.stdoutString.contains(Self.escape + "32mrun"), "\(plan.stdoutString.debugDescription)")
        let plainPlan = try Self.onTerminal(fleet, ["plan", "101", "--cache-dir", cache, "--color", "never"])
        #expect(!plainPlan.stdoutString.contains(Self.escape) && plainPlan.stdoutString.contains(": run because"))
    }
}
