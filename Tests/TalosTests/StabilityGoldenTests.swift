import Foundation
import Testing
@testable import Talos
import TestSupport

/// Talos's own encoding-stability goldens (see ../shared/reference/README.md for their inputs).
@Suite struct StabilityGoldenTests {
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
        let generator = ConfigGenerator(clusterName: "base", endpoint: "https://base:6443", kubernetesVersion: "1.28.0",
                                        secrets: try TestSecrets.stabilityBundle(),
                                        contract: try TalosVersionContract.parse(version), options: options)
        var config = try generator.generate(type)
        if overrides {
            let patch = try String(contentsOf: TestSecrets.stability.appendingPathComponent("overrides-patch.yaml"), encoding: .utf8)
            try config.apply(try ConfigPatch.parse(patch, file: "overrides-patch.yaml"))
        }
        return config.encoded(indent: 4)
    }

    static func golden(_ name: String) throws -> String {
        try String(contentsOf: TestSecrets.stability.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func v1_11BaseControlPlane() throws {
        #expect(try Self.config(version: "v1.11", overrides: false, type: .controlplane) == Self.golden("v1.11-base-controlplane.yaml"))
    }

    @Test func v1_11BaseWorker() throws {
        #expect(try Self.config(version: "v1.11", overrides: false, type: .worker) == Self.golden("v1.11-base-worker.yaml"))
    }

    @Test func v1_11OverridesControlPlane() throws {
        #expect(try Self.config(version: "v1.11", overrides: true, type: .controlplane) == Self.golden("v1.11-overrides-controlplane.yaml"))
    }

    @Test func v1_11OverridesWorker() throws {
        #expect(try Self.config(version: "v1.11", overrides: true, type: .worker) == Self.golden("v1.11-overrides-worker.yaml"))
    }

    @Test func v1_12BaseControlPlane() throws {
        #expect(try Self.config(version: "v1.12", overrides: false, type: .controlplane) == Self.golden("v1.12-base-controlplane.yaml"))
    }

    @Test func v1_12BaseWorker() throws {
        #expect(try Self.config(version: "v1.12", overrides: false, type: .worker) == Self.golden("v1.12-base-worker.yaml"))
    }

    @Test func v1_12OverridesControlPlane() throws {
        #expect(try Self.config(version: "v1.12", overrides: true, type: .controlplane) == Self.golden("v1.12-overrides-controlplane.yaml"))
    }

    @Test func v1_12OverridesWorker() throws {
        #expect(try Self.config(version: "v1.12", overrides: true, type: .worker) == Self.golden("v1.12-overrides-worker.yaml"))
    }

    /// v1.8–v1.10 share v1.11's contract: the same bytes.
    @Test(arguments: ["v1.8.0", "v1.9.5", "v1.10.2"])
    func olderContractsMatchV1_11(version: String) throws {
        #expect(try Self.config(version: version, overrides: true, type: .controlplane) == Self.golden("v1.11-overrides-controlplane.yaml"))
    }
}
