import Diagnostics
import Foundation
import Testing
@testable import Talos
import TestSupport
import YAML

/// The fields talhelper sets alike on every node's `cluster` section (aescbc secret, CNI, inline manifests) are
/// applied once per machine type and shared: every node still carries them, templated labels still see the
/// config as talhelper builds it.
@Suite struct ClusterFieldsSharingTests {
    static func talconfig(cni: String = "  name: custom\n  urls:\n    - https://example.com/cni.yaml") -> String {
        """
        clusterName: home
        talosVersion: v1.11.6
        kubernetesVersion: v1.31.1
        endpoint: https://10.0.0.10:6443
        cniConfig:
        \(cni)
        inlineManifests:
          - name: ns
            contents: "\\n\\tkind: Namespace"
        controlPlane:
          nodeLabels:
            domain: "{{ .ClusterConfig.ClusterNetwork.DNSDomain }}"
        worker:
          nodeLabels:
            domain: "{{ .ClusterConfig.ClusterNetwork.DNSDomain }}-w"
        nodes:
          - hostname: cp1
            ipAddress: 10.0.0.11
            controlPlane: true
            installDisk: /dev/sda
          - hostname: cp2
            ipAddress: 10.0.0.12
            controlPlane: true
            installDisk: /dev/sda
          - hostname: w1
            ipAddress: 10.0.0.21
            controlPlane: false
            installDisk: /dev/sda
        """
    }

    @Test func everyNodeCarriesTheClusterFieldsAndRendersItsTemplatedLabels() throws {
        let (config, _) = try TalhelperConfig.load(Array(Self.talconfig().utf8), file: "talconfig.yaml", environment: [:], strict: true)
        var secrets = try TestSecrets.generated()
        secrets.aescbcEncryptionSecret = "c2VjcmV0LWtleS1vZi0zMi1ieXRlcy1sb25nLi4uLi4="
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: secrets)
        #expect(files.map(\.name) == ["home-cp1.yaml", "home-cp2.yaml", "home-w1.yaml", ".gitignore"])
        for (file, label) in zip(files.prefix(3), ["cluster.local", "cluster.local", "cluster.local-w"]) {
            let document = try #require(try YAML.parseStream(String(decoding: file.contents, as: UTF8.self), file: file.name).first)
            let cluster = try #require(document["cluster"])
            #expect(cluster.string("aescbcEncryptionSecret") == secrets.aescbcEncryptionSecret, "\(file.name)")
            #expect(cluster["network"]?["cni"]?.string("name") == "custom", "\(file.name)")
            // Talos trims the manifest's leading whitespace when it reads it, so the written config has none.
            #expect(cluster["inlineManifests"]?.sequenceItems?.first?.string("contents") == "kind: Namespace", "\(file.name)")
            #expect(document["machine"]?["nodeLabels"]?.string("domain") == label, "\(file.name)")
        }
        // Each node's config is the one generated for it alone.
        for (node, file) in zip(config.nodes, files) {
            let alone = try TalhelperGenerator.nodeConfig(node, in: config, secrets: secrets)
            #expect(YAMLEmitter(indent: 2).emitBytes(alone.documents) == file.contents, "\(file.name)")
        }
    }
}
