import Testing
import Diagnostics
@testable import Talos

/// talhelper's validator rules (pkg/config/validator.go): which fields its own validate_test.go expects
/// to fail for which input, here each at its file:line:col, all reported in one run.
@Suite struct TalhelperValidatorTests {
    static func diagnostics(_ text: String) -> [Diagnostic] {
        do {
            _ = try TalhelperFixtures.load(text)
            return []
        } catch let diagnostic as Diagnostic {
            return [diagnostic]
        } catch let list as DiagnosticList {
            return list.diagnostics
        } catch {
            return []
        }
    }

    static func fields(_ diagnostics: [Diagnostic]) -> [String] {
        diagnostics.map { String($0.message.prefix { $0 != ":" }) }
    }

    static let base = """
        clusterName: c
        talosVersion: v1.11.2
        kubernetesVersion: v1.31.1
        endpoint: https://10.0.0.1:6443
        nodes:
          - hostname: n1
            ipAddress: 10.0.0.2
            installDisk: /dev/sda

        """

    @Test func emptyNodeListIsAnError() {
        let found = Self.diagnostics("clusterName: c\ntalosVersion: v1.11.2\nkubernetesVersion: v1.31.1\nendpoint: https://e:6443\nnodes: []\n")
        #expect(found.map(\.description) == ["talconfig.yaml:5:8: error: nodes: \"nodes\" is required to be not empty"])
    }

    @Test func requiredClusterFields() {
        let found = Self.diagnostics("clusterName: \"\"\nnodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n    installDisk: /dev/sda\n")
        #expect(Self.fields(found) == ["clusterName", "kubernetesVersion", "endpoint"])
        #expect(found.first?.location == SourceLocation(file: "talconfig.yaml", line: 1, column: 14))
    }

    @Test func hostnameMustBeRFC1123() {
        let found = Self.diagnostics(Self.base.replacingOccurrences(of: "hostname: n1", with: "hostname: nöde"))
        #expect(found.map(\.description) == ["talconfig.yaml:6:15: error: nodes[0].hostname: \"nöde\" is not a valid hostname"])
    }

    @Test func talosImageURLMustNotCarryATag() {
        let found = Self.diagnostics(Self.base + "    talosImageURL: factory.talos.dev/installer/abc:v1.11.5\n")
        #expect(found.map(\.description) == ["talconfig.yaml:9:20: error: nodes[0].talosImageURL: should not contains version or digest"])
        #expect(Self.diagnostics(Self.base + "    talosImageURL: registry.example:5000/installer\n").isEmpty)
    }

    /// The rules talhelper's validate_test.go exercises, on an input of the same shape: a second node with
    /// no hostname, address or disk, bad labels and taint effect, a bad file op, a duplicate extension; a
    /// bad route gateway on the first; unsupported versions, CNI name and service CIDR at the top.
    @Test func everyFailingFieldIsReportedAtOnce() {
        let text = """
            clusterName: c
            talosVersion: vv1.0.6
            kubernetesVersion: 1.23.6.5
            endpoint: https://10.0.0.1:6443
            cniConfig:
              name: flanel
            clusterSvcNets:
              - 10.96.0.0/12
              - 10.10.0.0/166
            nodes:
              - hostname: cp1
                ipAddress: 1.2.3.4.5
                installDisk: /dev/sda
                networkInterfaces:
                  - interface: eth0
                    routes:
                      - network: 0.0.0.0/0
                        gateway: 1.2.3.4.5.6
              - nodeLabels:
                  ra*ck: rack1
                nodeTaints:
                  dedicated: gpu:Noschedule
                machineFiles:
                  - op: ccreate
                    path: /var/x
                schematic:
                  customization:
                    systemExtensions:
                      officialExtensions:
                        - siderolabs/i915
                        - siderolabs/i915
            """
        let found = Self.diagnostics(text)
        #expect(Self.fields(found) == [
            "talosVersion", "kubernetesVersion", "clusterSvcNets", "cniConfig",
            "nodes[0].networkInterfaces",
            "nodes[1].hostname", "nodes[1].ipAddress", "nodes[1].installDisk", "nodes[1].nodeLabels", "nodes[1].nodeTaints",
            "nodes[1].machineFiles", "nodes[1].schematic",
        ])
        #expect(found.allSatisfy { $0.location?.file == "talconfig.yaml" && ($0.location?.line ?? 0) > 0 })
        #expect(found.first { $0.message.hasPrefix("nodes[1].nodeTaints") }?.location?.line == 22)
    }

    @Test func machineSpecAndFirewallRules() {
        let text = Self.base + """
                machineSpec:
                  bootMethod: usb
                ingressFirewall:
                  defaultAction: drop
                  rules:
                    - portSelector:
                        protocol: sctp
                        ports: []
            """
        let messages = Self.diagnostics(text).map(\.message)
        #expect(messages == [
            "nodes[0].machineSpec: `bootMethod` should be one of iso, disk-image, pxe",
            "nodes[0].ingressFirewall: rules[0]: name is required",
            "nodes[0].ingressFirewall: rules[0]: \"sctp\" is not a valid protocol",
            "nodes[0].ingressFirewall: rules[0]: portSelector.ports is required",
            "nodes[0].ingressFirewall: \"drop\" is not a valid default action",
        ])
    }

    /// talhelper takes a domain name as a node address (its `isDomainOrIP`).
    @Test func nodeAddressMayBeADomain() {
        #expect(Self.diagnostics(Self.base.replacingOccurrences(of: "ipAddress: 10.0.0.2", with: "ipAddress: n1.home.arpa")).isEmpty)
    }
}
