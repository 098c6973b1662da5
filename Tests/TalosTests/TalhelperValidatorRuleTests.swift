import Foundation
import Testing
import Diagnostics
import TestSupport
import YAML
@testable import Talos

/// The rest of talhelper's validator (pkg/config/validator.go), rule by rule, with talhelper's (or, where
/// talhelper calls into Talos, Talos's) wording as the oracle, each at its file:line:col.
@Suite struct TalhelperValidatorRuleTests {
    static func check(_ text: String, baseDirectory: URL? = nil) throws -> [Diagnostic] {
        TalhelperValidator.check(try YAML.parseDocument(text, file: "talconfig.yaml"), baseDirectory: baseDirectory)
    }

    static func errors(_ text: String, baseDirectory: URL? = nil) throws -> [String] {
        try check(text, baseDirectory: baseDirectory).filter { $0.severity == .error }.map(\.description)
    }

    static func config(talos: String = "v1.11.2", kubernetes: String = "v1.31.1", top: String = "", node: String = "") -> String {
        """
        clusterName: c
        talosVersion: \(talos)
        kubernetesVersion: \(kubernetes)
        endpoint: https://10.0.0.1:6443
        \(top)
        nodes:
          - hostname: n1
            ipAddress: 10.0.0.2
            installDisk: /dev/sda
        \(node)
        """
    }

    /// talhelper's own TestValidateFromByte input and the fields it expects to fail (validate_test.go), plus
    /// `controlPlane.ingressFirewall`: talos-batch also checks the group defaults (talhelper's genconfig
    /// validates after merging them into the nodes, so it fails there too).
    @Test func talhelpersValidateFromByteCase() throws {
        let text = """
            clusterName: "test-cluster"
            talosVersion: vv1.0.6
            kubernetesVersion: 1.23.6.5
            allowSchedulingOnMasters: true
            cniConfig:
              name: customo
            clusterPodNets:
              - 10.244.0.0/16
            clusterSvcNets:
              - 10.244.0.0/16
              - 10.10.0.0/166
            controlPlane:
              ingressFirewall:
                defaultAction: block
                rules:
                  - portSelector:
                      ports:
                        - 10250
                    ingress:
                      - subnet: 172.20.0.0/24
            worker:
              extraManifests:
                - test.yaml
            nodes:
              - hostname: master1
                ipAddress: 1.2.3.4.5
                installDisk: /dev/sda
                disableSearchDomain: true
                nameservers:
                  - 8.8.8.8
                networkInterfaces:
                  - addresses:
                      - 1.2.3.4
                    mtu: 1500
                    routes:
                      - network: 0.0.0.0/0
                        gateway: 1.2.3.4.5.6
                ingressFirewall:
                  defaultAction: block
                  rules:
                    - name: kubelet-ingress
                      portSelector:
                        ports:
                          - 10250
                        protocol: tcp
                      ingress:
                        - subnet: 172.20.0.0/24
              - nodeLabels:
                  ra*ck: rack1a
                  z***: hahaha
                nodeTaints:
                  test: test:Noschedule
                machineFiles:
                  - op: ccreate
                schematic:
                  customization:
                    systemExtensions:
                      officialExtensions:
                        - siderolabs/aaa
                extraManifests:
                 - test.yaml
            """
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let found = try Self.check(text, baseDirectory: directory.url).filter { $0.severity == .error }
        let fields = Set(found.map { String($0.message.prefix { $0 != ":" }) }.map { $0.replacingOccurrences(of: #"\[\d+\]$"#, with: "", options: .regularExpression) })
        let expected: Set<String> = [
            "talosVersion", "kubernetesVersion", "endpoint", "cniConfig", "clusterSvcNets", "nodes[0].networkInterfaces",
            "nodes[1].hostname", "nodes[1].ipAddress", "nodes[1].installDisk", "nodes[1].nodeLabels", "nodes[1].nodeTaints",
            "nodes[1].machineFiles", "nodes[1].schematic", "nodes[1].extraManifests",
            "controlPlane.ingressFirewall", "worker.extraManifests",
        ]
        #expect(fields == expected)
        // talhelper expects these to pass.
        for field in ["clusterName", "clusterPodNets", "nodes[0].hostname", "nodes[0].ipAddress", "nodes[0].installDisk",
                      "nodes[0].nameservers", "nodes[0].ingressFirewall"] {
            #expect(!fields.contains(field), "\(field)")
        }
        #expect(found.allSatisfy { ($0.location?.line ?? 0) > 0 })
    }

    // MARK: - Kubernetes/Talos compatibility (checkSupportedK8sVersion)

    @Test(arguments: [
        ("v1.3.1", "v1.31.1", "version of Kubernetes 1.31.1 is too new to be used with Talos 1.3.1"),
        ("v1.11.2", "1.28.9", "version of Kubernetes 1.28.9 is too old to be used with Talos 1.11.2"),
        ("v1.12.0", "v1.35.99", "version of Kubernetes 1.35.99 is too new to be used with Talos 1.12.0"),
        ("v1.14.0-rc.1", "v1.38.0", "version of Kubernetes 1.38.0 is too new to be used with Talos 1.14.0-rc.1"),
        ("v1.15.0", "v1.32.5", "version of Kubernetes 1.32.5 is too old to be used with Talos 1.15.0"),
    ])
    func kubernetesVersionOutsideTheMatrix(talos: String, kubernetes: String, message: String) throws {
        let found = try Self.errors(Self.config(talos: talos, kubernetes: kubernetes))
        #expect(found == ["talconfig.yaml:3:20: error: kubernetesVersion: \(message)"])
    }

    @Test(arguments: [("v1.3.1", "1.24.0"), ("v1.3.1", "v1.26.98"), ("v1.12.0", "v1.35.98"), ("v1.13.0", "1.36.0-rc.0"),
                      ("v1.15.0", "v1.38.2"), ("v1.10.7", "1.33")])
    func kubernetesVersionInsideTheMatrix(talos: String, kubernetes: String) throws {
        #expect(try Self.errors(Self.config(talos: talos, kubernetes: kubernetes)).isEmpty)
    }

    /// A patch release newer than the catalogue knows is a warning (talhelper: "might not be compatible").
    @Test func unreleasedPatchIsAWarning() throws {
        let found = try Self.check(Self.config(talos: "v1.11.99"))
        #expect(found.map(\.description) == ["talconfig.yaml:2:15: warning: talosVersion: \"v1.11.99\" might not be compatible with this talos-batch version (the newest v1.11 release its extension catalogue knows is v1.11.6)"])
        #expect(try Self.check(Self.config(talos: "v1.11.6")).isEmpty)
        #expect(try Self.check(Self.config(talos: "v1.14.0-rc.1", kubernetes: "v1.35.0")).isEmpty)
    }

    /// Without `talosVersion`, talhelper checks against its default release (v1.13.9).
    @Test func kubernetesVersionWithoutTalosVersionUsesTheDefaultRelease() throws {
        let text = Self.config(kubernetes: "v1.30.4").replacingOccurrences(of: "talosVersion: v1.11.2\n", with: "")
        #expect(try Self.errors(text) == ["talconfig.yaml:2:20: error: kubernetesVersion: version of Kubernetes 1.30.4 is too old to be used with Talos 1.13.9"])
        #expect(KubernetesCompatibility.problem(kubernetes: "1.x", talos: "v1.11.0") == "\"1.x\" is not a valid Kubernetes version")
    }

    // MARK: - Official extensions and overlays (checkNodeSchematic)

    static func schematic(_ extensions: [String], indent: String = "    ") -> String {
        "\(indent)schematic:\n\(indent)  customization:\n\(indent)    systemExtensions:\n\(indent)      officialExtensions:\n"
            + extensions.map { "\(indent)        - \($0)\n" }.joined()
    }

    @Test func unknownExtensionNamesTheClosestKnownName() throws {
        let found = try Self.errors(Self.config(node: Self.schematic(["siderolabs/iscsi-tools", "siderolabs/iscsi-tool"])))
        #expect(found == ["talconfig.yaml:15:15: error: nodes[0].schematic: \"siderolabs/iscsi-tool\" is not a supported Talos extension for \"v1.11.2\" (did you mean \"siderolabs/iscsi-tools\"?)"])
    }

    @Test func extensionOutsideItsReleasesSaysWhichReleasesShipIt() throws {
        let found = try Self.errors(Self.config(talos: "v1.8.0", kubernetes: "v1.31.0", node: Self.schematic(["siderolabs/nvidia-container-toolkit"])))
        #expect(found == ["talconfig.yaml:14:15: error: nodes[0].schematic: \"siderolabs/nvidia-container-toolkit\" is not a supported Talos extension for \"v1.8.0\" (it ships with Talos v1.2 to v1.7)"])
        #expect(try Self.errors(Self.config(talos: "v1.7.4", kubernetes: "v1.30.0", node: Self.schematic(["siderolabs/nvidia-container-toolkit"]))).isEmpty)
    }

    /// talhelper checks only against the official Image Factory, and not for `noSchematicValidate` nodes
    /// (the group's flag applies to its nodes).
    @Test func catalogueIsSkippedForOtherFactoriesAndNoSchematicValidate() throws {
        let bad = Self.schematic(["siderolabs/not-an-extension"])
        #expect(try Self.errors(Self.config(top: "imageFactory:\n  registryURL: factory.example", node: bad)).isEmpty)
        #expect(try Self.errors(Self.config(node: bad + "    noSchematicValidate: true\n")).isEmpty)
        #expect(try Self.errors(Self.config(top: "worker:\n  noSchematicValidate: true", node: bad)).isEmpty)
        #expect(try Self.errors(Self.config(top: "controlPlane:\n  noSchematicValidate: true", node: bad)).count == 1)
    }

    @Test func groupSchematicIsChecked() throws {
        let found = try Self.errors(Self.config(top: "worker:\n" + Self.schematic(["siderolabs/zfz"], indent: "  ")))
        #expect(found == ["talconfig.yaml:10:13: error: worker.schematic: \"siderolabs/zfz\" is not a supported Talos extension for \"v1.11.2\" (did you mean \"siderolabs/zfs\"?)"])
    }

    @Test func overlaysAreCheckedByNameImageAndRelease() throws {
        func overlay(_ name: String, _ image: String) -> String { "    schematic:\n      overlay:\n        name: \(name)\n        image: \(image)\n" }
        #expect(try Self.errors(Self.config(node: overlay("rpi_generic", "siderolabs/sbc-raspberrypi"))).isEmpty)
        #expect(try Self.errors(Self.config(node: overlay("rpi_generic", "siderolabs/sbc-rockchip")))
            == ["talconfig.yaml:12:15: error: nodes[0].schematic: rpi_generic (siderolabs/sbc-rockchip) is not a supported Talos overlay for \"v1.11.2\""])
        #expect(try Self.errors(Self.config(talos: "v1.11.2", node: overlay("rpi_5", "siderolabs/sbc-raspberrypi"))).count == 1)
        #expect(try Self.errors(Self.config(talos: "v1.12.0", kubernetes: "v1.34.0", node: overlay("rpi_5", "siderolabs/sbc-raspberrypi"))).isEmpty)
    }

    @Test func catalogueFacts() {
        #expect(OfficialExtensionCatalogue.isOfficialExtension("siderolabs/iscsi-tools", minor: 4))
        #expect(!OfficialExtensionCatalogue.isOfficialExtension("siderolabs/iscsi-tools", minor: 3))
        #expect(OfficialExtensionCatalogue.isOfficialExtension("siderolabs/iscsi-tools", minor: 15))
        #expect(!OfficialExtensionCatalogue.isOfficialExtension("siderolabs/i915", minor: 8))
        #expect(OfficialExtensionCatalogue.isOfficialExtension("siderolabs/i915", minor: 9))
        #expect(OfficialExtensionCatalogue.extensionNames(minor: 14).count > 60)
        #expect(EditDistance.between("kitten", "sitting") == 3)
    }

    // MARK: - Network devices (checkNodeNetworkInterfaces → Talos's ValidateNetworkDevices)

    static func interfaces(_ block: String) -> String { "    networkInterfaces:\n" + block }

    @Test(arguments: [
        ("      - interface: eth0\n        cidr: 10.0.0.2/24\n        addresses: [10.0.0.3/24]\n",
         ["12:15: error: nodes[0].networkInterfaces: [networking.os.device] \"eth0\": interface can't have both .cidr and .addresses set",
          "12:15: error: nodes[0].networkInterfaces: \"eth0\": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses"]),
        ("      - interface: eth0\n        addresses: [10.0.0.300/24, fe80::1]\n",
         ["12:21: error: nodes[0].networkInterfaces: [networking.os.device.addresses] \"eth0\": invalid CIDR address: 10.0.0.300/24"]),
        ("      - interface: eth0\n        vip:\n          ip: 10.0.0.x\n",
         ["13:15: error: nodes[0].networkInterfaces: [networking.os.device.vip] failed to parse \"10.0.0.x\" as IP address"]),
        ("      - interface: eth0\n        routes:\n          - metric: 1024\n          - network: 10.0.0.0/8\n            source: 10.0.0.z\n",
         ["13:13: error: nodes[0].networkInterfaces: [networking.os.device.route[0]]: either network or gateway should be set",
          "15:21: error: nodes[0].networkInterfaces: [networking.os.device.route[1].source] \"10.0.0.z\": invalid network address"]),
        ("      - interface: bond0\n        bond:\n          mode: 802.3ad\n          interfaces: [eth0]\n          primary: eth0\n          miimon: 100\n          updelay: 150\n          lacpRate: medium\n",
         ["18:21: error: nodes[0].networkInterfaces: invalid lacp rate medium",
          "17:20: error: nodes[0].networkInterfaces: bond.upDelay should be a multiple of miiMon",
          "15:20: error: nodes[0].networkInterfaces: bond.primary is not available in 802.3ad mode"]),
        ("      - interface: bond0\n        bond:\n          mode: balance-xxx\n          interfaces: [eth0]\n      - interface: eth0\n        dhcp: true\n",
         ["13:17: error: nodes[0].networkInterfaces: invalid bond type balance-xxx",
          "15:9: error: nodes[0].networkInterfaces: [networking.os.device] \"eth0\": bonded/bridged interface shouldn't have any addressing methods configured"]),
        ("      - interface: bond0\n        bond:\n          interfaces: [eth0]\n      - interface: br0\n        bridge:\n          interfaces: [eth0]\n",
         ["16:24: error: nodes[0].networkInterfaces: interface \"eth0\" is declared as part of an interface and a bond: \"bond0\" and \"br0\""]),
        ("      - interface: wg0\n        wireguard:\n          privateKey: c2hvcnQ=\n          peers:\n            - publicKey: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n              endpoint: 10.0.0.1\n              allowedIPs: [10.1.0.0/33]\n",
         ["13:23: error: nodes[0].networkInterfaces: private key is invalid: wrong key \"c2hvcnQ=\" length: 5",
          "16:25: error: nodes[0].networkInterfaces: peer endpoint \"10.0.0.1\" is invalid",
          "17:28: error: nodes[0].networkInterfaces: peer allowed IP \"10.1.0.0/33\" is invalid: invalid CIDR address: 10.1.0.0/33"]),
        ("      - interface: eth0\n        vlans:\n          - vlanId: 10\n            cidr: 10.0.0.1/24\n            addresses: [10.0.0.2/24]\n",
         ["14:19: error: nodes[0].networkInterfaces: [networking.os.device.vlan] eth0.10: vlan can't have both .cidr and .addresses set"]),
        ("      - interface: eth0\n        ignore: true\n        addresses: [not-an-address]\n", [String]()),
    ])
    func networkDeviceRules(block: String, expected: [String]) throws {
        let found = try Self.errors(Self.config(node: Self.interfaces(block)))
        #expect(found == expected.map { "talconfig.yaml:" + $0 })
    }

    // MARK: - Cluster-level rules

    @Test func cniRulesAreTalossValidateCNI() throws {
        #expect(try Self.errors(Self.config(top: "cniConfig:\n  name: custom"))
            == ["talconfig.yaml:6:3: error: cniConfig: \"urls\" field should not be empty for \"custom\" CNI"])
        #expect(try Self.errors(Self.config(top: "cniConfig:\n  name: none\n  flannel:\n    extraArgs: [--x]"))
            == ["talconfig.yaml:8:16: error: cniConfig: \"flanneldExtraArgs\" field should be empty for \"none\" CNI"])
        #expect(try Self.errors(Self.config(top: "cniConfig:\n  name: flannel\n  urls: [https://x/y.yaml]"))
            == ["talconfig.yaml:7:9: error: cniConfig: \"urls\" field should be empty for \"flannel\" CNI"])
        #expect(try Self.errors(Self.config(top: "cniConfig:\n  name: custom\n  urls: [https://x/y.yaml]")).isEmpty)
    }

    @Test func inlineManifestNamesAreRequiredAndUnique() throws {
        let found = try Self.errors(Self.config(top: "inlineManifests:\n  - name: a\n    contents: x\n  - name: a\n    contents: y\n  - name: \" \"\n    contents: z"))
        #expect(found == [
            "talconfig.yaml:8:11: error: inlineManifests: inline manifest name \"a\" is duplicate",
            "talconfig.yaml:10:11: error: inlineManifests: inline manifest name can't be empty",
        ])
    }

    // MARK: - Node rules

    @Test func installDiskSelectorAsTalosBuildsItsExpression() throws {
        let text = Self.config().replacingOccurrences(of: "installDisk: /dev/sda", with: "installDiskSelector:\n      name: sda\n      type: usb")
        #expect(try Self.errors(text) == [
            "talconfig.yaml:10:13: error: nodes[0].installDiskSelector: selector on name is not supported",
            "talconfig.yaml:11:13: error: nodes[0].installDiskSelector: unsupported disk type \"usb\"",
        ])
        #expect(try Self.errors(Self.config().replacingOccurrences(of: "installDisk: /dev/sda", with: "installDiskSelector:\n      type: nvme")).isEmpty)
    }

    @Test func nameserversMustBeIPAddresses() throws {
        #expect(try Self.errors(Self.config(node: "    nameservers: [1.1.1.1, dns.example]\n"))
            == ["talconfig.yaml:10:28: error: nodes[0].nameservers: [\"1.1.1.1\" \"dns.example\"] is not a valid list of IP addresses"])
    }

    @Test func machineDisksWarnAndOnlyTheLastPartitionFillsTheDisk() throws {
        let found = try Self.check(Self.config(node: "    machineDisks:\n      - device: /dev/sdb\n        partitions:\n          - mountpoint: /var/a\n          - mountpoint: /var/b\n            size: 10GB\n"))
        #expect(found.map(\.description) == [
            "talconfig.yaml:11:7: warning: nodes[0].machineDisks: `machineDisks` is deprecated, please use `userVolumes` instead",
            "talconfig.yaml:13:13: error: nodes[0].machineDisks: partition \"/var/a\" for disk \"/dev/sdb\" is set to occupy full disk, but it's not the last partition in the list",
        ])
    }

    @Test func firewallPortRangesMustNotOverlap() throws {
        let firewall = "    ingressFirewall:\n      defaultAction: block\n      rules:\n        - name: r\n          portSelector:\n            protocol: tcp\n            ports: [80, 70-90]\n"
        #expect(try Self.errors(Self.config(node: firewall))
            == ["talconfig.yaml:16:20: error: nodes[0].ingressFirewall: rules[0]: \"invalid port range: 80-80, overlaps with 70-90\""])
        #expect(try Self.errors(Self.config(node: firewall.replacingOccurrences(of: "70-90", with: "443"))).isEmpty)
    }

    @Test(arguments: [
        ("ghcr.io/siderolabs/installer", nil),
        ("registry.example:5000/talos/installer", nil),
        ("localhost/installer", nil),
        ("siderolabs/installer", "repository name must be canonical"),
        ("docker.io/installer", "repository name must be canonical"),
        ("ghcr.io/siderolabs/installer:v1.11.5", "should not contains version or digest"),
        ("ghcr.io/siderolabs/installer@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "should not contains version or digest"),
        ("ghcr.io/SideroLabs/installer", "invalid reference format: repository name must be lowercase"),
        ("ghcr.io/siderolabs/inst aller", "invalid reference format"),
    ] as [(String, String?)])
    func talosImageURLIsACanonicalNameOnly(reference: String, problem: String?) {
        #expect(TalhelperValidator.imageNameProblem(reference) == problem)
    }

    /// Talos's labels package's own cases (pkg/machinery/labels/validate_test.go): the same problems, worded the same.
    @Test func labelsAnnotationsAndTaintsAsTalosValidatesThem() {
        let long = String(repeating: "a", count: 64)
        let labels = [("345@.345/label", "value"), ("foo_", "bar"), ("/foo", "bar"), ("a/b/c", "bar"),
                      ("kubernetes.io/hostname", "hostname1_"), (long, "x"), ("bar", long), ("talos.dev/label", "value")]
        #expect(labels.compactMap { TalhelperValidator.labelProblem($0.0, $0.1) } == [
            "prefix \"345@.345\" is invalid: domain doesn't match required format: \"345@.345\"",
            "name \"foo_\" is invalid",
            "prefix cannot be empty: \"/foo\"",
            "invalid format: too many slashes: \"a/b/c\"",
            "label value \"hostname1_\" is invalid",
            "name is too long: \"\(long)\" (limit is 63)",
            "label value length exceeds limit of 63: \"\(long)\"",
        ])
        #expect(TalhelperValidator.annotationProblem("talos.dev/owned-annotations", "x") == "annotation \"talos.dev/owned-annotations\" is reserved")
        #expect(TalhelperValidator.annotationProblem("talos.dev/ann1", "sha256:e3b0") == nil)
        let taints = [(long, "bar"), ("bar", long), ("foo", "bar:NoExecute:NoSchedule"), ("loo", "bar:"), ("zoo", "bar:NoExocute"),
                      ("koo", "key"), ("foor", "bar:NoExecute"), ("doo", "NoExecute")]
        #expect(taints.compactMap { TalhelperValidator.taintProblem($0.0, $0.1) } == [
            "name is too long: \"\(long)\" (limit is 63)",
            "invalid taint effect: \"\(long)\"",
            "invalid taint effect: \"NoExecute:NoSchedule\"",
            "invalid taint effect: \"\"",
            "invalid taint effect: \"NoExocute\"",
            "invalid taint effect: \"key\"",
        ])
    }

    // MARK: - Referenced files

    @Test func missingAtFilesAndExtraManifestsAreErrorsAtTheirReference() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "machine: {}\n".write(to: directory.url.appendingPathComponent("present.yaml"), atomically: true, encoding: .utf8)
        let text = Self.config(top: "patches:\n  - \"@present.yaml\"\n  - \"@./missing.yaml\"\nworker:\n  extraManifests: [absent.yaml]",
                               node: "    extraManifests:\n      - present.yaml\n      - \"@gone.yaml\"\n    patches:\n      - \"@nope/x.yaml\"\n      - |-\n        machine: {}\n")
        let found = try Self.check(text, baseDirectory: directory.url)
        let messages = Set(found.filter { $0.severity == .error }.map(\.description))
        #expect(messages == [
            "talconfig.yaml:7:5: error: patches[1]: \"stat ./missing.yaml: no such file or directory\"",
            "talconfig.yaml:9:20: error: worker.extraManifests[0]: \"stat absent.yaml: no such file or directory\"",
            "talconfig.yaml:18:9: error: nodes[0].patches[0]: \"stat nope/x.yaml: no such file or directory\"",
            "talconfig.yaml:16:9: error: nodes[0].extraManifests[1]: \"stat gone.yaml: no such file or directory\"",
        ])
        #expect(found.contains { $0.severity == .warning && $0.message.hasPrefix("nodes[0].extraManifests: `extraManifests` is deprecated") })
        // Without a folder (a caller that supplies the files' bytes itself) nothing is looked up.
        #expect(try Self.errors(text).isEmpty)
    }
}
