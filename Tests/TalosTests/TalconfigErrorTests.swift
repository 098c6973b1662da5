import Diagnostics
import Testing
@testable import Talos

/// Bad talconfig input: file:line:col errors, warnings for what talhelper silently ignores.
@Suite struct TalconfigErrorTests {
    static func error(_ text: String, environment: [String: String] = [:], strict: Bool = false) -> Diagnostic? {
        do {
            let (config, _) = try TalhelperFixtures.load(text, environment: environment, strict: strict)
            _ = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
            return nil
        } catch let diagnostic as Diagnostic {
            return diagnostic
        } catch let list as DiagnosticList {
            return list.diagnostics.first
        } catch {
            return Diagnostic.error("unexpected \(error)")
        }
    }

    static let minimal = """
        clusterName: c
        kubernetesVersion: v1.31.0
        endpoint: https://10.0.0.1:6443
        talosVersion: v1.11.2
        nodes:
          - hostname: n1
            ipAddress: 10.0.0.2
            controlPlane: true
            installDisk: /dev/sda

        """

    @Test func badCIDR() throws {
        let diagnostic = try #require(Self.error(Self.minimal + "clusterPodNets:\n  - 10.244.0.0/33\n"))
        #expect(diagnostic.location == SourceLocation(file: "talconfig.yaml", line: 11, column: 5))
        #expect(diagnostic.message.contains("invalid CIDR"))
    }

    @Test func unsupportedTalosVersion() throws {
        let text = Self.minimal.replacingOccurrences(of: "v1.11.2", with: "v1.16.0")
        let diagnostic = try #require(Self.error(text))
        #expect(diagnostic.location == SourceLocation(file: "talconfig.yaml", line: 4, column: 15))
        #expect(diagnostic.message.contains("unsupported Talos version"))
        #expect(diagnostic.message.contains("newest supported"))
    }

    @Test func wrongType() throws {
        let text = Self.minimal.replacingOccurrences(of: "ipAddress: 10.0.0.2", with: "ipAddress:\n      a: b")
        let diagnostic = try #require(Self.error(text))
        #expect(diagnostic.location == SourceLocation(file: "talconfig.yaml", line: 8, column: 7))
        #expect(diagnostic.message.contains("`nodes[0].ipAddress` (line 8, column 7): expected a string, found a mapping"))
    }

    @Test func patchThatDoesNotApply() throws {
        let text = Self.minimal + "patches:\n  - |-\n    machine:\n      kubelet:\n        bogus: true\n"
        let diagnostic = try #require(Self.error(text))
        #expect(diagnostic.location == SourceLocation(file: "talconfig.yaml", line: 14, column: 9))
        #expect(diagnostic.message.contains("unknown field `bogus`"))
    }

    @Test func jsonPatchOnMissingPath() throws {
        let text = Self.minimal + "patches:\n  - |-\n    - op: replace\n      path: /machine/nope/x\n      value: 1\n"
        let diagnostic = try #require(Self.error(text))
        #expect(diagnostic.location?.file == "talconfig.yaml")
        #expect(diagnostic.location?.line == 12)
    }

    @Test func unsetVariableIsAnError() throws {
        let text = Self.minimal.replacingOccurrences(of: "clusterName: c", with: "clusterName: ${CLUSTER}")
        let diagnostic = try #require(Self.error(text))
        #expect(diagnostic.location == SourceLocation(file: "talconfig.yaml", line: 1, column: 14))
        #expect(diagnostic.message.contains("${CLUSTER} not set"))
        #expect(Self.error(text, environment: ["CLUSTER": "lab"]) == nil)
    }

    @Test func emptyVariableIsAnErrorUnlessDefaulted() throws {
        let text = Self.minimal.replacingOccurrences(of: "clusterName: c", with: "clusterName: ${CLUSTER}")
        #expect(Self.error(text, environment: ["CLUSTER": ""])?.message.contains("empty") == true)
        let defaulted = Self.minimal.replacingOccurrences(of: "clusterName: c", with: "clusterName: ${CLUSTER:-lab}")
        #expect(Self.error(defaulted, environment: ["CLUSTER": ""]) == nil)
    }

    @Test func substitutionValuesAndComments() throws {
        let text = "a: ${A}-$B # ${NOT_SET} in a comment\nb: $$literal\n"
        let out = try EnvSubstitution.substitute(text, environment: ["A": "1", "B": "2"], file: "f")
        #expect(out == "a: 1-2 # ${NOT_SET} in a comment\nb: $literal\n")
    }

    @Test func unknownFieldsWarnWithPositionsAndFailUnderStrict() throws {
        let text = Self.minimal + "clusterNmae: typo\n"
        let (_, warnings) = try TalhelperFixtures.load(text)
        #expect(warnings.count == 1)
        #expect(warnings.first?.severity == .warning)
        #expect(warnings.first?.location == SourceLocation(file: "talconfig.yaml", line: 10, column: 1))
        let strictError = try #require(Self.error(text, strict: true))
        #expect(strictError.severity == .error && strictError.message.contains("clusterNmae"))
    }

    @Test func unknownNodeFieldWarns() throws {
        let text = Self.minimal.replacingOccurrences(of: "installDisk: /dev/sda", with: "installDisk: /dev/sda\n    instalDisk: /dev/sdb")
        let (_, warnings) = try TalhelperFixtures.load(text)
        #expect(warnings.map(\.location?.line) == [10])
    }

    @Test func missingRequiredField() throws {
        let text = Self.minimal.replacingOccurrences(of: "endpoint: https://10.0.0.1:6443\n", with: "")
        #expect(Self.error(text)?.message.contains("endpoint") == true)
    }

    @Test func badIPAddress() throws {
        let text = Self.minimal.replacingOccurrences(of: "10.0.0.2", with: "10.0.0.2/24")
        #expect(Self.error(text)?.location?.line == 7)
    }

    @Test func metalModeNeedsAnInstallDisk() throws {
        let text = Self.minimal.replacingOccurrences(of: "    installDisk: /dev/sda\n", with: "")
        let diagnostic = try #require(Self.error(text))
        // talhelper's validator says so before any config is generated.
        #expect(diagnostic.message == "nodes[0].installDisk: \"nodes[0].installDisk\" is required to be not empty")
        #expect(diagnostic.location == SourceLocation(file: "talconfig.yaml", line: 6, column: 5))
    }

    @Test func unknownFieldInsideATalosValueWarnsAndIsDropped() throws {
        let text = Self.minimal + "    networkInterfaces:\n      - interface: eth0\n        dhcp: true\n        dhcpp: true\n"
        let (config, warnings) = try TalhelperFixtures.load(text)
        #expect(warnings.map(\.location?.line) == [13])
        #expect(warnings.first?.message.contains("dhcpp") == true)
        let interface = try #require(config.nodes[0].settings.networkInterfaces?.sequenceItems?.first)
        #expect(interface["dhcpp"] == nil && interface.string("dhcp") == "true")
        #expect(Self.error(text, strict: true)?.location?.line == 13)
    }

    @Test func errorInsideAQuotedInlinePatchPointsIntoTheTalconfig() throws {
        let text = Self.minimal + "patches:\n  - \"machine: {kubelet: {bogus: 1}}\"\n"
        let diagnostic = try #require(Self.error(text))
        // Line 11: `  - "machine: {kubelet: {bogus: 1}}"`; `bogus` starts at column 26.
        #expect(diagnostic.location == SourceLocation(file: "talconfig.yaml", line: 11, column: 26))
    }

    /// talhelper renders patches as Go templates over the config (its templating0/1 patcher tests): the
    /// subset talos-batch knows is rendered, anything else (here `range`) is an error at the patch.
    @Test func goTemplatesInPatches() throws {
        let rendered = Self.minimal + "patches:\n  - |-\n    machine:\n      nodeLabels:\n        role: \"{{ .MachineConfig.MachineType }}\"\n"
            + "        host: '{{ if ne .MachineConfig.MachineType \"worker\" }}cp{{- else }}w{{ end }}-{{ .ClusterConfig.ClusterNetwork.DNSDomain }}'\n"
        let (config, _) = try TalhelperFixtures.load(rendered)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let text = String(decoding: try #require(files.first).contents, as: UTF8.self)
        #expect(text.contains("    role: controlplane\n"))
        #expect(text.contains("    host: cp-cluster.local\n"))

        let unsupported = Self.minimal + "patches:\n  - |-\n    machine:\n      nodeLabels:\n        name: \"{{ range .X }}{{ end }}\"\n"
        let diagnostic = try #require(Self.error(unsupported))
        #expect(diagnostic.message.contains("Go template"))
        #expect(diagnostic.message.contains("range"))
        #expect(diagnostic.location?.line == 11)
    }
}
