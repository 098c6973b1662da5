import Diagnostics
import FoundationEssentials
import Glibc
import Stages

/// `talos-batch render <id>`: the pipeline's first stages (validate, render) run in memory for one cluster —
/// no cache, nothing written. Inputs are read as the runner reads them (`StageInputsResolver.read`); an
/// upstream output is the bytes the upstream stage just produced.
public enum ClusterPreview {
    public static func render(_ cluster: ClusterContext) throws -> (talconfig: String, schematic: String) {
        let environment = StageEnvironment(environment: [:], ageKeyFiles: [], now: Date())
        var produced: [String: [UInt8]] = [:]
        for stage in [ValidateStage(), RenderStage()] as [any Stage] {
            var contents: [String: [UInt8]] = [:]
            for input in stage.plan(for: cluster).inputs {
                switch input.source {
                case .file(let path): contents[input.name] = try StageInputsResolver.read(path)
                case .upstream(_, let output): contents[input.name] = produced[output]
                }
            }
            let result = try stage.run(for: cluster, inputs: StageInputs(contents), environment: environment)
            for output in result.outputs { produced[output.path] = output.contents }
        }
        let talconfig = String(decoding: produced[RenderStage.talconfigOutput] ?? [], as: UTF8.self)
        let schematic = String(decoding: produced[RenderStage.schematicOutput] ?? [], as: UTF8.self)
        return (talconfig, schematic)
    }
}
