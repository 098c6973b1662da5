import Foundation
import Testing
@testable import Talos
import TestSupport
import YAML

/// Every generated document validates against the official Talos JSON schema for its release
/// (Python `jsonschema`, Draft 2020-12, from the test venv), all in one Python run.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct SchemaValidationTests {
    struct Sample: Codable {
        var name: String
        var schema: String
        /// Whether the schema lacks `machine.install.extraKernelArgs` (v1.12+; a known upstream gap).
        var dropsExtraKernelArgs: Bool
        var yaml: String
        /// A talhelper v1.14+ node file: its legacy `machine.install`/`nodeLabels`/`nodeAnnotations`/`nodeTaints`
        /// are set aside before the check (and must be the only thing the v1.14 schema would reject).
        var dropsLegacyNodeFields = false
    }

    /// The release's own schema (`talos-schema/by-minor/`, v1.7 on; older releases have none, so v1.7's).
    static func schema(for contract: TalosVersionContract) -> (String, Bool) {
        let directory = TestPaths.sharedReference.appendingPathComponent("talos-schema/by-minor")
        let minor = max(contract.minor, 7)
        return (directory.appendingPathComponent("v1.\(minor).json").path, contract >= TalosVersionContract(major: 1, minor: 12))
    }

    static func samples() throws -> [Sample] {
        var samples: [Sample] = []
        for version in StabilityGoldenTests.versions {
            let contract = try TalosVersionContract.parse(version)
            let (schema, drops) = schema(for: contract)
            for overrides in [false, true] {
                for type in MachineType.allCases {
                    let yaml = try StabilityGoldenTests.config(version: version, overrides: overrides, type: type)
                    samples.append(Sample(name: "\(version)-\(overrides ? "overrides" : "base")-\(type)", schema: schema,
                                          dropsExtraKernelArgs: drops, yaml: yaml))
                }
            }
        }
        // From v1.14 talhelper (built with Talos machinery v1.14.0-alpha.2) still writes a node's install disk,
        // labels, annotations and taints into v1alpha1 fields that Talos accepts but its v1.14 schema no longer
        // lists (docs/genconfig.md, known gaps): only those are set aside (`dropsLegacyNodeFields`); every other
        // field and every other document (HostnameConfig, the Kube*/Discovery*/Resolver documents, the
        // network documents) is checked.
        for version in ["v1.3.1", "v1.7.0", "v1.10.7", "v1.11.6", "v1.12.1", "v1.13.0", "v1.14.0", "v1.15.0"] {
            let contract = try TalosVersionContract.parse(version)
            let (schema, drops) = schema(for: contract)
            let multidoc = contract.features.multidocNetworkConfig
            let multidocKubernetes = contract.features.multidocKubernetes
            // A Kubernetes release the Talos release supports (talhelper's validator applies the matrix).
            let kubernetes = "v1.\(KubernetesCompatibility.kubernetesMinors[contract.minor]?.max ?? 31).1"
            // siderolabs/i915 ships from v1.9 (intel-ucode from v1.2).
            let text = TalhelperFixtures.talconfig(talosVersion: version, kubernetesVersion: kubernetes, interfaces: true, nodePatch: !multidoc)
                .replacingOccurrences(of: "siderolabs/i915", with: contract.minor < 9 ? "siderolabs/intel-ucode" : "siderolabs/i915")
                // From v1.14 sysctls are a SysctlConfig document (the v1alpha1 field is legacy).
                .replacingOccurrences(of: "machine:\n        sysctls:\n", with: multidocKubernetes
                                      ? "apiVersion: v1alpha1\n      kind: SysctlConfig\n      params:\n" : "machine:\n        sysctls:\n")
            let (config, _) = try TalhelperFixtures.load(text)
            for file in try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.stabilityBundle())
            where file.name.hasSuffix(".yaml") {
                samples.append(Sample(name: "talhelper-\(version)-\(file.name)", schema: schema, dropsExtraKernelArgs: drops,
                                      yaml: String(decoding: file.contents, as: UTF8.self),
                                      dropsLegacyNodeFields: multidocKubernetes))
            }
        }
        // v1.12 network documents from talhelper's interface translation.
        let (schema, drops) = schema(for: try TalosVersionContract.parse("v1.12"))
        let network = try NetworkDocuments.documents(for: YAML.parseDocument(TalhelperGeneratorTests.advancedInterfaces, file: "i.yaml"))
        let networkConfig = try MachineConfig(documents: network)
        samples.append(Sample(name: "talhelper-network-documents", schema: schema, dropsExtraKernelArgs: drops,
                              yaml: networkConfig.encoded(indent: 2)))
        return samples
    }

    static let validator = """
        import json, sys, yaml
        from jsonschema import Draft202012Validator
        samples = json.load(sys.stdin)
        validators, failures, count = {}, [], 0
        for sample in samples:
            v = validators.get(sample["schema"])
            if v is None:
                v = validators[sample["schema"]] = Draft202012Validator(json.load(open(sample["schema"])))
            for i, doc in enumerate(yaml.safe_load_all(sample["yaml"])):
                count += 1
                doc.pop("persist", None)  # upstream gap: the schema omits persist
                # upstream gap (v1.14+ schemas): the kind is spelled UnattendedInstall there, while Talos writes
                # UnattendedInstallConfig (its own stability goldens do)
                if doc.get("kind") == "UnattendedInstallConfig":
                    doc["kind"] = "UnattendedInstall"
                if sample.get("dropsLegacyNodeFields") and doc.get("version") == "v1alpha1":
                    for key in ("install", "nodeLabels", "nodeAnnotations", "nodeTaints"):
                        doc.get("machine", {}).pop(key, None)
                if sample["dropsExtraKernelArgs"]:
                    doc.get("machine", {}).get("install", {}).pop("extraKernelArgs", None)
                for error in v.iter_errors(doc):
                    failures.append("%s doc %d: %s at %s" % (sample["name"], i, error.message[-300:], list(error.absolute_path)))
        print(count)
        print("\\n".join(failures))
        sys.exit(1 if failures else 0)
        """

    @Test func generatedDocumentsValidateAgainstTheOfficialSchema() throws {
        let samples = try Self.samples()
        let input = try JSONEncoder().encode(samples)
        let result = try runProcess(TestPaths.venvTool("python"), ["-c", Self.validator], stdin: input)
        let lines = result.stdoutString.split(separator: "\n")
        #expect(result.status == 0, "\(result.stdoutString)\(result.stderrString)")
        #expect(Int(lines.first ?? "") ?? 0 >= samples.count, "every sample has at least one document")
    }

    /// The check itself can fail: a document with a field the schema does not know is rejected.
    @Test func validatorRejectsAnUnknownField() throws {
        let (schema, _) = Self.schema(for: try TalosVersionContract.parse("v1.11"))
        let bad = Sample(name: "bad", schema: schema, dropsExtraKernelArgs: false,
                         yaml: "version: v1alpha1\nmachine:\n  type: worker\n  bogusField: 1\n")
        let result = try runProcess(TestPaths.venvTool("python"), ["-c", Self.validator], stdin: try JSONEncoder().encode([bad]))
        #expect(result.status == 1)
        #expect(result.stdoutString.contains("bogusField"))
    }
}

/// talhelper's genconfig path from v1.14 writes Talos's multi-document config: the node's hostname,
/// resolvers, links and the Kubernetes documents each in their own document (checked against the schema above).
@Suite struct TalhelperMultiDocumentTests {
    @Test(arguments: ["v1.14.0", "v1.15.0"])
    func nodeFilesAreMultiDocument(version: String) throws {
        let text = TalhelperFixtures.talconfig(talosVersion: version, kubernetesVersion: "v1.35.0", interfaces: true, nodePatch: false)
            .replacingOccurrences(of: "machine:\n        sysctls:\n", with: "apiVersion: v1alpha1\n      kind: SysctlConfig\n      params:\n")
        let (config, _) = try TalhelperFixtures.load(text)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let controlPlane = try #require(files.first { $0.name == "home-cp1.yaml" })
        let documents = try YAML.parseStream(controlPlane.contents, file: controlPlane.name)
        let kinds = Set(documents.compactMap { $0.string("kind") })
        for kind in ["HostnameConfig", "ResolverConfig", "LinkConfig", "KubeletConfig", "KubeClusterConfig", "KubeAPIServerConfig",
                     "DiscoveryServiceConfig"] {
            #expect(kinds.contains(kind), "\(kind) in \(kinds.sorted())")
        }
        let legacy: Set<String> = ["install", "nodeLabels", "nodeAnnotations", "nodeTaints"]
        let machineKeys = Set(documents[0]["machine"]?.mappingPairs?.compactMap { $0.key.scalar?.text } ?? [])
        // Only the legacy fields talhelper keeps writing sit outside what the v1.14 schema lists for `machine`.
        #expect(machineKeys.subtracting(["type", "token", "ca", "certSANs", "features"]).isSubset(of: legacy), "\(machineKeys.sorted())")
        #expect(documents[0]["machine"]?["kubelet"] == nil && documents[0]["cluster"]?["apiServer"] == nil)
    }
}
