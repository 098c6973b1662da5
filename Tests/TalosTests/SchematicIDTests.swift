import Foundation
import Testing
@testable import Talos
import TestSupport
import YAML

@Suite struct SchematicIDTests {
    struct Vector: Sendable, CustomStringConvertible {
        var input: String
        var id: String
        var description: String { input }
    }

    static let vectors: [Vector] = {
        let url = TestPaths.sharedReference.appendingPathComponent("schematics/vectors.yaml")
        guard let text = try? String(contentsOf: url, encoding: .utf8),
              let list = try? YAML.parseDocument(text, file: url.path).sequenceItems else { return [] }
        return list.map { Vector(input: $0.string("input") ?? "", id: $0.string("id") ?? "") }
    }()

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func vectorsAreLoaded() {
        #expect(Self.vectors.count == 5)
    }

    @Test(arguments: vectors)
    func matchesImageFactory(vector: Vector) throws {
        let schematic = try YAML.parseDocument(vector.input, file: "vector")
        #expect(try SchematicID.compute(schematic) == vector.id)
    }

    @Test func extensionsChangeTheID() throws {
        let schematic = try YAML.parseDocument("""
            customization:
              systemExtensions:
                officialExtensions:
                  - siderolabs/i915
                  - siderolabs/intel-ucode
            """, file: "s.yaml")
        let id = try SchematicID.compute(schematic)
        #expect(id.count == 64)
        #expect(id != "376567988ad370138ad8b2698212367b8edcb69b5fd68c80be1f2ec7d603b4ba")
        #expect(try SchematicID.canonicalText(schematic) == """
            customization:
                systemExtensions:
                    officialExtensions:
                        - siderolabs/i915
                        - siderolabs/intel-ucode

            """)
    }

    @Test func unknownFieldIsAnError() throws {
        let schematic = try YAML.parseDocument("customization:\n  extraKernelArg: [a]\n", file: "s.yaml")
        #expect(throws: (any Error).self) { try SchematicID.compute(schematic) }
    }
}
