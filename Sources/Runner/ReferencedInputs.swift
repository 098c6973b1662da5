import Cache
import Diagnostics
import Foundation
import Stages

extension StageExecutor {
    /// The second phase of a `ReferencingStage`'s plan: its referenced files appended to the plan and to
    /// the key's input digests (other stages are returned unchanged). The files' digests go into the key,
    /// so an edit of one reruns the stage and reverting it finds the earlier result again.
    func addingReferencedInputs(_ stage: any Stage, plan: StagePlan, digests: [ActionInput], cluster: ClusterContext,
                                upstream: [String: StageOutcome], resolver: StageInputsResolver) throws
        -> (StagePlan, [ActionInput]) {
        guard let referencing = stage as? any ReferencingStage else { return (plan, digests) }
        let referenced = try recordedReferences(referencing, plan: plan, digests: digests, cluster: cluster)
            ?? referencing.referencedInputs(for: cluster, inputs: try resolver.contents(of: plan, digests: digests, upstream: upstream).0)
        var plan = plan
        var digests = digests
        for input in referenced {
            guard case .file(let path) = input.source else {
                throw Diagnostic.error("internal: \(stage.name) referenced a non-file input '\(input.name)'")
            }
            plan.inputs.append(input)
            digests.append(ActionInput(name: input.name, digest: try cache.fileStates.digest(ofFileAtPath: path)))
        }
        return (plan, digests)
    }

    /// The referenced files the last recorded run found, when it read the same declared inputs with the same
    /// stage, tool version and parameters (its key, recomputed from its inputs, proves that) and they all
    /// still exist — then the set is the same and nothing needs reading. Nil when it cannot be reused.
    private func recordedReferences(_ stage: any ReferencingStage, plan: StagePlan, digests: [ActionInput],
                                    cluster: ClusterContext) throws -> [StageInput]? {
        guard let previous = try cache.actions.lastRecord(stage: stage.name, cluster: cluster.name) else { return nil }
        let declared = Set(digests.map(\.name))
        let recorded = Set(previous.inputs)
        guard digests.allSatisfy(recorded.contains) else { return nil }
        let parameters = plan.parameters.map { ActionParameter(name: $0.name, value: $0.value) }
        guard ActionKey(stage: stage.name, stageVersion: stage.version, toolVersion: options.toolVersion,
                        parameters: parameters, inputs: previous.inputs).digest == previous.key else { return nil }
        var inputs: [StageInput] = []
        for input in previous.inputs where !declared.contains(input.name) {
            guard let reference = stage.referencedInput(named: input.name, for: cluster),
                  case .file(let path) = reference.source, FileManager.default.fileExists(atPath: path) else { return nil }
            inputs.append(reference)
        }
        return inputs
    }
}
