import Diagnostics
import Foundation
import Testing
import YAML
@testable import Talos

/// `networkInterfaces[].deviceSelector` as talhelper and Talos handle it: from v1.12 a `LinkAliasConfig`
/// whose CEL selector names the link for the other network documents; until v1.11 the selector stays in
/// `machine.network.interfaces`. Talos's device checks apply to every version.
@Suite struct DeviceSelectorTests {
    static func talconfig(_ version: String, interfaces: String) -> String {
        TalhelperFixtures.talconfig(talosVersion: version, extraNode: """
              - hostname: w2
                ipAddress: 10.0.0.40
                controlPlane: false
                installDisk: /dev/sdb
                networkInterfaces:
            \(interfaces)
            """, interfaces: false, nodePatch: false)
    }

    static let selectorDevice = """
              - deviceSelector:
                  hardwareAddr: "52:54:00:*"
                  driver: virtio_net
                dhcp: true
                mtu: 9000
        """

    func w2(_ text: String) throws -> [YAMLNode] {
        let (config, _) = try TalhelperFixtures.load(text)
        let files = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let file = try #require(files.first { $0.name == "home-w2.yaml" })
        return try YAML.parseStream(String(decoding: file.contents, as: UTF8.self), file: file.name)
    }

    @Test func fromV1_12ASelectedDeviceIsALinkAliasNamingItsDocuments() throws {
        let documents = try w2(Self.talconfig("v1.12.1", interfaces: Self.selectorDevice))
        #expect(documents[0]["machine"]?["network"]?["interfaces"] == nil)
        #expect(documents.dropFirst().map { "\($0.string("kind") ?? "") \($0.string("name") ?? $0.string("hostname") ?? "")" } == [
            "HostnameConfig w2", "LinkAliasConfig ethSel0", "DHCPv4Config ethSel0", "LinkConfig ethSel0",
        ])
        #expect(documents[2]["selector"]?.string("match") == #"glob("52:54:00:*", mac(link.hardware_addr)) && glob("virtio_net", link.driver)"#)
        #expect(documents[4].string("mtu") == "9000")
    }

    @Test func aliasesSkipNamesInUseAndPhysicalIsALinkType() throws {
        let interfaces = """
                  - interface: ethSel0
                    addresses:
                      - 10.0.0.40/24
                  - deviceSelector:
                      physical: false
                    dhcp: true
            """
        let documents = try w2(Self.talconfig("v1.13.0", interfaces: interfaces))
        let alias = try #require(documents.first { $0.string("kind") == "LinkAliasConfig" })
        #expect(alias.string("name") == "ethSel1")
        #expect(alias["selector"]?.string("match") == "link.type != 1")
        #expect(documents.contains { $0.string("kind") == "DHCPv4Config" && $0.string("name") == "ethSel1" })
    }

    @Test func untilV1_11TheSelectorStaysInTheMachineConfig() throws {
        let documents = try w2(Self.talconfig("v1.11.5", interfaces: Self.selectorDevice))
        let device = try #require(documents[0]["machine"]?["network"]?["interfaces"]?.sequenceItems?.first)
        #expect(device["deviceSelector"]?.string("driver") == "virtio_net")
        #expect(device["deviceSelector"]?.string("hardwareAddr") == "52:54:00:*")
        #expect(device.string("mtu") == "9000")
        #expect(!documents.contains { $0.string("kind") == "LinkAliasConfig" })
    }

    @Test(arguments: ["v1.11.5", "v1.12.1"])
    func talosDeviceChecksAreErrorsAtTheDevice(version: String) throws {
        let cases: [(String, String, Int, Int)] = [
            ("      - interface: eth0\n        deviceSelector:\n          driver: e1000\n", "config sections are mutually exclusive", 45, 11),
            ("      - deviceSelector: {}\n        dhcp: true\n", "config section should contain at least one field", 43, 25),
            ("      - deviceSelector:\n          driver: \"\"\n        dhcp: true\n", "config section should contain at least one field", 44, 11),
            ("      - dhcp: true\n", "required either config section to be set", 43, 9),
        ]
        for (interfaces, message, line, column) in cases {
            let error = try #require(throws: Diagnostic.self) { try TalhelperFixtures.load(Self.talconfig(version, interfaces: interfaces)) }
            #expect(error.message.contains(message), "\(error)")
            #expect(error.location?.line == line, "\(interfaces): \(error)")
            #expect(error.location?.column == column, "\(interfaces): \(error)")
        }
    }

    @Test func aValueThatWouldBreakTheCELLiteralIsRefused() throws {
        let interfaces = "      - deviceSelector:\n          driver: 'virt\"io'\n        dhcp: true\n"
        let error = try #require(throws: Diagnostic.self) { try w2(Self.talconfig("v1.12.1", interfaces: interfaces)) }
        #expect(error.message.contains("CEL"), "\(error)")
        #expect(error.location?.line == 44 && error.location?.column == 19, "\(error)")
    }
}
