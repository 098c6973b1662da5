import Testing
import Diagnostics
@testable import Talos

/// Installer URLs as talhelper's `installerURL` / `GetInstallerURL` give them (its schematic_test.go cases).
@Suite struct InstallerURLTests {
    static func url(factory: String, node: String = "", talosVersion: String = "v1.5.4") throws -> String {
        let text = """
            clusterName: c
            talosVersion: \(talosVersion)
            kubernetesVersion: v1.28.0
            endpoint: https://10.0.0.1:6443
            \(factory)
            nodes:
              - hostname: n1
                ipAddress: 10.0.0.2
                installDisk: /dev/sda
            \(node)
            """
        let (config, _) = try TalhelperFixtures.load(text)
        return try TalhelperGenerator.installerURL(config.nodes[0], in: config)
    }

    /// talhelper's "default" case: no schematic is the empty schematic on the factory.
    @Test func noSchematicIsTheEmptySchematicsFactoryInstaller() throws {
        #expect(try Self.url(factory: "")
            == "factory.talos.dev/metal-installer/376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba:v1.5.4")
    }

    /// talhelper's "sprig function in template" case (its GetInstallerURL given version `1.5.4`).
    @Test func sprigFunctionsInTheTemplate() throws {
        let template = try URLTemplate(#"{{ trim .RegistryURL }}/{{ or (hasPrefix "v" .Version) (print "v" .Version) }}"#)
        #expect(try template.render(["RegistryURL": .string("     myregistry.com"), "Version": .string("1.5.4")]) == "myregistry.com/v1.5.4")
    }

    /// A custom template from the talconfig, with the node's data (talhelper's version has its `v`).
    @Test func customTemplateFromTheTalconfig() throws {
        let plain = """
            imageFactory:
              registryURL: "     myregistry.com"
              installerURLTmpl: '{{ trim .RegistryURL }}/{{ .Mode }}{{ if .Secureboot }}-sb{{ else }}-plain{{ end }}:{{ trimPrefix "v" .Version }}'
            """
        #expect(try Self.url(factory: plain, talosVersion: "1.5.4") == "myregistry.com/metal-plain:1.5.4")
    }

    /// talhelper's "withBoth" case: secure boot and a registry with a trailing slash, through the default template.
    @Test func secureBootThroughTheDefaultTemplate() throws {
        let node = """
                machineSpec:
                  secureboot: true
                schematic:
                  customization:
                    extraKernelArgs:
                      - net.ifnames=0
                    systemExtensions:
                      officialExtensions:
                        - siderolabs/tailscale
            """
        #expect(try Self.url(factory: "imageFactory:\n  registryURL: test.registry/", node: node, talosVersion: "1.5.4")
            == "test.registry//metal-installer-secureboot/104c23dfe7c5bfeff6a4cc7e166d8b3bba0f371760592c7677c90c822bb1d109:v1.5.4")
    }

    @Test func talosImageURLWinsOverTheFactory() throws {
        #expect(try Self.url(factory: "", node: "    talosImageURL: registry.example/installer") == "registry.example/installer:v1.5.4")
    }

    @Test func unsupportedTemplateFunctionIsAnErrorAtTheTemplate() throws {
        let error = #expect(throws: Diagnostic.self) {
            try Self.url(factory: "imageFactory:\n  installerURLTmpl: '{{ sha256sum .ID }}'")
        }
        #expect(error?.message.contains("sha256sum") == true)
        #expect(error?.location?.line == 6)
        #expect(error?.location?.column == 21)
    }
}
