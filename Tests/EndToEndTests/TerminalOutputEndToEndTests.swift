import Foundation
import Testing
import TestSupport

/// What regen, plan, explain and validate print, on a terminal and in a log (issue 16, "Terminal and CI
/// experience"), checked against the built binary.
@Suite struct TerminalOutputEndToEndTests {
    static let escape = "\u{1B}["

    /// A regen's stdout, lines without trailing carriage returns.
    static func lines(_ result: ProcessResult) -> [String] {
        result.stdoutString.split(separator: "\n").map { String($0) }
    }

    @Test func plainOutputIsOneLinePerChangedOrFailedClusterAndOneSummary() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let first = try fleet.run(["regen", "--all"])
        #expect(first.status == 0, "\(first.stderrString)")
        let firstLines = Self.lines(first)
        #expect(firstLines.count == fleet.clusterIDs.count + 1, "\(firstLines)")
        for id in fleet.clusterIDs {
            #expect(firstLines.contains { $0.hasPrefix("cluster-\(id): changed (ran validate, render") }, "\(firstLines)")
        }
        // A first run restored nothing, so it says nothing about restoring.
        let summary = try #require(firstLines.last)
        #expect(summary.range(of: #"^regen: 3 clusters: 3 changed, 0 fresh, 0 failed · stages: \d+ ran, 0 fresh · [0-9.]+s, jobs \d+$"#,
                              options: .regularExpression) != nil, "\(summary)")
        #expect(!first.stdoutString.contains("restored") && !first.stdoutString.contains(Self.escape))

        // A no-op is one line, whatever the number of stages.
        let noop = try fleet.run(["regen", "--all"])
        #expect(Self.lines(noop).count == 1, "\(noop.stdoutString)")
        #expect(noop.stdoutString.hasPrefix("regen: 3 clusters: 0 changed, 3 fresh, 0 failed · stages: 0 ran, "), "\(noop.stdoutString)")

        // --verbose is one line per stage, then the summary.
        let verbose = try fleet.run(["regen", "--all", "--verbose"])
        let match = try #require(verbose.stdoutString.firstMatch(of: /0 ran, (\d+) fresh/))
        let stages = try #require(Int(match.1))
        #expect(Self.lines(verbose).count == stages + 1, "\(verbose.stdoutString)")
        #expect(Self.lines(verbose).dropLast().allSatisfy { $0.contains(": fresh (") }, "\(verbose.stdoutString)")

        // An output deleted by hand is restored: the cluster changed, the count says "restored".
        try FileManager.default.removeItem(at: fleet.folder("102").appendingPathComponent("talconfig.rendered.yaml"))
        let restore = try fleet.run(["regen", "--all"])
        #expect(Self.lines(restore).first == "cluster-102: changed (restored render)", "\(restore.stdoutString)")
        #expect(Self.lines(restore).last?.contains("3 clusters: 1 changed, 2 fresh, 0 failed · stages: 0 ran, ") == true)
        #expect(Self.lines(restore).last?.contains(", 1 restored · ") == true, "\(restore.stdoutString)")
    }

    @Test func aResultSharedInsideOneRunIsNotCalledRestored() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        // cluster-104: the same inputs as cluster-101, so some stage's key is one 101 records in the same run.
        let copy = fleet.root.appendingPathComponent("talos/clusters/cluster-104")
        try FileManager.default.copyItem(at: fleet.folder("101"), to: copy)
        let run = try fleet.run(["regen", "--all", "-j", "1"])
        #expect(run.status == 0, "\(run.stderrString)")
        let summary = try #require(Self.lines(run).last)
        #expect(summary.range(of: #"stages: \d+ ran, 0 fresh, \d+ shared in-run · "#, options: .regularExpression) != nil, "\(summary)")
        #expect(!run.stdoutString.contains("restored"), "\(run.stdoutString)")
        #expect(run.stdoutString.contains("cluster-104: changed ("), "\(run.stdoutString)")
        #expect(run.stdoutString.contains("from an identical cluster"), "\(run.stdoutString)")

        // --json names them the same way: "shared" stages and count, no "restored" on a first run.
        // A cache of its own runs everything again for the first time; cluster-104's outputs are removed so
        // its stages have work to take from cluster-101 (outputs already in place would make them fresh).
        for name in try FileManager.default.contentsOfDirectory(atPath: copy.path)
        where !["talenv.yaml", "talsecret.sops.yaml"].contains(name) {
            try FileManager.default.removeItem(at: copy.appendingPathComponent(name))
        }
        let cache = fleet.root.appendingPathComponent("second-cache")
        let json = try fleet.run(["regen", "--all", "-j", "1", "--json", "--cache-dir", cache.path])
        #expect(json.status == 0, "\(json.stderrString)")
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let counts = try #require(document["counts"] as? [String: Int])
        #expect((counts["shared"] ?? 0) > 0, "\(counts)")
        #expect(counts["restored"] == 0, "\(counts)")
        let statuses = (document["clusters"] as? [[String: Any]] ?? []).flatMap { ($0["stages"] as? [[String: Any]]) ?? [] }
            .compactMap { $0["status"] as? String }
        #expect(statuses.filter { $0 == "shared" }.count == counts["shared"])
        #expect(!statuses.contains("restored"))
    }

    @Test func eachErrorIsPrintedOnceInTheFailureSummary() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        try "clusterName: x\nendpoint: https://x:6443\ntalosVersion: v1.11.5\nkubernetesVersion: v1.34.1\nnodes: {}\n"
            .write(to: fleet.folder("102").appendingPathComponent("talenv.yaml"), atomically: true, encoding: .utf8)
        let run = try fleet.run(["regen", "--all"])
        #expect(run.status != 0)
        let all = run.stdoutString + run.stderrString
        #expect(all.components(separatedBy: "`nodes`: expected a list").count == 2, "\(all)")
        let lines = Self.lines(run)
        #expect(lines.first == "cluster-102: failed (validate; errors below)", "\(lines)")
        #expect(lines.last?.contains("regen: 3 clusters: 0 changed, 2 fresh, 1 failed · stages: ") == true, "\(lines)")
        // The failure summary is on stderr, as compilers print errors.
        let errors = run.stderrString.split(separator: "\n").map(String.init)
        #expect(errors.first == "FAILED cluster-102:", "\(errors)")
        #expect(errors.dropFirst().first?.hasPrefix("  talos/clusters/cluster-102/talenv.yaml:5:8: error: `nodes`: expected a list") == true,
                "\(errors)")
    }

    /// Runs talos-batch on a pseudo-terminal (util-linux `script`), `columns` wide through $COLUMNS.
    static func onTerminal(_ fleet: RegenFixture, _ arguments: [String], columns: Int, environment: [String: String] = [:]) throws -> ProcessResult {
        let command = ([TestPaths.binary.path, arguments[0], "--cache-dir", fleet.cacheDir.path] + arguments.dropFirst())
            .map { "'\($0)'" }.joined(separator: " ")
        var env = fleet.environment.merging(environment) { _, new in new }
        env["COLUMNS"] = String(columns)
        if environment["NO_COLOR"] == nil { env["NO_COLOR"] = "" }
        return try runProcess(URL(fileURLWithPath: "/usr/bin/script"), ["-qec", command, "/dev/null"],
                              environment: env, currentDirectory: fleet.root)
    }

    @Test func theLiveLineFitsANarrowTerminalAndLeavesNothingBehind() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        for columns in [80, 40, 20] {
            try? FileManager.default.removeItem(at: fleet.cacheDir)
            for id in fleet.clusterIDs {
                try? FileManager.default.removeItem(at: fleet.folder(id).appendingPathComponent("talconfig.rendered.yaml"))
            }
            let run = try Self.onTerminal(fleet, ["regen", "--all", "--color", "never"], columns: columns)
            #expect(run.status == 0, "\(run.stdoutString)")
            let text = run.stdoutString.replacingOccurrences(of: "\r\n", with: "\n")
            let clear = "\r\u{1B}[K"
            #expect(text.contains(clear + "[3/3 clusters]") || text.contains(clear + "[3/3"), "\(text.debugDescription)")
            // Every drawing of the live line fits in the width, and none holds a newline (it never wraps).
            for drawing in text.components(separatedBy: clear).dropFirst() {
                let live = drawing.prefix { $0 != "\n" }
                guard live.hasPrefix("[") else { continue }
                #expect(live.count < columns, "\(columns) columns: \(live.debugDescription)")
            }
            // The last thing written before the summary clears the live line: no stale progress in the scrollback.
            let lines = text.split(separator: "\n").map(String.init)
            let visible = lines.map { line in line.components(separatedBy: clear).last ?? line }
            #expect(visible.last?.hasPrefix("regen: 3 clusters: 3 changed") == true, "\(visible)")
            #expect(visible.filter { $0.hasPrefix("cluster-") }.count == 3, "\(visible)")
            #expect(!visible.contains { $0.hasPrefix("[") }, "\(visible)")
        }
    }

    @Test func colourOnATerminalOnlyUnlessTurnedOff() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let coloured = try Self.onTerminal(fleet, ["regen", "--all"], columns: 80)
        #expect(coloured.stdoutString.contains(Self.escape + "32mchanged"), "\(coloured.stdoutString.debugDescription)")
        try FileManager.default.removeItem(at: fleet.folder("101").appendingPathComponent("talconfig.rendered.yaml"))
        let noColor = try Self.onTerminal(fleet, ["regen", "--all"], columns: 80, environment: ["NO_COLOR": "1"])
        #expect(noColor.stdoutString.contains("changed") && !noColor.stdoutString.contains(Self.escape + "3"), "\(noColor.stdoutString.debugDescription)")
        try FileManager.default.removeItem(at: fleet.folder("101").appendingPathComponent("talconfig.rendered.yaml"))
        let never = try Self.onTerminal(fleet, ["regen", "--all", "--color", "never"], columns: 80)
        #expect(never.stdoutString.contains("changed") && !never.stdoutString.contains(Self.escape + "3"))
        // Not a terminal: no colour unless asked for.
        try FileManager.default.removeItem(at: fleet.folder("101").appendingPathComponent("talconfig.rendered.yaml"))
        let piped = try fleet.run(["regen", "--all"])
        #expect(piped.stdoutString.contains("changed") && !piped.stdoutString.contains(Self.escape))
        try FileManager.default.removeItem(at: fleet.folder("101").appendingPathComponent("talconfig.rendered.yaml"))
        let always = try fleet.run(["regen", "--all", "--color", "always"])
        #expect(always.stdoutString.contains(Self.escape + "36mrestored") || always.stdoutString.contains(Self.escape + "32mchanged"),
                "\(always.stdoutString.debugDescription)")
    }

    @Test func planRollsUpByClusterAndValidateAndExplainTakeAll() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let before = try fleet.run(["plan", "--all"])
        #expect(before.stdoutString.split(separator: "\n").last?.hasPrefix("plan: 3 of 3 clusters to run, 0 fresh · stages: ") == true,
                "\(before.stdoutString)")
        #expect(try fleet.regen().status == 0)
        try fleet.edit("talos/clusters/cluster-103/talenv.yaml") { $0 + "\n# edited\n" }
        let after = try fleet.run(["plan", "--all"])
        #expect(after.stdoutString.split(separator: "\n").last?.hasPrefix("plan: 1 of 3 clusters to run, 2 fresh · stages: ") == true,
                "\(after.stdoutString)")

        let validate = try fleet.run(["validate", "--all"])
        #expect(validate.status == 0, "\(validate.stderrString)")
        #expect(validate.stdoutString.split(separator: "\n").filter { $0.hasSuffix(": ok") }.count == 3, "\(validate.stdoutString)")
        #expect(try fleet.run(["validate", "--all", "101"]).status != 0)

        let explain = try fleet.run(["explain", "--all"])
        #expect(explain.status == 0, "\(explain.stderrString)")
        for id in fleet.clusterIDs { #expect(explain.stdoutString.contains("cluster-\(id):\nvalidate: ")) }
        #expect(explain.stdoutString.contains("validate: run because talenv.yaml"), "\(explain.stdoutString)")
    }
}
