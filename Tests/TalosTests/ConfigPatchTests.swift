import Diagnostics
import Testing
@testable import Talos
import YAML

/// Strategic merge, `$patch: delete` and RFC 6902 as Talos applies them.
@Suite struct ConfigPatchTests {
    static func base(_ version: String = "v1.11") throws -> MachineConfig {
        var options = GeneratorOptions()
        options.additionalSANs = ["a.example"]
        options.installExtraKernelArgs = ["console=ttyS0"]
        return try ConfigGenerator(clusterName: "c", endpoint: "https://c:6443", kubernetesVersion: "1.31.0",
                                   secrets: TestSecrets.generated(), contract: TalosVersionContract.parse(version),
                                   options: options).generate(.controlplane)
    }

    static func patched(_ patches: String..., version: String = "v1.11") throws -> YAMLNode {
        var config = try base(version)
        for patch in patches { try config.apply(ConfigPatch.parse(patch, file: "patch.yaml")) }
        return config.documents[0]
    }

    static func texts(_ node: YAMLNode?) -> [String] { node?.sequenceItems?.compactMap(\.scalar?.text) ?? [] }

    @Test func listsAppend() throws {
        let doc = try Self.patched("machine:\n  certSANs: [b.example]\n  install:\n    extraKernelArgs: [quiet]\n")
        #expect(Self.texts(doc["machine"]?["certSANs"]) == ["a.example", "b.example"])
        #expect(Self.texts(doc["machine"]?["install"]?["extraKernelArgs"]) == ["console=ttyS0", "quiet"])
    }

    @Test func replaceListsAreReplaced() throws {
        let doc = try Self.patched("cluster:\n  network:\n    podSubnets: [10.1.0.0/16]\n    serviceSubnets: [10.2.0.0/16]\n")
        #expect(Self.texts(doc["cluster"]?["network"]?["podSubnets"]) == ["10.1.0.0/16"])
        #expect(Self.texts(doc["cluster"]?["network"]?["serviceSubnets"]) == ["10.2.0.0/16"])
    }

    @Test func auditPolicyIsReplacedWhole() throws {
        let doc = try Self.patched("cluster:\n  apiServer:\n    auditPolicy:\n      apiVersion: audit.k8s.io/v1\n      kind: Policy\n      rules:\n        - level: None\n")
        let rules = doc["cluster"]?["apiServer"]?["auditPolicy"]?["rules"]?.sequenceItems ?? []
        #expect(rules.count == 1 && rules[0].string("level") == "None")
    }

    @Test func mapsMergeKeyByKeyAndScalarsOverwrite() throws {
        let doc = try Self.patched("machine:\n  kubelet:\n    image: example/kubelet:v1\n  nodeLabels:\n    zone: a\n")
        #expect(doc["machine"]?["kubelet"]?.string("image") == "example/kubelet:v1")
        #expect(doc["machine"]?["kubelet"]?["defaultRuntimeSeccompProfileEnabled"] != nil)
        let labels = doc["machine"]?["nodeLabels"]?.mappingPairs?.map(\.key.scalar!.text)
        #expect(labels == ["node.kubernetes.io/exclude-from-external-load-balancers", "zone"])
    }

    @Test func networkInterfacesMergeByName() throws {
        let doc = try Self.patched(
            "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        addresses: [10.0.0.2/24]\n        vlans:\n          - vlanId: 10\n            mtu: 1500\n",
            "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        mtu: 9000\n        vlans:\n          - vlanId: 10\n            dhcp: true\n          - vlanId: 20\n      - interface: eth1\n        dhcp: true\n")
        let interfaces = doc["machine"]?["network"]?["interfaces"]?.sequenceItems ?? []
        #expect(interfaces.map { $0.string("interface") } == ["eth0", "eth1"])
        #expect(interfaces[0].string("mtu") == "9000")
        #expect(Self.texts(interfaces[0]["addresses"]) == ["10.0.0.2/24"])
        let vlans = interfaces[0]["vlans"]?.sequenceItems ?? []
        #expect(vlans.map { $0.string("vlanId") } == ["10", "20"])
        #expect(vlans[0].string("mtu") == "1500" && vlans[0].string("dhcp") == "true")
    }

    @Test func admissionPluginsMergeByName() throws {
        let doc = try Self.patched("cluster:\n  apiServer:\n    admissionControl:\n      - name: PodSecurity\n        configuration:\n          defaults:\n            enforce: restricted\n")
        let plugins = doc["cluster"]?["apiServer"]?["admissionControl"]?.sequenceItems ?? []
        #expect(plugins.count == 1)
        let defaults = plugins[0]["configuration"]?["defaults"]
        #expect(defaults?.string("enforce") == "restricted")
        #expect(defaults?.string("audit") == "restricted")
    }

    @Test func patchDeleteRemovesKeysAndListItems() throws {
        let doc = try Self.patched(
            "machine:\n  network:\n    interfaces:\n      - interface: eth0\n        dhcp: true\n      - interface: eth1\n        dhcp: true\n",
            "machine:\n  features:\n    kubePrism:\n      $patch: delete\n  network:\n    interfaces:\n      - interface: eth0\n        $patch: delete\n")
        #expect(doc["machine"]?["features"]?["kubePrism"] == nil)
        #expect(doc["machine"]?["network"]?["interfaces"]?.sequenceItems?.map { $0.string("interface") } == ["eth1"])
    }

    @Test func patchDeleteOfMissingPathFails() throws {
        #expect(throws: Diagnostic.self) { try Self.patched("machine:\n  network:\n    hostname:\n      $patch: delete\n") }
    }

    @Test func patchDeleteRemovesADocument() throws {
        var config = try Self.base("v1.12")
        #expect(config.documents.count == 2)
        try config.apply(ConfigPatch.parse("apiVersion: v1alpha1\nkind: HostnameConfig\n$patch: delete\n", file: "p.yaml"))
        #expect(config.documents.count == 1)
    }

    @Test func newDocumentsAreAppended() throws {
        var config = try Self.base("v1.12")
        try config.apply(ConfigPatch.parse("apiVersion: v1alpha1\nkind: RegistryMirrorConfig\nname: docker.io\nendpoints:\n  - url: https://mirror.example\n", file: "p.yaml"))
        #expect(config.documents.map { $0.string("kind") ?? "v1alpha1" } == ["v1alpha1", "HostnameConfig", "RegistryMirrorConfig"])
        try config.apply(ConfigPatch.parse("apiVersion: v1alpha1\nkind: HostnameConfig\nhostname: n1\nauto: off\n", file: "p.yaml"))
        #expect(config.documents[1].string("hostname") == "n1" && config.documents[1].string("auto") == "off")
    }

    @Test func jsonPatchOperations() throws {
        let doc = try Self.patched("""
            - op: add
              path: /machine/certSANs/-
              value: z.example
            - op: replace
              path: /cluster/network/dnsDomain
              value: example.org
            - op: remove
              path: /machine/features/hostDNS
            - op: copy
              from: /cluster/clusterName
              path: /machine/nodeLabels/cluster
            - op: move
              from: /machine/nodeLabels/cluster
              path: /machine/nodeLabels/name
            - op: test
              path: /cluster/network/dnsDomain
              value: example.org
            """)
        #expect(Self.texts(doc["machine"]?["certSANs"]) == ["a.example", "z.example"])
        #expect(doc["cluster"]?["network"]?.string("dnsDomain") == "example.org")
        #expect(doc["machine"]?["features"]?["hostDNS"] == nil)
        #expect(doc["machine"]?["nodeLabels"]?.string("name") == "c")
        #expect(doc["machine"]?["nodeLabels"]?["cluster"] == nil)
    }

    @Test func jsonPatchInJSONSyntax() throws {
        let doc = try Self.patched(#"[{"op": "add", "path": "/machine/sysctls", "value": {"a": "1"}}]"#)
        #expect(doc["machine"]?["sysctls"]?.string("a") == "1")
    }

    @Test func failingJSONPatchTestOperation() throws {
        #expect(throws: Diagnostic.self) {
            try Self.patched("- op: test\n  path: /cluster/clusterName\n  value: other\n")
        }
    }

    @Test func jsonPatchOnMultiDocumentConfigIsRejected() throws {
        #expect(throws: Diagnostic.self) {
            try Self.patched("- op: add\n  path: /machine/certSANs/-\n  value: x\n", version: "v1.12")
        }
    }

    @Test func unknownFieldInPatchHasAPosition() throws {
        do {
            _ = try Self.patched("machine:\n  kubelet:\n    imagee: x\n")
            Issue.record("expected an error")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.location == SourceLocation(file: "patch.yaml", line: 3, column: 5))
            #expect(diagnostic.message.contains("imagee"))
        }
    }

    @Test func wrongTypeInPatchHasAPosition() throws {
        do {
            _ = try Self.patched("machine:\n  install:\n    wipe: \"maybe\"\n")
            Issue.record("expected an error")
        } catch let diagnostic as Diagnostic {
            #expect(diagnostic.location?.line == 3)
            #expect(diagnostic.message.contains("machine.install.wipe"))
        }
    }

    @Test func stringFieldsTakeNumbersAsStrings() throws {
        let doc = try Self.patched("machine:\n  nodeLabels:\n    rack: 12\n")
        #expect(doc["machine"]?["nodeLabels"]?["rack"]?.scalar?.kind == .string)
    }

    @Test func goMapKeyOrder() {
        let keys = ["node10", "node2", "b", "a.b", "ab", "A"]
        #expect(keys.sorted(by: GoMapKeySort.less) == ["A", "a.b", "ab", "b", "node2", "node10"])
    }

    @Test func diskSizesAreWrittenAsTalosWritesThem() throws {
        let doc = try Self.patched("""
            machine:
              disks:
                - device: /dev/sdb
                  partitions:
                    - mountpoint: /var/a
                      size: 100GB
                    - mountpoint: /var/b
                      size: 1.5 TiB
                    - mountpoint: /var/c
                      size: 4096
            """)
        let sizes = doc["machine"]?["disks"]?.sequenceItems?.first?["partitions"]?.sequenceItems?.map { $0["size"]?.scalar }
        #expect(sizes?.map { $0?.text } == ["100 GB", "1649267441664", "4096"])
        #expect(sizes?.map { $0?.kind } == [.string, .int, .int])
        #expect(HumanBytes.format(1_500_000_000) == "1.5 GB")
        #expect(HumanBytes.parse("50GiB") == 53_687_091_200)
    }
}
