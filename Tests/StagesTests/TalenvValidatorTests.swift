import Diagnostics
import Testing
@testable import Stages

@Suite struct TalenvValidatorTests {
    static let valid = """
        # a comment
        clusterName: lab
        endpoint: https://10.0.0.10:6443
        talosVersion: v1.11.5
        kubernetesVersion: v1.34.1
        nodes:
          - hostname: lab-1
            ipAddress: 10.0.0.10
            controlPlane: true
            installDisk: /dev/sda
        extraThing: passes through
        """

    func problems(_ text: String) -> [Diagnostic] {
        do {
            _ = try ValidateStage.validate(Array(text.utf8), file: "talenv.yaml")
            return []
        } catch let list as DiagnosticList {
            return list.diagnostics
        } catch let diagnostic as Diagnostic {
            return [diagnostic]
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test func acceptsAValidFile() throws {
        let values = try ValidateStage.validate(Array(Self.valid.utf8), file: "talenv.yaml")
        #expect(values.contains("\"extraThing\": \"passes through\""))
        #expect(values.hasSuffix("}\n"))
    }

    @Test func commentsKeyOrderAndQuotingDoNotChangeTheValues() throws {
        let reordered = """
            kubernetesVersion: "v1.34.1"
            nodes:
              - installDisk: /dev/sda
                controlPlane: true
                ipAddress: '10.0.0.10'
                hostname: lab-1   # the only node
            extraThing: passes through
            talosVersion: v1.11.5
            endpoint: https://10.0.0.10:6443
            clusterName: lab
            """
        #expect(try ValidateStage.validate(Array(Self.valid.utf8), file: "a")
                == ValidateStage.validate(Array(reordered.utf8), file: "b"))
    }

    @Test func reportsFiveProblemsAtOnceWithPositions() {
        let text = """
            clusterName: bad
            endpoint: http://10.0.0.1:6443
            talosVersion: v1.11.5
            kubernetesVersion: 1.34
            nodes:
              - hostname: a
                ipAddress: 10.0.0.300
                controlPlane: false
                installDisk: /dev/sda
              - hostname: a
                ipAddress: 10.0.0.2
                controlPlane: false
                installDisk: /dev/sdb
            """
        let found = problems(text)
        let positions = found.map { "\($0.location!.line):\($0.location!.column)" }
        #expect(positions == ["2:11", "4:20", "5:1", "7:16", "10:15"], "\(found)")
        #expect(found.allSatisfy { $0.location?.file == "talenv.yaml" && $0.severity == .error })
        #expect(found[0].message.contains("https"))
        #expect(found[1].message.contains("expected a string"))
        #expect(found[2].message.contains("no control-plane node"))
        #expect(found[3].message.contains("IPv4 or IPv6"))
        #expect(found[4].message.contains("duplicate host name"))
    }

    @Test func reportsMissingFieldsNoControlPlaneAndEscapingHostnames() {
        let text = """
            clusterName: x
            talosVersion: v1.11.5
            kubernetesVersion: v1.34.1
            nodes:
              - hostname: ../evil
                ipAddress: 10.0.0.2
                controlPlane: false
                installDisk: /dev/sda
              - hostname: b
                ipAddress: "10.0.0.2"
                controlPlane: false
                installDiskSelector:
                  model: x
                networkInterfaces:
                  - interface: eth0
                    addresses: [10.0.0.2/33]
            """
        let messages = problems(text).map { "\($0.location!.line):\($0.location!.column) \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("1:1 missing required key `endpoint`") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("4:1 `nodes`: no control-plane node") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("5:15 ") && $0.contains("escape the cluster folder") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("10:16 ") && $0.contains("duplicate address") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("16:21 ") && $0.contains("CIDR") }, "\(messages)")
    }

    @Test func rejectsDiskChoiceConflictsAndBadTypes() {
        let text = """
            clusterName: x
            endpoint: https://x.example.com:6443
            talosVersion: v1.11.5
            kubernetesVersion: v1.34.1
            allowSchedulingOnControlPlanes: "yes"
            nodes:
              - hostname: a
                ipAddress: 10.0.0.1
                controlPlane: true
                installDisk: /dev/sda
                installDiskSelector: {size: 100GB}
                nodeLabels:
                  zone: 3
            """
        let messages = problems(text).map(\.message)
        #expect(messages.count == 3, "\(messages)")
        #expect(messages.contains { $0.contains("allowSchedulingOnControlPlanes") && $0.contains("true or false") })
        #expect(messages.contains { $0.contains("not both") })
        #expect(messages.contains { $0.contains("nodeLabels.zone") && $0.contains("quote it") })
    }

    @Test func aSyntaxErrorIsReportedWithItsPosition() {
        let found = problems("clusterName: [unclosed\n")
        #expect(found.count == 1)
        #expect(found.first?.location?.file == "talenv.yaml")
    }

    /// Labels and taints follow Kubernetes' syntax: a misspelt effect, a value with a space or a bad key
    /// prefix is reported where it is written, and the three real effects (and an empty value) pass.
    @Test func nodeLabelsAndTaintsFollowKubernetesSyntax() {
        let text = Self.valid.replacingOccurrences(of: "    installDisk: /dev/sda", with: """
                installDisk: /dev/sda
                nodeLabels:
                  topology.kubernetes.io/zone: site-a
                  Bad_Prefix/x: "ok"
                  tier: "fast lane"
                nodeTaints:
                  a.example.com/one: "true:NoSchedule"
                  two: ":PreferNoSchedule"
                  three: "x:NoExecute"
                  typo: "true:NoScheduel"
                  bare: "true"
            """)
        let messages = problems(text).map { "\($0.location!.line):\($0.location!.column) \($0.message)" }
        #expect(messages.count == 4, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("13:7 ") && $0.contains("invalid key \"Bad_Prefix/x\"") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("14:13 ") && $0.contains("invalid value \"fast lane\"") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("19:13 ") && $0.contains("unknown taint effect \"NoScheduel\"; expected one of NoSchedule, PreferNoSchedule, NoExecute") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("20:13 ") && $0.contains("expected `value:Effect`") }, "\(messages)")
    }

    /// What the talenv contract forbids and the battery found accepted: an empty cert SAN, an MTU out of
    /// 576...2^32-1, and extension names the release does not ship (cluster-wide and in a node's own
    /// schematic), each at its own position.
    @Test func emptyCertSansMTUOutOfRangeAndUnknownExtensionsAreErrors() {
        let text = Self.valid
            .replacingOccurrences(of: "nodes:\n", with: """
                additionalApiServerCertSans: ["", x.example.com]
                systemExtensions: [siderolabs/iscsi-toolz, siderolabs/util-linux-tools, siderolabs/util-linux-tools]
                nodes:

                """)
            .replacingOccurrences(of: "    installDisk: /dev/sda", with: """
                    installDisk: /dev/sda
                    schematic:
                      customization:
                        systemExtensions:
                          officialExtensions: [siderolabs/nonfree-kmod-nvidia, siderolabs/qemu-guest-agent]
                    networkInterfaces:
                      - interface: eth0
                        mtu: 575
                      - interface: eth1
                        mtu: 576
                      - interface: eth2
                        mtu: 99999999999999999999
                      - interface: eth3
                        mtu: 9000
                """)
        let messages = problems(text).map { "\($0.location!.line):\($0.location!.column) \($0.message)" }
        #expect(messages == [
            "6:31 `additionalApiServerCertSans[0]`: expected a host name or address, found an empty string",
            "7:20 `systemExtensions[0]`: \"siderolabs/iscsi-toolz\" is not an official extension of Talos v1.11 (did you mean \"siderolabs/iscsi-tools\"?)",
            "7:73 `systemExtensions[2]`: duplicate system extension \"siderolabs/util-linux-tools\"",
            "16:32 `nodes[0].schematic.customization.systemExtensions.officialExtensions[0]`: \"siderolabs/nonfree-kmod-nvidia\" is not an official extension of Talos v1.11 (it ships with Talos v1.5 to v1.7)",
            "19:14 `nodes[0].networkInterfaces[0].mtu`: expected an MTU from 576 to 4294967295, found 575",
            "23:14 `nodes[0].networkInterfaces[2].mtu`: expected an integer, found the number 99999999999999999999",
        ], "\(messages)")
    }

    /// An unsupported `talosVersion` is reported on its own; the extension names are then not checked.
    @Test func extensionsAreNotCheckedAgainstAnUnknownRelease() {
        let text = Self.valid.replacingOccurrences(of: "nodes:\n", with: "systemExtensions: [siderolabs/anything]\nnodes:\n")
            .replacingOccurrences(of: "talosVersion: v1.11.5", with: "talosVersion: v0.14.0")
        #expect(!problems(text).contains { $0.message.contains("official extension") })
    }

    /// Checks talhelper or Talos make on the rendered talconfig or the node configs, reported where the
    /// user wrote the value instead of in a generated file: an unsupported Talos release, a Kubernetes
    /// release it cannot run, a domain that is no DNS name, a disk selector Talos refuses, a shared IP on a
    /// worker.
    @Test func releasesDomainDiskSelectorAndWorkerVIPAreCheckedInTalenv() {
        let text = """
            clusterName: x
            endpoint: https://x.example.com:6443
            talosVersion: v1.11.5
            kubernetesVersion: v1.20.0
            domain: "cluster local"
            nodes:
              - hostname: a
                ipAddress: 10.0.0.1
                controlPlane: true
                installDiskSelector: {type: floppy, name: sda}
                networkInterfaces:
                  - interface: eth0
                    vip: {ip: 10.0.0.5}
              - hostname: b
                ipAddress: 10.0.0.2
                controlPlane: false
                installDisk: /dev/sda
                networkInterfaces:
                  - interface: eth0
                    vip: {ip: 10.0.0.5}
            """
        let messages = problems(text).map { "\($0.location!.line):\($0.location!.column) \($0.message)" }
        #expect(messages == [
            "4:20 `kubernetesVersion`: version of Kubernetes 1.20.0 is too old to be used with Talos 1.11.5",
            "5:9 `domain`: expected a DNS domain like cluster.local, found \"cluster local\"",
            "10:33 `nodes[0].installDiskSelector.type`: expected one of nvme, sd, hdd, ssd, found \"floppy\"",
            "10:47 `nodes[0].installDiskSelector.name`: a disk cannot be selected by name; use `installDisk` or another field (size, model, type, …)",
            "20:14 `nodes[1]`: a virtual (shared) IP (`vip`) is not allowed on a worker node; move it to the control planes",
        ], "\(messages)")
        let unsupported = problems(text.replacingOccurrences(of: "v1.11.5", with: "v1.99.0")).map(\.message)
        #expect(unsupported.contains { $0.hasPrefix("`talosVersion`: unsupported Talos version \"v1.99.0\"") }, "\(unsupported)")
        #expect(!unsupported.contains { $0.contains("kubernetesVersion") }, "\(unsupported)")
        #expect(problems(Self.valid.replacingOccurrences(of: "talosVersion: v1.11.5", with: "talosVersion: 1.11.5")).isEmpty)
    }
}
