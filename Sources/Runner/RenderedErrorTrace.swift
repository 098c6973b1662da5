import Diagnostics
import FoundationEssentials
import Glibc
import Stages

/// After a run: an error reported in a cluster's rendered talconfig gets notes naming the template line and
/// talenv.yaml value behind it (`RenderedTalconfigTrace`). Only failed clusters with such errors are touched,
/// so a successful run costs nothing; the render is redone in memory from the cluster's current inputs.
public enum RenderedErrorTrace {
    public static func annotate(_ report: RegenReport, fleet: Fleet) -> RegenReport {
        var report = report
        for c in report.clusters.indices where report.clusters[c].failed {
            let cluster = fleet.context(report.clusters[c].cluster)
            let rendered = cluster.displayPath(of: RenderStage.talconfigOutput)
            let stages = report.clusters[c].stages.indices.filter { s in
                report.clusters[c].stages[s].diagnostics.contains { $0.severity == .error && $0.location?.file == rendered }
            }
            guard !stages.isEmpty else { continue }
            let environment = StageEnvironment(environment: [:], ageKeyFiles: [], now: Date())
            guard let inputs = try? renderInputs(cluster, environment: environment) else { continue }
            for s in stages {
                let diagnostics = report.clusters[c].stages[s].diagnostics
                let notes = RenderedTalconfigTrace.notes(for: diagnostics, cluster: cluster, renderInputs: inputs, environment: environment)
                guard !notes.isEmpty else { continue }
                var annotated: [Diagnostic] = []
                for (index, diagnostic) in diagnostics.enumerated() {
                    annotated.append(diagnostic)
                    annotated += notes[index] ?? []
                }
                report.clusters[c].stages[s].diagnostics = annotated
            }
        }
        return report
    }

    /// The render stage's inputs, its upstream (validate) run in memory as `ClusterPreview` runs it.
    static func renderInputs(_ cluster: ClusterContext, environment: StageEnvironment) throws -> StageInputs {
        var produced: [String: [UInt8]] = [:]
        func inputs(of stage: any Stage) throws -> StageInputs {
            var contents: [String: [UInt8]] = [:]
            for input in stage.plan(for: cluster).inputs {
                switch input.source {
                case .file(let path): contents[input.name] = try StageInputsResolver.read(path)
                case .upstream(_, let output): contents[input.name] = produced[output]
                }
            }
            return StageInputs(contents)
        }
        let validate = ValidateStage()
        for output in try validate.run(for: cluster, inputs: inputs(of: validate), environment: environment).outputs {
            produced[output.path] = output.contents
        }
        return try inputs(of: RenderStage())
    }
}
