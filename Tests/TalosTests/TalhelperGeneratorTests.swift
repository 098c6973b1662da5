import Diagnostics
import Foundation
import Testing
@testable import Talos
import TestSupport
import YAML

@Suite struct TalhelperGeneratorTests {
    static func generate(_ text: String) throws -> [String: String] {
        let (config, _) = try TalhelperFixtures.load(text)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        return Dictionary(uniqueKeysWithValues: files.map { ($0.name, String(decoding: $0.contents, as: UTF8.self)) })
    }

    static func documents(_ text: String) throws -> [YAMLNode] {
        try YAML.parseStream(text, file: "out.yaml")
    }

    @Test func writesOneFilePerNodeAndGitignore() throws {
        let (config, warnings) = try TalhelperFixtures.load(TalhelperFixtures.talconfig())
        #expect(warnings.isEmpty)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        #expect(files.map(\.name) == ["home-cp1.yaml", "home-w1.yaml", ".gitignore"])
        #expect(files[0].mode == 0o600 && files[1].mode == 0o600)
        #expect(String(decoding: files[2].contents, as: UTF8.self) == "home-cp1.yaml\nhome-w1.yaml\ntalosconfig\n")
    }

    @Test func isDeterministic() throws {
        #expect(try Self.generate(TalhelperFixtures.talconfig()) == Self.generate(TalhelperFixtures.talconfig()))
    }

    @Test func groupDefaultsMergeAsTalhelperDoes() throws {
        let out = try Self.generate(TalhelperFixtures.talconfig())
        let cp = try #require(try Self.documents(out["home-cp1.yaml"]!).first)
        // certSANs: node first, then group.
        #expect(cp["machine"]?["certSANs"]?.sequenceItems?.compactMap(\.scalar?.text) == ["cp1.home.arpa", "cp.home.arpa"])
        // Group patch (sysctls) then node patch (JSON patch on kubelet).
        #expect(cp["machine"]?["sysctls"]?["net.core.somaxconn"]?.scalar?.text == "65535")
        #expect(cp["machine"]?["kubelet"]?["extraArgs"]?["rotate-server-certificates"]?.scalar?.text == "true")
        // nodeLabels replace the generator's label, taken from the group.
        #expect(cp["machine"]?["nodeLabels"]?.mappingPairs?.map(\.key.scalar!.text) == ["role"])
        let worker = try #require(try Self.documents(out["home-w1.yaml"]!).first)
        #expect(worker["machine"]?["nodeTaints"]?["dedicated"]?.scalar?.text == "gpu:NoSchedule")
        #expect(worker["machine"]?["sysctls"] == nil)
    }

    @Test func nodeValueWinsOverGroupAndOverrideFlagsReplace() throws {
        let text = TalhelperFixtures.talconfig(extraNode: """
              - hostname: cp2
                ipAddress: 10.0.0.12
                controlPlane: true
                installDisk: /dev/nvme0n1
                overridePatches: true
                overrideMachineCertSANs: true
                certSANs: [only.cp2]
                patches:
                  - |-
                    machine:
                      sysctls:
                        a: b
                nodeLabels:
                  role: special
            """)
        let out = try Self.generate(text)
        let cp2 = try #require(try Self.documents(out["home-cp2.yaml"]!).first)
        #expect(cp2["machine"]?["certSANs"]?.sequenceItems?.compactMap(\.scalar?.text) == ["only.cp2"])
        #expect(cp2["machine"]?["sysctls"]?["a"]?.scalar?.text == "b")
        #expect(cp2["machine"]?["sysctls"]?["net.core.somaxconn"] == nil)
        #expect(cp2["machine"]?["nodeLabels"]?["role"]?.scalar?.text == "special")
    }

    @Test func installerImages() throws {
        let (config, _) = try TalhelperFixtures.load(TalhelperFixtures.talconfig(extraNode: """
              - hostname: custom
                ipAddress: 10.0.0.30
                installDisk: /dev/sda
                talosImageURL: registry.example/installer
              - hostname: sb
                ipAddress: 10.0.0.31
                installDisk: /dev/sda
                machineSpec:
                  mode: metal
                  secureboot: true
                schematic:
                  customization: {}
            """))
        let byName = Dictionary(uniqueKeysWithValues: config.nodes.map { ($0.hostname, $0) })
        // No schematic: the empty schematic's factory installer, as talhelper gives it.
        #expect(try TalhelperGenerator.installerURL(byName["cp1"]!, in: config)
            == "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.11.6")
        let id = try SchematicID.compute(config.nodes.first { $0.hostname == "w1" }!.settings.schematic!)
        #expect(try TalhelperGenerator.installerURL(byName["w1"]!, in: config) == "factory.talos.dev/metal-installer/\(id):v1.11.6")
        #expect(try TalhelperGenerator.installerURL(byName["custom"]!, in: config) == "registry.example/installer:v1.11.6")
        #expect(try TalhelperGenerator.installerURL(byName["sb"]!, in: config)
            == "factory.talos.dev/metal-installer-secureboot/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.11.6")
    }

    @Test func v1_12UsesHostnameAndResolverDocuments() throws {
        let text = TalhelperFixtures.talconfig(talosVersion: "v1.12.1", nodePatch: false)
        let out = try Self.generate(text)
        let docs = try Self.documents(out["home-cp1.yaml"]!)
        let kinds = docs.map { $0.string("kind") ?? "v1alpha1" }
        #expect(kinds == ["v1alpha1", "HostnameConfig", "ResolverConfig", "LinkConfig"])
        #expect(out["home-cp1.yaml"]!.hasSuffix("""
            ---
            apiVersion: v1alpha1
            kind: LinkConfig
            name: eth0
            addresses:
              - address: 10.0.0.11/24
            routes:
              - gateway: 10.0.0.1

            """))
        #expect(docs[1].string("hostname") == "cp1" && docs[1].string("auto") == "off")
        #expect(docs[2]["nameservers"]?.sequenceItems?.first?.string("address") == "1.1.1.1")
        #expect(docs[0]["machine"]?["network"]?["hostname"] == nil)
    }

    @Test func v1_12InterfacesBecomeNetworkDocuments() throws {
        let interfaces = try YAML.parseDocument("""
            - interface: eth0
              dhcp: true
              dhcpOptions:
                routeMetric: 100
              vip:
                ip: 10.0.0.9
              mtu: 9000
              vlans:
                - vlanId: 20
                  addresses: [10.20.0.2/24]
                  dhcp: true
            """, file: "i.yaml")
        let docs = try NetworkDocuments.documents(for: interfaces)
        #expect(docs.map { "\($0.string("kind")!) \($0.string("name")!)" }
            == ["DHCPv4Config eth0", "Layer2VIPConfig 10.0.0.9", "LinkConfig eth0", "VLANConfig eth0.20", "DHCPv4Config eth0.20"])
        #expect(docs[0].string("routeMetric") == "100")
        #expect(docs[3].string("parent") == "eth0" && docs[3].string("vlanID") == "20")
    }

    static let advancedInterfaces = """
        - deviceSelector:
            hardwareAddr: "00:11:*"
            driver: mlx5_core
          dhcp: true
        - interface: bond0
          bond:
            mode: 802.3ad
            lacpRate: fast
            miimon: 100
            xmitHashPolicy: not-a-policy
            deviceSelectors:
              - busPath: "0000:01:00.*"
              - physical: true
          addresses: [10.9.0.2/24]
        - interface: br0
          bridge:
            interfaces: [eth3]
            stp:
              enabled: true
          mtu: 1500
        - interface: wg0
          wireguard:
            privateKey: cHJpdmF0ZQ==
            listenPort: 51820
            peers:
              - publicKey: cHVibGlj
                endpoint: 192.0.2.1:51820
                allowedIPs: [10.10.0.0/16, bogus]
          addresses: [10.10.0.1/32]
        """

    @Test func v1_12BondsBridgesWireguardAndSelectors() throws {
        let docs = try NetworkDocuments.documents(for: YAML.parseDocument(Self.advancedInterfaces, file: "i.yaml"))
        #expect(docs.map { "\($0.string("kind")!) \($0.string("name")!)" } == [
            "LinkAliasConfig ethSel0", "LinkAliasConfig bond0-m0", "LinkAliasConfig bond0-m1", "BondConfig bond0",
            "DHCPv4Config ethSel0", "WireguardConfig wg0", "BridgeConfig br0",
        ])
        #expect(docs[0]["selector"]?.string("match") == #"glob("00:11:*", mac(link.hardware_addr)) && glob("mlx5_core", link.driver)"#)
        #expect(docs[2]["selector"]?.string("match") == "link.type == 1")
        let bond = docs[3]
        #expect(bond["links"]?.sequenceItems?.compactMap(\.scalar?.text) == ["bond0-m0", "bond0-m1"])
        #expect(bond.string("bondMode") == "802.3ad" && bond.string("lacpRate") == "fast" && bond.string("miimon") == "100")
        #expect(bond["xmitHashPolicy"] == nil)
        #expect(docs[5]["peers"]?.sequenceItems?.first?["allowedIPs"]?.sequenceItems?.count == 1)
        #expect(docs[6]["stp"]?.string("enabled") == "true" && docs[6].string("mtu") == "1500")
    }

    @Test func jsonPatchOnMultiDocumentConfigFailsAsInTalos() throws {
        let text = TalhelperFixtures.talconfig(talosVersion: "v1.12.1")
        #expect(throws: Diagnostic.self) { try Self.generate(text) }
    }

    @Test func patchFromFileIsSubstituted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "machine:\n  sysctls:\n    vm.nr_hugepages: \"${PAGES}\"\n".write(to: directory.url.appendingPathComponent("p.yaml"),
                                                                           atomically: true, encoding: .utf8)
        let text = TalhelperFixtures.talconfig(extraTop: "patches:\n  - \"@p.yaml\"")
        let (config, _) = try TalhelperConfig.load(Array(text.utf8), file: "talconfig.yaml", environment: ["PAGES": "128"],
                                                   strict: false, baseDirectory: directory.url)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let doc = try #require(try Self.documents(String(decoding: files[1].contents, as: UTF8.self)).first)
        #expect(doc["machine"]?["sysctls"]?["vm.nr_hugepages"]?.scalar?.text == "128")
    }

    @Test func fileContentsAreReadAndSubstituted() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "kind: Namespace\nname: ${NS}\n".write(to: directory.url.appendingPathComponent("ns.yaml"), atomically: true, encoding: .utf8)
        try "keep ${RAW}\n".write(to: directory.url.appendingPathComponent("raw.txt"), atomically: true, encoding: .utf8)
        let text = TalhelperFixtures.talconfig(extraTop: """
            inlineManifests:
              - name: ns
                contents: "@ns.yaml"
            """).replacingOccurrences(of: "worker:\n", with: """
            worker:
              machineFiles:
                - path: /var/etc/raw.txt
                  permissions: 0o644
                  op: create
                  content: "@raw.txt"
                  skipEnvsubst: true

            """)
        let (config, _) = try TalhelperConfig.load(Array(text.utf8), file: "talconfig.yaml", environment: ["NS": "apps"],
                                                   strict: false, baseDirectory: directory.url)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let worker = try #require(try Self.documents(String(decoding: files[1].contents, as: UTF8.self)).first)
        #expect(worker["cluster"]?["inlineManifests"]?.sequenceItems?.first?.string("contents") == "kind: Namespace\nname: apps\n")
        let file = try #require(worker["machine"]?["files"]?.sequenceItems?.first)
        #expect(file.string("content") == "keep ${RAW}\n")
        #expect(file["skipEnvsubst"] == nil)
    }

    @Test func referencedFilesListsEveryAtFile() throws {
        let text = TalhelperFixtures.talconfig(extraTop: "patches:\n  - \"@all.yaml\"\n  - \"@all.yaml\"", extraNode: """
              - hostname: w2
                ipAddress: 10.0.0.40
                installDisk: /dev/sda
                patches:
                  - "@w2.yaml"
                machineFiles:
                  - path: /var/x
                    permissions: 0o600
                    op: create
                    content: "@x.txt"
            """)
        let (config, _) = try TalhelperConfig.load(Array(text.utf8), file: "talconfig.yaml", environment: [:], strict: false,
                                                   baseDirectory: URL(fileURLWithPath: "/project"), checksFiles: false)
        #expect(config.referencedFiles.map(\.path) == ["/project/all.yaml", "/project/w2.yaml", "/project/x.txt"])
    }

    @Test func extraManifestsAreAppendedAsWritten() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "apiVersion: v1alpha1\nkind: KmsgLogConfig\nname: remote\nurl: 'udp://10.0.0.1:6001'\n"
            .write(to: directory.url.appendingPathComponent("kmsg.yaml"), atomically: true, encoding: .utf8)
        let text = TalhelperFixtures.talconfig().replacingOccurrences(of: "worker:\n", with: "worker:\n  extraManifests:\n    - \"@kmsg.yaml\"\n")
        let (config, _) = try TalhelperConfig.load(Array(text.utf8), file: "talconfig.yaml", environment: [:], strict: false,
                                                   baseDirectory: directory.url)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let worker = String(decoding: files[1].contents, as: UTF8.self)
        #expect(worker.hasSuffix("---\napiVersion: v1alpha1\nkind: KmsgLogConfig\nname: remote\nurl: 'udp://10.0.0.1:6001'\n"))
        #expect(!String(decoding: files[0].contents, as: UTF8.self).contains("KmsgLogConfig"))
    }
}
