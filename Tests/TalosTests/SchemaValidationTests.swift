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
        // Not v1.14+: talhelper writes a node's install disk, labels and taints into v1alpha1 fields that Talos
        // still accepts but its v1.14 schema no longer lists (docs/genconfig.md, known gaps).
        for version in ["v1.3.1", "v1.7.0", "v1.10.7", "v1.11.6", "v1.12.1", "v1.13.0"] {
            let contract = try TalosVersionContract.parse(version)
            let (schema, drops) = schema(for: contract)
            let multidoc = contract.features.multidocNetworkConfig
            let text = TalhelperFixtures.talconfig(talosVersion: version, interfaces: true, nodePatch: !multidoc)
            let (config, _) = try TalhelperFixtures.load(text)
            for file in try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.stabilityBundle())
            where file.name.hasSuffix(".yaml") {
                samples.append(Sample(name: "talhelper-\(version)-\(file.name)", schema: schema, dropsExtraKernelArgs: drops,
                                      yaml: String(decoding: file.contents, as: UTF8.self)))
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
