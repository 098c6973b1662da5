import Foundation
import Testing
@testable import Talos
import TestSupport
import YAML

/// talhelper's own goldens for the documents it adds from node settings (ingress firewall, user volumes).
/// Read from the shared reference (`talhelper/multidocs/`).
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct TalhelperMultidocGoldenTests {
    static var fixtures: URL { TestPaths.reference("talhelper/multidocs") }

    static func run(_ name: String) throws -> (String, String) {
        func read(_ suffix: String) throws -> String {
            try String(contentsOf: fixtures.appendingPathComponent("\(name)_\(suffix).yaml"), encoding: .utf8)
        }
        var reader = TalconfigReader(file: "\(name)_input.yaml", strict: false)
        let settings = try NodeSettings(YAML.parseDocument(read("input"), file: "\(name)_input.yaml"), path: "node", reader: &reader)
        var config = try MachineConfig(documents: YAML.parseStream(read("basecfg"), file: "\(name)_basecfg.yaml"))
        let documents = (settings.ingressFirewall ?? []) + (settings.extensionServices ?? [])
            + (settings.volumes ?? []) + (settings.userVolumes ?? [])
        // With nothing to add talhelper hands the base config back untouched.
        if documents.isEmpty { return (try read("basecfg"), try read("expected")) }
        try config.apply(.strategicMerge(documents))
        return (config.encoded(indent: 4), try read("expected"))
    }

    @Test(arguments: ["node1", "node2", "node4"])
    func matchesTalhelper(node: String) throws {
        let (produced, expected) = try Self.run(node)
        #expect(produced == expected)
    }
}
