import FoundationEssentials
import Testing
import YAML
@testable import Stages

/// The render stage reads a cluster's values once and hands each template values of its own.
@Suite struct RenderStageTests {
    let cluster = ClusterContext(id: "1", fleet: FleetLayout(root: URL(fileURLWithPath: "/nonexistent-fleet")))

    func render(values: String, schematic: String, talconfig: String) throws -> [String: String] {
        let inputs = StageInputs([
            RenderStage.valuesInput: Array(values.utf8),
            RenderStage.schematicTemplateInput: Array(schematic.utf8),
            "templates/talconfig.j2": Array(talconfig.utf8),
        ])
        let result = try RenderStage().run(for: cluster, inputs: inputs,
                                           environment: StageEnvironment(environment: [:], ageKeyFiles: [], now: Date()))
        var outputs: [String: String] = [:]
        for output in result.outputs { outputs[output.path] = String(decoding: output.contents, as: UTF8.self) }
        return outputs
    }

    /// A template that changes a list of the values (`do`) changes it for itself only, as when each render
    /// loaded the values afresh.
    @Test func aTemplateChangingTheValuesLeavesTheOtherTemplatesValuesAlone() throws {
        let outputs = try render(
            values: CanonicalJSON.encode(.mapping([YAMLPair("args", .sequence([.string("a")])), YAMLPair("n", .int(3))])),
            schematic: "{% do args.append('added') %}customization:\n  extraKernelArgs:\n{% for a in args %}    - {{ a }}\n{% endfor %}",
            talconfig: "args: {{ args | length }} {{ args | join(',') }} {{ n + 1 }} {{ schematicID | length }}\n")
        #expect(outputs[RenderStage.schematicOutput] == "customization:\n  extraKernelArgs:\n    - a\n    - added\n")
        #expect(outputs[RenderStage.talconfigOutput] == "args: 1 a 4 64\n")
    }

    /// Values in another form than validate writes (here YAML) are read as YAML, typed as PyYAML types them.
    @Test func valuesInAnotherFormAreReadAsYAML() throws {
        let outputs = try render(values: "n: 0o17\nflag: yes\nlist: [1, two]\n", schematic: "customization: {}\n",
                                 talconfig: "{{ n is string }} {{ flag is sameas true }} {{ list[1] }}\n")
        #expect(outputs[RenderStage.talconfigOutput] == "True True two\n")
    }

    @Test func valuesThatAreNotAMappingAreAnError() throws {
        #expect(throws: (any Error).self) {
            _ = try render(values: "[1]\n", schematic: "customization: {}\n", talconfig: "x: 1\n")
        }
    }
}
