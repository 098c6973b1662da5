import Cache
import Diagnostics
import Foundation
import Stages
import Testing
@testable import Runner

/// What genconfig may restore depends on the output folder: directly in it, never one of the cluster
/// folder's own files when that folder is the cluster folder itself (issue 16 with issue 19's checks).
@Suite struct StageOutputDeclarationTests {
    func entry(_ path: String, _ mode: UInt32 = 0o600) -> OutputEntry {
        OutputEntry(path: path, digest: Digest.of(path), mode: mode, size: 1)
    }

    func cluster(outputFolder: String) throws -> ClusterContext {
        var settings = ProjectSettings()
        settings.outputFolder = try OutputFolder(setting: outputFolder, at: SourceLocation(file: "talos-batch.yaml", line: 1, column: 1))
        return ClusterContext(id: "1", fleet: FleetLayout(root: URL(fileURLWithPath: "/p"), settings: settings))
    }

    @Test func inTheClusterFolderTheInputsAreNeverOutputs() throws {
        let declared = GenconfigStage().declaredOutputs(for: try cluster(outputFolder: ""))
        #expect(declared.problem(in: [entry(".gitignore"), entry("lab-cp1.yaml")]) == nil)
        for input in ["talenv.yaml", "talsecret.sops.yaml", "talsecret.yaml", "talconfig.rendered.yaml", "schematic.yaml",
                      "talenv.values.json", "talosconfig", ".talosconfig-admin.yaml"] {
            #expect(declared.problem(in: [entry(".gitignore"), entry("lab-cp1.yaml"), entry(input)]) != nil, "\(input)")
        }
        #expect(declared.problem(in: [entry(".gitignore"), entry("clusterconfig/lab-cp1.yaml")]) != nil)
        #expect(AdminCertificateStage().declaredOutputs(for: try cluster(outputFolder: ""))
            .problem(in: [entry(".talosconfig-admin.yaml")]) == nil)
    }

    @Test func inASubfolderOnlyItsDirectFilesAreOutputs() throws {
        let layout = try cluster(outputFolder: "clusterconfig/")
        let declared = GenconfigStage().declaredOutputs(for: layout)
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore"), entry("clusterconfig/lab-cp1.yaml")]) == nil)
        #expect(declared.problem(in: [entry("clusterconfig/.gitignore"), entry("lab-cp1.yaml")]) != nil)
        #expect(declared.problem(in: [entry(".gitignore"), entry("clusterconfig/lab-cp1.yaml")]) != nil)
        #expect(TalosconfigStage().declaredOutputs(for: layout).problem(in: [entry("clusterconfig/talosconfig")]) == nil)
        #expect(TalosconfigStage().declaredOutputs(for: layout).problem(in: [entry("talosconfig")]) != nil)
    }

    @Test func anOutputFolderSettingIsAPlainRelativeFolder() throws {
        let at = SourceLocation(file: "talos-batch.yaml", line: 1, column: 15)
        for good in ["", ".", "./", "clusterconfig", "./out/configs/", "a.b"] {
            #expect(throws: Never.self, "\(good)") { _ = try OutputFolder(setting: good, at: at) }
        }
        for bad in ["/abs", "..", "../x", "a/../b", "a//b", "a/./b", "a\\b"] {
            #expect(throws: (any Error).self, "\(bad)") { _ = try OutputFolder(setting: bad, at: at) }
        }
        #expect(try OutputFolder(setting: "./out/configs/", at: at).file("talosconfig") == "out/configs/talosconfig")
        #expect(try OutputFolder(setting: ".", at: at).file("talosconfig") == "talosconfig")
    }
}
