import Testing
@testable import Talos
import YAML

/// Generator options beyond the stability goldens, and per-contract differences.
@Suite struct GeneratorOptionsTests {
    static func generate(_ version: String, _ type: MachineType = .controlplane,
                         _ configure: (inout GeneratorOptions) -> Void = { _ in }) throws -> [YAMLNode] {
        var options = GeneratorOptions()
        configure(&options)
        return try ConfigGenerator(clusterName: "c", endpoint: "https://c:6443", kubernetesVersion: "v1.31.0",
                                   secrets: TestSecrets.generated(), contract: TalosVersionContract.parse(version),
                                   options: options).generate(type).documents
    }

    @Test func kubeSpanMovesToItsOwnDocumentInV1_13() throws {
        let v12 = try Self.generate("v1.12") { $0.kubeSpanEnabled = true }
        #expect(v12[0]["machine"]?["network"]?["kubespan"]?.string("enabled") == "true")
        let v13 = try Self.generate("v1.13") { $0.kubeSpanEnabled = true }
        #expect(v13[0]["machine"]?["network"] == nil)
        #expect(v13.map { $0.string("kind") ?? "v1alpha1" } == ["v1alpha1", "HostnameConfig", "KubeSpanConfig"])
    }

    @Test func v1_13LeavesOutTheEmptyNetwork() throws {
        #expect(try Self.generate("v1.12")[0]["machine"]?["network"] != nil)
        #expect(try Self.generate("v1.13")[0]["machine"]?["network"] == nil)
    }

    @Test func discoveryCanBeDisabled() throws {
        let docs = try Self.generate("v1.11") { $0.discoveryEnabled = false }
        #expect(docs[0]["cluster"]?["discovery"]?.string("enabled") == "false")
    }

    @Test func registryMirrorsAreSortedDocumentsFromV1_12() throws {
        let docs = try Self.generate("v1.12", .worker) { $0.registryMirrors = ["quay.io": ["https://q"], "docker.io": ["https://d1", "https://d2"]] }
        #expect(docs.compactMap { $0.string("kind") == "RegistryMirrorConfig" ? $0.string("name") : nil } == ["docker.io", "quay.io"])
        let v11 = try Self.generate("v1.11", .worker) { $0.registryMirrors = ["quay.io": ["https://q"], "docker.io": ["https://d1"]] }
        #expect(v11[0]["machine"]?["registries"]?["mirrors"]?.mappingPairs?.map(\.key.scalar!.text) == ["docker.io", "quay.io"])
    }

    @Test func kubernetesVersionAndSubnetOverrides() throws {
        let docs = try Self.generate("v1.11") { $0.podSubnets = ["10.1.0.0/16", "fd00:1::/56"]; $0.serviceSubnets = ["10.2.0.0/16"] }
        #expect(docs[0]["machine"]?["kubelet"]?.string("image") == "ghcr.io/siderolabs/kubelet:v1.31.0")
        #expect(docs[0]["cluster"]?["network"]?["podSubnets"]?.sequenceItems?.count == 2)
    }

    @Test func workerHasNoControlPlaneSecrets() throws {
        let worker = try Self.generate("v1.11", .worker)[0]
        #expect(worker["machine"]?["ca"]?.string("key") == "")
        #expect(worker["cluster"]?["ca"]?.string("key") == "")
        for key in ["aggregatorCA", "serviceAccount", "etcd", "secretboxEncryptionSecret", "apiServer"] {
            #expect(worker["cluster"]?[key] == nil, "\(key)")
        }
    }

    @Test(arguments: ["v1.2", "v1.16", "1", "latest"])
    func unsupportedVersions(version: String) {
        #expect(throws: (any Error).self) { try TalosVersionContract.parse(version) }
    }

    /// v1.8–v1.11 share one contract; v1.12 and v1.14 change it.
    @Test func contractsChangeWhereUpstreamsDo() {
        func features(_ minor: Int) -> ContractFeatures { TalosVersionContract(major: 1, minor: minor).features }
        #expect(features(8) == features(11))
        #expect(features(3) == features(4))
        #expect(features(11) != features(12))
        #expect(features(13) != features(14))
        #expect(features(14) == features(15))
    }
}
