import Testing
@testable import Talos
import YAML

/// `ConfigEncoding.canonical(document:editedFrom:)` takes the untouched subtrees of the document an edit
/// started from as they are. That is right only because canonical form is idempotent and an untouched
/// subtree is the very same collection; these tests hold both to account on real generated configs.
@Suite struct CanonicalReuseTests {
    static func generated(_ type: MachineType) throws -> MachineConfig {
        let generator = ConfigGenerator(clusterName: "reuse", endpoint: "https://10.0.0.10:6443", kubernetesVersion: "v1.33.6",
                                        secrets: try TestSecrets.generated(), contract: try TalosVersionContract.parse("v1.11.6"),
                                        options: GeneratorOptions())
        return try generator.generate(type)
    }

    @Test(arguments: MachineType.allCases)
    func canonicalFormIsIdempotent(type: MachineType) throws {
        for document in try Self.generated(type).documents {
            #expect(try ConfigEncoding.canonical(document: document) == document)
        }
    }

    @Test(arguments: MachineType.allCases)
    func reusingTheBaseGivesWhatAFullReencodingGives(type: MachineType) throws {
        let base = try #require(try Self.generated(type).v1alpha1)
        var edited = base
        var machine = try #require(edited["machine"])
        var network = machine["network"] ?? .mapping([])
        network.set("hostname", .string("node-1"))
        machine.set("network", network)
        machine.set("nodeLabels", .mapping([YAMLPair("zone", .string("a")), YAMLPair("app", .string("b"))]))
        var install = machine["install"] ?? .mapping([])
        install.set("disk", .string("/dev/vda"))
        machine.set("install", install)
        edited.set("machine", machine)

        let reused = try ConfigEncoding.canonical(document: edited, editedFrom: base)
        #expect(reused == (try ConfigEncoding.canonical(document: edited)))
        #expect(reused["machine"]?["nodeLabels"]?.mappingPairs?.map(\.key.scalar?.text) == ["app", "zone"])
        // The untouched cluster section is the base's very collection, not a copy of it.
        #expect(try #require(reused["cluster"]).isSameNode(as: try #require(base["cluster"])))
    }

    @Test func anEditThatBreaksTheTypeIsStillAnError() throws {
        let base = try #require(try Self.generated(.worker).v1alpha1)
        var edited = base
        var machine = try #require(edited["machine"])
        machine.set("install", .string("not a mapping"))
        edited.set("machine", machine)
        #expect(throws: (any Error).self) { try ConfigEncoding.canonical(document: edited, editedFrom: base) }
    }
}
