import Foundation
import Testing
@testable import Talos
import TestSupport
import YAML

/// Talos's own config-patcher goldens (shared reference `talos-configpatcher/`): base config + patches → expected bytes.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct UpstreamPatcherGoldenTests {
    static var fixtures: URL { TestPaths.reference("talos-configpatcher") }

    static func patched(_ directory: String, base: String, patches: [String]) throws -> String {
        let folder = fixtures.appendingPathComponent(directory)
        let text = try String(contentsOf: folder.appendingPathComponent(base), encoding: .utf8)
        var config = try MachineConfig(documents: YAML.parseStream(text, file: base))
        for patch in patches {
            try config.apply(ConfigPatch.load(argument: "@" + patch, relativeTo: folder))
        }
        return config.encoded(indent: 4)
    }

    static func expected(_ directory: String, _ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(directory).appendingPathComponent(name), encoding: .utf8)
    }

    @Test func strategicAndJSONPatches() throws {
        let out = try Self.patched("apply", base: "config.yaml",
                                   patches: ["strategic1.yaml", "jsonpatch1.yaml", "jsonpatch2.yaml", "strategic2.yaml", "strategic3.yaml"])
        #expect(out == (try Self.expected("apply", "expected.yaml")))
    }

    @Test func inlineManifestLeadingNewlineIsTrimmed() throws {
        let out = try Self.patched("apply", base: "config.yaml", patches: ["strategic4.yaml"])
        #expect(out == (try Self.expected("apply", "expected_manifests.yaml")))
    }

    @Test func multiDocumentMerge() throws {
        let out = try Self.patched("multidoc", base: "config.yaml", patches: ["strategic1.yaml", "strategic2.yaml", "strategic3.yaml"])
        #expect(out == (try Self.expected("multidoc", "expected.yaml")))
    }

    @Test func auditPolicyReplace() throws {
        let out = try Self.patched("auditpolicy", base: "config.yaml", patches: ["patch1.yaml"])
        #expect(out == (try Self.expected("auditpolicy", "expected.yaml")))
    }

    @Test func multiDocumentDelete() throws {
        let out = try Self.patched("patchdelete", base: "config.yaml", patches: ["strategic1.yaml"])
        #expect(out == (try Self.expected("patchdelete", "expected.yaml")))
    }

    @Test func controlPlaneDeletes() throws {
        let out = try Self.patched("patchdelete", base: "controlplane_orig.yaml",
                                   patches: ["strategic2.yaml", "strategic3.yaml", "strategic4.yaml"])
        #expect(out == (try Self.expected("patchdelete", "controlplane_expected.yaml")))
    }

    @Test func linkDocuments() throws {
        let out = try Self.patched("patchlink", base: "base.yaml", patches: ["patch.yaml"])
        #expect(out == (try Self.expected("patchlink", "expected.yaml")))
    }

    @Test func mixedDocuments() throws {
        let out = try Self.patched("patchmixed", base: "base.yaml", patches: ["patch.yaml"])
        #expect(out == (try Self.expected("patchmixed", "expected.yaml")))
    }

    @Test func jsonPatchOnMultiDocumentFails() throws {
        #expect(throws: (any Error).self) {
            try Self.patched("multidoc", base: "config.yaml", patches: ["jsonpatch.yaml", "strategic1.yaml"])
        }
    }
}
