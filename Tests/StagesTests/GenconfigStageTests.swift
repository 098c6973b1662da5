import Diagnostics
import Foundation
import Testing
import TestSupport
@testable import Stages

/// genconfig reads `@file` references from the cluster folder (talhelper resolves them against the
/// talconfig's folder), declares them as inputs and uses exactly the bytes it was given for them.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct GenconfigStageTests {
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    static let talconfig = """
        clusterName: demo
        talosVersion: v1.11.5
        kubernetesVersion: v1.34.1
        endpoint: https://10.0.0.10:6443
        patches:
          - "@patches/all.yaml"
        nodes:
          - hostname: cp-1
            ipAddress: 10.0.0.11
            controlPlane: true
            installDisk: /dev/sda
            patches:
              - "@../common/cp.yaml"
              - |-
                machine:
                  sysctls:
                    inline.value: "1"

        """

    func secrets() throws -> [UInt8] {
        [UInt8](try Data(contentsOf: TestPaths.sharedReference.appendingPathComponent("talos-stability/secrets.yaml")))
    }

    @Test func referencedFilesAreInputsNamedAsWrittenAndResolvedInTheClusterFolder() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let cluster = try plaintextBundleCluster(id: "7", root: temp.url)
        let fm = FileManager.default
        try fm.createDirectory(at: cluster.folder.appendingPathComponent("patches"), withIntermediateDirectories: true)
        try fm.createDirectory(at: cluster.fleet.clusters.appendingPathComponent("common"), withIntermediateDirectories: true)
        try "machine:\n  sysctls:\n    from.all: \"1\"\n".write(to: cluster.folder.appendingPathComponent("patches/all.yaml"),
                                                               atomically: true, encoding: .utf8)
        try "machine:\n  sysctls:\n    from.cp: \"2\"\n".write(to: cluster.fleet.clusters.appendingPathComponent("common/cp.yaml"),
                                                              atomically: true, encoding: .utf8)
        let stage = GenconfigStage()
        let declared = StageInputs(["talconfig.rendered.yaml": Array(Self.talconfig.utf8), "talsecret.sops.yaml": try secrets()])
        let referenced = try stage.referencedInputs(for: cluster, inputs: declared,
                                                    environment: StageEnvironment(environment: [:], ageKeyFiles: [], now: now))
        #expect(referenced.map(\.name) == ["@patches/all.yaml", "@../common/cp.yaml"])
        #expect(referenced.map(\.source) == [.file(path: cluster.folder.appendingPathComponent("patches/all.yaml").path),
                                             .file(path: cluster.fleet.clusters.appendingPathComponent("common/cp.yaml").path)])
        // Names map back to the same inputs (the runner reuses a recorded run's list this way).
        #expect(referenced.map { stage.referencedInput(named: $0.name, for: cluster) } == referenced)
        #expect(stage.referencedInput(named: "talsecret.sops.yaml", for: cluster) == nil)

        // The run uses the bytes it is given for them, not the disk.
        var contents = declared.contents
        contents["@patches/all.yaml"] = Array("machine:\n  sysctls:\n    given.all: \"3\"\n".utf8)
        contents["@../common/cp.yaml"] = Array("machine:\n  sysctls:\n    given.cp: \"4\"\n".utf8)
        let result = try stage.run(for: cluster, inputs: StageInputs(contents),
                                   environment: StageEnvironment(environment: [:], ageKeyFiles: [], now: now))
        let node = try #require(result.outputs.first { $0.path == "demo-cp-1.yaml" })
        let text = String(decoding: node.contents, as: UTF8.self)
        #expect(text.contains("given.all: \"3\"") && text.contains("given.cp: \"4\""))
        #expect(!text.contains("from.all"))

        // Without their bytes the stage reads nothing from disk and says which reference is missing.
        let error = try #require(throws: Diagnostic.self) {
            try stage.run(for: cluster, inputs: declared, environment: StageEnvironment(environment: [:], ageKeyFiles: [], now: now))
        }
        #expect(error.message.contains("../common/cp.yaml") && error.message.contains("not among the files"))
    }

    @Test func aMissingReferencedFileIsAnErrorAtItsPlaceInTheTalconfig() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let cluster = ClusterContext(id: "7", fleet: FleetLayout(root: temp.url))
        let declared = StageInputs(["talconfig.rendered.yaml": Array(Self.talconfig.utf8), "talsecret.sops.yaml": try secrets()])
        let error = try #require(throws: Diagnostic.self) {
            try GenconfigStage().referencedInputs(for: cluster, inputs: declared,
                                                  environment: StageEnvironment(environment: [:], ageKeyFiles: [], now: now))
        }
        #expect(error.message.contains("@patches/all.yaml") && error.message.contains("does not exist"))
        #expect(error.location?.file.hasSuffix("cluster-7/talconfig.rendered.yaml") == true)
        #expect(error.location?.line == 6)
        #expect(error.location?.column == 5)
    }

    @Test func errorsInsideReferencedFilesNameTheResolvedFile() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let cluster = try plaintextBundleCluster(id: "7", root: temp.url)
        var contents = ["talconfig.rendered.yaml": Array(Self.talconfig.utf8), "talsecret.sops.yaml": try secrets()]
        contents["@patches/all.yaml"] = Array("machine:\n  sysctls:\n    from.env: \"${UNSET_IN_REGEN}\"\n".utf8)
        contents["@../common/cp.yaml"] = Array("machine:\n  sysctls:\n    from.cp: \"2\"\n".utf8)
        let thrown = #expect(throws: (any Error).self) {
            try GenconfigStage().run(for: cluster, inputs: StageInputs(contents),
                                     environment: StageEnvironment(environment: ["UNSET_IN_REGEN": "1"], ageKeyFiles: [], now: now))
        }
        let diagnostic = try #require((thrown as? Diagnostic) ?? (thrown as? DiagnosticList)?.diagnostics.first)
        #expect(diagnostic.message.contains("UNSET_IN_REGEN"))
        #expect(diagnostic.location?.file == cluster.folderPath + "/patches/all.yaml", "\(diagnostic)")
        #expect(diagnostic.location?.line == 3)
    }

    @Test func errorsInsideInlinePatchesPointAtTheirExactColumn() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let cluster = try plaintextBundleCluster(id: "7", root: temp.url)
        let talconfig = Self.talconfig.replacingOccurrences(of: "    patches:\n      - \"@../common/cp.yaml\"\n", with: "    patches:\n")
            .replacingOccurrences(of: "patches:\n  - \"@patches/all.yaml\"\n", with: "")
            .replacingOccurrences(of: "inline.value: \"1\"", with: "inline.value: [1]")
        let inputs = StageInputs(["talconfig.rendered.yaml": Array(talconfig.utf8), "talsecret.sops.yaml": try secrets()])
        let thrown = #expect(throws: (any Error).self) {
            try GenconfigStage().run(for: cluster, inputs: inputs, environment: StageEnvironment(environment: [:], ageKeyFiles: [], now: now))
        }
        let diagnostic = try #require((thrown as? Diagnostic) ?? (thrown as? DiagnosticList)?.diagnostics.first)
        // `inline.value: [1]` is on line 14 of the rendered file, its value at column 27.
        #expect(diagnostic.location?.line == 14, "\(diagnostic)")
        #expect(diagnostic.location?.column == 27, "\(diagnostic)")
    }
}
