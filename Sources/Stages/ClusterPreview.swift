import Diagnostics
import Foundation

/// `talos-batch render <id>`: validate and render one cluster in memory, reading its files directly —
/// no cache, nothing written.
public enum ClusterPreview {
    public static func render(_ cluster: ClusterContext) throws -> (talconfig: String, schematic: String) {
        let environment = StageEnvironment(environment: [:], ageKeyFiles: [], now: Date())
        var produced: [String: [UInt8]] = [:]
        for stage in [ValidateStage(), RenderStage()] as [any Stage] {
            var contents: [String: [UInt8]] = [:]
            for input in stage.plan(for: cluster).inputs {
                switch input.source {
                case .file(let path):
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw Diagnostic.error("cannot read \(FleetLayout.displayPath(path))")
                    }
                    contents[input.name] = [UInt8](data)
                case .upstream(_, let output):
                    contents[input.name] = produced[output]
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
