import Foundation
import Testing
import TestSupport

/// `talos-batch genurl installer|image` with talhelper's flags and output (expected URLs from talhelper's
/// TestGetInstallerURL cases and its genurl commands' printing: one URL alone, else `host: url` lines).
@Suite struct GenurlEndToEndTests {
    static func run(_ arguments: [String], in directory: URL) throws -> ProcessResult {
        try runProcess(TestPaths.binary, ["genurl"] + arguments, currentDirectory: directory)
    }

    @Test func installerFromFlags() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let exts = try Self.run(["installer", "-e", "siderolabs/drbd", "-e", "siderolabs/zfs", "-v", "v1.5.4"], in: directory.url)
        #expect(exts.stdoutString == "factory.talos.dev/metal-installer/98442b5bb4e8d050f30978ce3e6ec22e7bf534d57cafcd51313235128057e612:v1.5.4\n")
        let gcp = try Self.run(["installer", "-m", "gcp", "-k", "hihi", "-k", "hehe", "-v", ""], in: directory.url)
        #expect(gcp.stdoutString == "factory.talos.dev/gcp-installer/ff5083b14ccb03821ea738d712ac08a82b44d2693013622059edaae286665239:\n")
        let both = try Self.run(["installer", "-r", "test.registry/", "--secure-boot", "-e", "siderolabs/tailscale",
                                 "-k", "net.ifnames=0", "-v", "1.5.4"], in: directory.url)
        #expect(both.stdoutString == "test.registry//metal-installer-secureboot/104c23dfe7c5bfeff6a4cc7e166d8b3bba0f371760592c7677c90c822bb1d109:1.5.4\n")
    }

    @Test func perNodeFromTheTalconfig() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try """
            clusterName: c
            talosVersion: v1.5.4
            kubernetesVersion: v1.28.0
            endpoint: https://10.0.0.1:6443
            nodes:
              - hostname: a
                ipAddress: 10.0.0.2
                installDisk: /dev/sda
              - hostname: b
                ipAddress: 10.0.0.3
                installDisk: /dev/sda
                machineSpec:
                  arch: arm64
                schematic:
                  customization:
                    systemExtensions:
                      officialExtensions: [siderolabs/drbd, siderolabs/zfs]
            """.write(to: directory.url.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        let empty = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba"
        let exts = "98442b5bb4e8d050f30978ce3e6ec22e7bf534d57cafcd51313235128057e612"
        let all = try Self.run(["installer"], in: directory.url)
        #expect(all.stdoutString == "a: factory.talos.dev/metal-installer/\(empty):v1.5.4\nb: factory.talos.dev/metal-installer/\(exts):v1.5.4\n")
        let one = try Self.run(["image", "-n", "10.0.0.3"], in: directory.url)
        #expect(one.stdoutString == "https://factory.talos.dev/image/\(exts)/v1.5.4/metal-arm64.iso\n")
        let missing = try Self.run(["installer", "-n", "zz"], in: directory.url)
        #expect(missing.status != 0)
        #expect(missing.stderrString.contains("Node with IP address or hostname of zz is not found"))
    }

    @Test func imageFromFlags() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let empty = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba"
        #expect(try Self.run(["image", "-v", "v1.5.4"], in: directory.url).stdoutString
            == "https://factory.talos.dev/image/\(empty)/v1.5.4/metal-amd64.iso\n")
        #expect(try Self.run(["image", "-v", "v1.5.4", "--secure-boot", "--use-uki"], in: directory.url).stdoutString
            == "https://factory.talos.dev/image/\(empty)/v1.5.4/metal-amd64-secureboot-uki.efi\n")
        #expect(try Self.run(["image", "-v", "v1.5.4", "--boot-method", "disk-image", "--suffix", "raw.xz", "-a", "arm64"],
                             in: directory.url).stdoutString
            == "https://factory.talos.dev/image/\(empty)/v1.5.4/metal-arm64.raw.xz\n")
        let bad = try Self.run(["image", "--boot-method", "usb"], in: directory.url)
        #expect(bad.status != 0)
        #expect(bad.stderrString.contains("invalid boot-method"))
    }

    /// talhelper's `genurl image` takes a node's `imageSchematic` over its `schematic` (the installer keeps the
    /// `schematic`), and renders `imageFactory.ISOURLTmpl` with `imageFactory.protocol` (cmd/genurl_image.go,
    /// GetImageURL).
    @Test func imageUsesImageSchematicAndTheImageURLTemplate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try """
            clusterName: c
            talosVersion: v1.5.4
            kubernetesVersion: v1.28.0
            endpoint: https://10.0.0.1:6443
            imageFactory:
              registryURL: images.example
              protocol: http
              ISOURLTmpl: "{{.Protocol}}://{{.RegistryURL}}/iso/{{.ID}}/{{.Version}}/{{.Mode}}-{{.Arch}}{{.Suffix}}"
            nodes:
              - hostname: a
                ipAddress: 10.0.0.2
                installDisk: /dev/sda
                imageSchematic:
                  customization:
                    systemExtensions:
                      officialExtensions: [siderolabs/drbd, siderolabs/zfs]
            """.write(to: directory.url.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        let empty = "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba"
        let exts = "98442b5bb4e8d050f30978ce3e6ec22e7bf534d57cafcd51313235128057e612"
        #expect(try Self.run(["image"], in: directory.url).stdoutString == "http://images.example/iso/\(exts)/v1.5.4/metal-amd64.iso\n")
        #expect(try Self.run(["installer"], in: directory.url).stdoutString == "images.example/metal-installer/\(empty):v1.5.4\n")
    }

    /// Without an `ISOURLTmpl`, the default template and `https` apply, with the node's `imageSchematic` from its group.
    @Test func imageSchematicComesFromTheGroup() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try """
            clusterName: c
            talosVersion: v1.5.4
            kubernetesVersion: v1.28.0
            endpoint: https://10.0.0.1:6443
            worker:
              imageSchematic:
                customization:
                  systemExtensions:
                    officialExtensions: [siderolabs/drbd, siderolabs/zfs]
            nodes:
              - hostname: a
                ipAddress: 10.0.0.2
                installDisk: /dev/sda
            """.write(to: directory.url.appendingPathComponent("talconfig.yaml"), atomically: true, encoding: .utf8)
        let exts = "98442b5bb4e8d050f30978ce3e6ec22e7bf534d57cafcd51313235128057e612"
        #expect(try Self.run(["image"], in: directory.url).stdoutString == "https://factory.talos.dev/image/\(exts)/v1.5.4/metal-amd64.iso\n")
    }
}
