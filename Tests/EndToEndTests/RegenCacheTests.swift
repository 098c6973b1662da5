import Foundation
import Testing
import TestSupport

/// The acceptance list of `talos-batch regen`, on a temporary copy of the example fleet.
@Suite struct RegenCacheTests {
    @Test func firstRunRunsEveryStageAndTheSecondNoneRewritingNothing() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let first = try fleet.regen()
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.statuses.isEmpty)
        #expect(first.stages("ran") == Set(first.statuses.keys))
        #expect(first.statuses.count >= fleet.clusterIDs.count * 2)
        let before = try fleet.outputs()
        #expect(before.keys.contains("cluster-101/talconfig.rendered.yaml"))

        Thread.sleep(forTimeInterval: 0.05)
        let second = try fleet.regen()
        #expect(second.status == 0)
        #expect(second.stages("fresh") == Set(second.statuses.keys), "\(second.statuses)")
        let after = try fleet.outputs()
        #expect(Set(after.keys) == Set(before.keys))
        for (path, (bytes, mtime)) in before {
            #expect(after[path]?.0 == bytes, "\(path) changed")
            #expect(after[path]?.1 == mtime, "\(path) was rewritten")
        }
    }

    @Test func editingOneTalenvRerunsOnlyThatCluster() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        try fleet.edit("talos/clusters/cluster-102/talenv.yaml") {
            $0.replacingOccurrences(of: "prod-a-w-3\n", with: "prod-a-w-4\n")
        }
        let run = try fleet.regen()
        #expect(run.status == 0, "\(run.stderr)")
        let ran = run.stages("ran")
        #expect(!ran.isEmpty)
        #expect(ran.allSatisfy { $0.hasPrefix("102/") }, "\(ran)")
        #expect(ran.contains("102/validate") && ran.contains("102/render"))
        #expect(run.stages("fresh").count == run.statuses.count - ran.count)
        let rendered = try String(contentsOf: fleet.folder("102").appendingPathComponent("talconfig.rendered.yaml"), encoding: .utf8)
        #expect(rendered.contains("prod-a-w-4"))
    }

    @Test func aCommentOnlyEditRerunsValidateOnly() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let before = try fleet.outputs()
        try fleet.edit("talos/clusters/cluster-103/talenv.yaml") {
            "# reviewed by the platform team\n" + $0.replacingOccurrences(of: "controlPlane: false\n", with: "controlPlane: false   # a worker\n")
        }
        let run = try fleet.regen()
        #expect(run.status == 0)
        #expect(run.stages("ran") == ["103/validate"], "\(run.statuses)")
        let after = try fleet.outputs()
        for (path, (_, mtime)) in before {
            #expect(after[path]?.1 == mtime, "\(path) was rewritten")
        }
    }

    @Test func editingTheTemplateRerunsRenderEverywhereAndDownstreamOnlyWhereBytesChanged() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        // A change that only shows in clusters with a VIP (cluster-103).
        try fleet.edit("talos/templates/talconfig.j2") {
            $0.replacingOccurrences(of: "        vip:\n          ip: \"{{ nic.vip.ip }}\"",
                                    with: "        vip:\n          ip: \"{{ nic.vip.ip }}\"\n        # shared API address")
        }
        let run = try fleet.regen()
        #expect(run.status == 0, "\(run.stderr)")
        for id in fleet.clusterIDs {
            #expect(run.statuses["\(id)/validate"] == "fresh")
            #expect(run.statuses["\(id)/render"] == "ran")
        }
        // Stages below render (genconfig, talosconfig); the admin certificate does not depend on render.
        let downstream = run.statuses.filter { !["validate", "render", "admincert"].contains($0.key.split(separator: "/")[1]) }
        #expect(!downstream.isEmpty)
        #expect(run.stages("fresh").contains("103/admincert"))
        for (stage, status) in downstream {
            #expect(status == (stage.hasPrefix("103/") ? "ran" : "fresh"), "\(stage): \(status)")
        }
    }

    @Test func deletedAndTamperedOutputsAreRestoredWithoutRunningTheirStage() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let before = try fleet.outputs()
        let rendered = fleet.folder("101").appendingPathComponent("talconfig.rendered.yaml")
        let values = fleet.folder("102").appendingPathComponent("talenv.values.json")
        try FileManager.default.removeItem(at: rendered)
        try "tampered\n".write(to: values, atomically: true, encoding: .utf8)
        let run = try fleet.regen()
        #expect(run.status == 0)
        #expect(run.stages("ran").isEmpty, "\(run.statuses)")
        #expect(run.statuses["101/render"] == "restored")
        #expect(run.statuses["102/validate"] == "restored")
        let after = try fleet.outputs()
        for (path, (bytes, _)) in before {
            #expect(after[path]?.0 == bytes, "\(path) differs after the restore")
        }
    }

    @Test func outputsAreTheSameForOneJobAndEight() throws {
        let one = try RegenFixture(), eight = try RegenFixture()
        defer { one.remove(); eight.remove() }
        #expect(try one.regen(["--all", "--jobs", "1"]).status == 0)
        #expect(try eight.regen(["--all", "--jobs", "8"]).status == 0)
        let a = try one.outputs(), b = try eight.outputs()
        #expect(!a.isEmpty)
        #expect(Set(a.keys) == Set(b.keys))
        // The admin client certificate (and the talosconfig carrying it) is fresh in each fleet.
        for (path, (bytes, _)) in a where !path.hasSuffix("talosconfig") && !path.hasSuffix(".talosconfig-admin.yaml") {
            #expect(b[path]?.0 == bytes, "\(path) differs between --jobs 1 and --jobs 8")
        }
    }

    @Test func shardsCoverEachClusterExactlyOnce() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        var seen: [String] = []
        for k in 1...3 {
            let run = try fleet.regen(["--all", "--shard", "\(k)/3"])
            #expect(run.status == 0)
            seen += Set(run.statuses.keys.map { String($0.split(separator: "/")[0]) })
        }
        #expect(seen.sorted() == fleet.clusterIDs)
    }

    @Test func aTalenvWithFiveErrorsReportsAllAndLeavesOutputsUntouched() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        let before = try fleet.outputs()
        let broken = """
            clusterName: lab
            endpoint: http://10.10.1.10:6443
            talosVersion: v1.11.5
            kubernetesVersion: 1.34
            nodes:
              - hostname: lab-1
                ipAddress: 10.10.1.300
                controlPlane: false
                installDisk: /dev/sda
              - hostname: lab-1
                ipAddress: 10.10.1.11
                controlPlane: false
                installDisk: /dev/sdb

            """
        try broken.write(to: fleet.folder("101").appendingPathComponent("talenv.yaml"), atomically: true, encoding: .utf8)
        let run = try fleet.regen()
        #expect(run.status != 0)
        #expect(run.statuses["101/validate"] == "failed")
        // Everything below validate is skipped; the admin certificate (secrets only) stays fresh.
        #expect(run.statuses.filter { $0.key.hasPrefix("101/") && !["101/validate", "101/admincert"].contains($0.key) }
            .values.allSatisfy { $0 == "skipped" })
        #expect(run.statuses["101/admincert"] == "fresh")
        #expect(run.statuses.filter { !$0.key.hasPrefix("101/") }.values.allSatisfy { $0 == "fresh" })
        let file = "talos/clusters/cluster-101/talenv.yaml"
        for position in ["2:11", "4:20", "5:1", "7:16", "10:15"] {
            #expect(run.stderr.contains("\(file):\(position): error:"), "missing \(position) in:\n\(run.stderr)")
        }
        let after = try fleet.outputs()
        for (path, (bytes, mtime)) in before {
            #expect(after[path]?.0 == bytes && after[path]?.1 == mtime, "\(path) was touched")
        }
    }

    @Test func planWritesNothingAndExplainNamesTheChangedInput() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let plan = try fleet.run(["plan", "--all"])
        #expect(plan.status == 0)
        #expect(plan.stdoutString.contains("cluster-101 validate: run because (no previous run)"))
        #expect(try fleet.outputs().isEmpty)
        #expect(try fleet.regen().status == 0)
        try fleet.edit("talos/clusters/cluster-101/talenv.yaml") { $0.replacingOccurrences(of: "/dev/sda", with: "/dev/vda") }
        let explain = try fleet.run(["explain", "101"])
        #expect(explain.status == 0)
        #expect(explain.stdoutString.contains("validate: run because talenv.yaml"), "\(explain.stdoutString)")
        #expect(explain.stdoutString.contains("render: run if its upstream output changes"))
        #expect(explain.stdoutString.range(of: #"input talenv\.yaml [0-9a-f]{16}… → [0-9a-f]{16}… \(changed\)"#,
                                            options: .regularExpression) != nil, "\(explain.stdoutString)")
        #expect(explain.stdoutString.contains("admincert: fresh"))
    }

    @Test func twoConcurrentRegensLeaveConsistentOutputs() throws {
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        let box = ResultBox([nil, nil])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            box.set(index, try? fleet.run(["regen", "--all", "--progress", "none"]))
        }
        #expect(box.values.allSatisfy { $0?.status == 0 }, "\(box.values.map { $0?.stderrString ?? "nil" })")
        // Deterministic stages are fresh. Both runs may have issued an admin certificate; whichever
        // cluster write came last is on disk, so a third run at most restores the cache's copy.
        let again = try fleet.regen()
        #expect(again.status == 0)
        #expect(again.stages("ran").isEmpty, "\(again.statuses)")
        let nonDeterministic = again.statuses.keys.filter { $0.hasSuffix("/admincert") || $0.hasSuffix("/talosconfig") }
        #expect(again.stages("fresh").union(nonDeterministic) == Set(again.statuses.keys))
    }
}

final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [ProcessResult?]
    init(_ values: [ProcessResult?]) { storage = values }
    func set(_ index: Int, _ value: ProcessResult?) { lock.withLock { storage[index] = value } }
    var values: [ProcessResult?] { lock.withLock { storage } }
}
