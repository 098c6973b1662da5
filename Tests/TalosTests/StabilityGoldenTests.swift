import Foundation
import Testing
@testable import Talos
import TestSupport

/// Talos's own encoding-stability goldens for every release from v1.3 to v1.15
/// (see the shared reference README for their inputs and upstream's v1alpha1_stability_test.go).
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct StabilityGoldenTests {
    static let versions = TalosVersionContract.supported.map(\.description)

    static func config(version: String, overrides: Bool, type: MachineType) throws -> String {
        var options = GeneratorOptions()
        if overrides {
            options.additionalSANs = ["foo", "bar"]
            options.allowSchedulingOnControlPlanes = true
            options.dnsDomain = "example.com"
            options.installDisk = "/dev/vda"
            options.installExtraKernelArgs = ["foo=bar", "bar=baz"]
            options.localAPIServerPort = 5443
            options.sysctls = ["foo": "bar"]
            options.customCNIURL = "https://example.com/cni.yaml"
            options.registryMirrors = ["ghcr.io": ["https://ghcr.io.my-mirror.com"]]
        }
        let contract = try TalosVersionContract.parse(version)
        let generator = ConfigGenerator(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0",
                                        secrets: try TestSecrets.stabilityBundle(), contract: contract, options: options)
        var config = try generator.generate(type)
        if overrides {
            // Upstream patches the v1alpha1 kubelet before v1.14 and the KubeletConfig document from then on.
            let name = contract.features.multidocKubernetes ? "patch.yaml" : "patch-pre14.yaml"
            let patch = try String(contentsOf: TestSecrets.stability.appendingPathComponent(name), encoding: .utf8)
            try config.apply(try ConfigPatch.parse(patch, file: name))
        }
        return config.encoded(indent: 4)
    }

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: TestSecrets.stability.appendingPathComponent(name), encoding: .utf8)
    }

    @Test(arguments: versions, [MachineType.controlplane, .worker])
    func base(version: String, type: MachineType) throws {
        #expect(try Self.config(version: version, overrides: false, type: type) == Self.golden("\(version)-base-\(type.rawValue).yaml"))
    }

    @Test(arguments: versions, [MachineType.controlplane, .worker])
    func overrides(version: String, type: MachineType) throws {
        #expect(try Self.config(version: version, overrides: true, type: type) == Self.golden("\(version)-overrides-\(type.rawValue).yaml"))
    }

    /// A patch release or pre-release picks its minor's contract.
    @Test(arguments: ["v1.3.1", "1.9.5", "v1.14.0-rc.1", "v1.15.0-alpha.0"])
    func patchReleasesUseTheirMinor(version: String) throws {
        let minor = try TalosVersionContract.parse(version).description
        #expect(try Self.config(version: version, overrides: true, type: .controlplane) == Self.golden("\(minor)-overrides-controlplane.yaml"))
    }
}

/// Versions outside the known contracts are errors, never silently an older contract.
@Suite struct TalosVersionSupportTests {
    @Test func everyMinorFromV1_3ToV1_15IsSupported() {
        #expect(TalosVersionContract.supported.map(\.description) == (3...15).map { "v1.\($0)" })
    }

    @Test(arguments: ["v1.16.0", "v1.99", "v2.0.0"])
    func newerThanNewestNamesTheNewest(version: String) {
        let error = #expect(throws: (any Error).self) { try TalosVersionContract.parse(version) }
        #expect("\(error!)".contains("newer than v1.15, the newest supported"))
    }

    @Test(arguments: ["v1.2.9", "v0.14.0"])
    func olderThanOldestNamesTheRange(version: String) {
        let error = #expect(throws: (any Error).self) { try TalosVersionContract.parse(version) }
        #expect("\(error!)".contains("supported are v1.3 to v1.15"))
    }
}
