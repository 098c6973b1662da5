import Foundation
import Testing
@testable import Talos

/// `talhelper gencommand`'s lines, for every subcommand and selection path of its `pkg/generate/command.go`
/// (talhelper has no tests of its own for them). The expected strings are typed from that code. The talconfig
/// passes talhelper's validator, which gencommand runs first (every node needs an install disk).
@Suite struct TalhelperGenCommandTests {
    static let talconfig = """
        clusterName: home
        endpoint: https://10.0.0.10:6443
        talosVersion: v1.11.5
        kubernetesVersion: v1.34.1
        nodes:
          - hostname: cp1
            ipAddress: 10.0.0.1, 10.0.0.2
            installDisk: /dev/sda
            controlPlane: true
          - hostname: w1
            ipAddress: 10.0.0.3
            installDisk: /dev/sda
          - hostname: w2
            ipAddress: 10.0.0.4
            installDisk: /dev/sda
            talosImageURL: registry.example/installer
          - hostname: cp2
            ipAddress: 10.0.0.5
            installDisk: /dev/sda
            controlPlane: true
            machineSpec:
              mode: nocloud
              secureboot: true
        controlPlane:
          schematic:
            customization:
              extraKernelArgs: [noapic, nolapic]

        """
    static let talosconfig = "--talosconfig=./clusterconfig/talosconfig"
    /// The Image Factory IDs of the control planes' schematic and of the empty one (image-factory's vectors).
    static let kernelArgsID = "9cba8e32753f91a16c1837ab8abf356af021706ef284aef07380780177d9a06c"
    static let emptyID = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba"

    static func lines(_ kind: GenCommandKind, node: String? = nil, extraFlags: [String] = [],
                      talconfig: String = talconfig, outDir: String = "./clusterconfig") throws -> [String] {
        let (config, _) = try TalhelperConfig.load(Array(talconfig.utf8), file: "talconfig.yaml", environment: [:], strict: true)
        return try TalhelperGenCommand.commands(kind, config: config, outDir: outDir, node: node, extraFlags: extraFlags).map(\.line)
    }

    static func error(_ kind: GenCommandKind, node: String?) -> String? {
        do {
            _ = try lines(kind, node: node)
            return nil
        } catch let error as GenCommandError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test func applyPrintsOneLinePerAddressOfEveryNode() throws {
        #expect(try Self.lines(.apply) == [
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.1 --file=./clusterconfig/home-cp1.yaml;",
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.2 --file=./clusterconfig/home-cp1.yaml;",
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.3 --file=./clusterconfig/home-w1.yaml;",
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.4 --file=./clusterconfig/home-w2.yaml;",
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.5 --file=./clusterconfig/home-cp2.yaml;",
        ])
    }

    @Test func applySelectsByAddressOrHostnameAndAppendsExtraFlags() throws {
        #expect(try Self.lines(.apply, node: "10.0.0.2", extraFlags: ["--insecure"]) == [
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.2 --file=./clusterconfig/home-cp1.yaml --insecure;",
        ])
        #expect(try Self.lines(.apply, node: "cp1", extraFlags: ["--mode=staged", "--insecure"]) == [
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.1 --file=./clusterconfig/home-cp1.yaml --mode=staged --insecure;",
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.2 --file=./clusterconfig/home-cp1.yaml --mode=staged --insecure;",
        ])
        #expect(Self.error(.apply, node: "nope") == "node with IP or hostname nope not found")
    }

    @Test func applyUsesTheFilenameTemplate() throws {
        let talconfig = Self.talconfig.replacingOccurrences(of: "  - hostname: w1\n",
                                                            with: "  - hostname: w1\n    filenameTmpl: \"{{ .Role }}-{{.Hostname}}.yaml\"\n")
        #expect(try Self.lines(.apply, node: "w1", talconfig: talconfig) == [
            "talosctl apply-config \(Self.talosconfig) --nodes=10.0.0.3 --file=./clusterconfig/worker-w1.yaml;",
        ])
    }

    @Test func upgradeUsesTheInstallerOfEachNodesSchematic() throws {
        #expect(try Self.lines(.upgrade) == [
            "talosctl upgrade \(Self.talosconfig) --nodes=10.0.0.1 --image=factory.talos.dev/metal-installer/\(Self.kernelArgsID):v1.11.5;",
            "talosctl upgrade \(Self.talosconfig) --nodes=10.0.0.2 --image=factory.talos.dev/metal-installer/\(Self.kernelArgsID):v1.11.5;",
            // No schematic: the factory's installer for the empty schematic (not genconfig's stock ghcr.io image).
            "talosctl upgrade \(Self.talosconfig) --nodes=10.0.0.3 --image=factory.talos.dev/metal-installer/\(Self.emptyID):v1.11.5;",
            "talosctl upgrade \(Self.talosconfig) --nodes=10.0.0.4 --image=registry.example/installer:v1.11.5;",
            "talosctl upgrade \(Self.talosconfig) --nodes=10.0.0.5 --image=factory.talos.dev/nocloud-installer-secureboot/\(Self.kernelArgsID):v1.11.5;",
        ])
        #expect(try Self.lines(.upgrade, node: "w1", extraFlags: ["--preserve"]) == [
            "talosctl upgrade \(Self.talosconfig) --nodes=10.0.0.3 --image=factory.talos.dev/metal-installer/\(Self.emptyID):v1.11.5 --preserve;",
        ])
    }

    @Test func upgradeHonoursTheImageFactoryRegistryAndAVersionWithoutV() throws {
        let talconfig = Self.talconfig.replacingOccurrences(of: "talosVersion: v1.11.5", with: "talosVersion: 1.11.5\nimageFactory:\n  registryURL: factory.example.com")
        #expect(try Self.lines(.upgrade, node: "10.0.0.3", talconfig: talconfig) == [
            "talosctl upgrade \(Self.talosconfig) --nodes=10.0.0.3 --image=factory.example.com/metal-installer/\(Self.emptyID):v1.11.5;",
        ])
    }

    @Test func upgradeK8sRunsOnOneControlPlaneWithExtraFlagsBeforeNodes() throws {
        #expect(try Self.lines(.upgradeK8s) == ["talosctl upgrade-k8s \(Self.talosconfig) --to=v1.34.1 --nodes=10.0.0.1;"])
        #expect(try Self.lines(.upgradeK8s, extraFlags: ["--dry-run"]) == [
            "talosctl upgrade-k8s \(Self.talosconfig) --to=v1.34.1 --dry-run --nodes=10.0.0.1;",
        ])
        #expect(try Self.lines(.upgradeK8s, node: "cp2") == ["talosctl upgrade-k8s \(Self.talosconfig) --to=v1.34.1 --nodes=10.0.0.5;"])
        #expect(try Self.lines(.upgradeK8s, node: "10.0.0.2") == ["talosctl upgrade-k8s \(Self.talosconfig) --to=v1.34.1 --nodes=10.0.0.2;"])
        let noV = Self.talconfig.replacingOccurrences(of: "kubernetesVersion: v1.34.1", with: "kubernetesVersion: 1.34.1")
        #expect(try Self.lines(.upgradeK8s, talconfig: noV) == ["talosctl upgrade-k8s \(Self.talosconfig) --to=v1.34.1 --nodes=10.0.0.1;"])
        #expect(Self.error(.upgradeK8s, node: "w1") == "node with hostname w1 is not a controlplane node")
        #expect(Self.error(.upgradeK8s, node: "10.0.0.3") == "node with IP 10.0.0.3 is not a controlplane node")
        #expect(Self.error(.upgradeK8s, node: "nope") == "node with IP or hostname nope not found")
    }

    @Test func bootstrapAndKubeconfigPickOneControlPlane() throws {
        #expect(try Self.lines(.bootstrap) == ["talosctl bootstrap \(Self.talosconfig) --nodes=10.0.0.1;"])
        #expect(try Self.lines(.bootstrap, node: "cp1", extraFlags: ["--timeout=5m"]) == [
            "talosctl bootstrap \(Self.talosconfig) --timeout=5m --nodes=10.0.0.1;",
        ])
        #expect(try Self.lines(.kubeconfig) == ["talosctl kubeconfig \(Self.talosconfig) --nodes=10.0.0.1;"])
        #expect(try Self.lines(.kubeconfig, node: "10.0.0.5", extraFlags: ["--force"]) == [
            "talosctl kubeconfig \(Self.talosconfig) --force --nodes=10.0.0.5;",
        ])
        #expect(Self.error(.bootstrap, node: "w2") == "node with hostname w2 is not a controlplane node")
        #expect(Self.error(.kubeconfig, node: "10.0.0.4") == "node with IP 10.0.0.4 is not a controlplane node")
    }

    @Test func resetPrintsOneLinePerAddress() throws {
        #expect(try Self.lines(.reset, node: "cp1", extraFlags: ["--graceful=false", "--reboot"]) == [
            "talosctl reset \(Self.talosconfig) --nodes=10.0.0.1 --graceful=false --reboot;",
            "talosctl reset \(Self.talosconfig) --nodes=10.0.0.2 --graceful=false --reboot;",
        ])
        #expect(try Self.lines(.reset).count == 5)
        #expect(Self.error(.reset, node: "10.9.9.9") == "node with IP or hostname 10.9.9.9 not found")
    }

    @Test func healthPassesTheSelectionThroughAsTalhelperDoes() throws {
        #expect(try Self.lines(.health) == ["talosctl health \(Self.talosconfig) --nodes=10.0.0.1;"])
        #expect(try Self.lines(.health, node: "10.0.0.3", extraFlags: ["--wait-timeout=10m"]) == [
            "talosctl health \(Self.talosconfig) --nodes=10.0.0.3 --wait-timeout=10m;",
        ])
        // talhelper writes the hostname itself into --nodes.
        #expect(try Self.lines(.health, node: "w1") == ["talosctl health \(Self.talosconfig) --nodes=w1;"])
        #expect(Self.error(.health, node: "nope") == "node with IP or hostname nope not found")
    }

    @Test func clusterWithoutControlPlaneHasNoBootstrapNode() throws {
        let workersOnly = Self.talconfig.replacingOccurrences(of: "controlPlane: true", with: "controlPlane: false")
        let (config, _) = try TalhelperConfig.load(Array(workersOnly.utf8), file: "t.yaml", environment: [:], strict: true)
        #expect(throws: GenCommandError.self) {
            try TalhelperGenCommand.commands(.bootstrap, config: config, outDir: "out", node: nil, extraFlags: [])
        }
        #expect(throws: GenCommandError.self) {
            try TalhelperGenCommand.commands(.health, config: config, outDir: "out", node: nil, extraFlags: [])
        }
    }

    @Test func shellLinesQuoteOnlyGeneratedWordsThatNeedIt() throws {
        let (config, _) = try TalhelperConfig.load(Array(Self.talconfig.utf8), file: "t.yaml", environment: [:], strict: true)
        let plain = try TalhelperGenCommand.commands(.apply, config: config, outDir: "talos/clusters/cluster-1/clusterconfig",
                                                     node: "w1", extraFlags: ["--insecure"])
        #expect(plain[0].shellLine == plain[0].line)
        let spaced = try TalhelperGenCommand.commands(.apply, config: config, outDir: "/srv/my fleet/it's", node: "w1",
                                                      extraFlags: ["--mode=no-reboot"])
        #expect(spaced[0].line == "talosctl apply-config --talosconfig=/srv/my fleet/it's/talosconfig --nodes=10.0.0.3 "
                + "--file=/srv/my fleet/it's/home-w1.yaml --mode=no-reboot;")
        #expect(spaced[0].shellLine == "talosctl apply-config '--talosconfig=/srv/my fleet/it'\\''s/talosconfig' --nodes=10.0.0.3 "
                + "'--file=/srv/my fleet/it'\\''s/home-w1.yaml' --mode=no-reboot;")
        #expect(spaced[0].argv == ["talosctl", "apply-config", "--talosconfig=/srv/my fleet/it's/talosconfig", "--nodes=10.0.0.3",
                                   "--file=/srv/my fleet/it's/home-w1.yaml", "--mode=no-reboot"])
        #expect(spaced[0].hostname == "w1" && spaced[0].configFile == "home-w1.yaml")
    }

    @Test func kindsNameTheirTalosctlVerbs() {
        #expect(GenCommandKind.allCases.map(\.verb) == ["apply-config", "upgrade", "upgrade-k8s", "bootstrap", "kubeconfig", "reset", "health"])
    }
}
