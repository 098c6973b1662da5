import Cache
import Diagnostics
import FoundationEssentials
import Glibc
import Stages

extension StageExecutor {
    /// The second phase of a plan with `references`: the referenced files appended to the plan and to the
    /// key's input digests (a plan without them is returned unchanged). The files' digests go into the key,
    /// so an edit of one reruns the stage and reverting it finds the earlier result again. Also returns the
    /// recorded run whose list was reused (usually the very record the key finds, saving a second lookup).
    func addingReferencedInputs(_ stage: any Stage, plan: StagePlan, digests: [ActionInput], cluster: ClusterContext,
                                upstream: [String: StageWork], resolver: StageInputsResolver) throws
        -> (plan: StagePlan, inputs: [ActionInput], recorded: ActionRecord?) {
        guard let references = plan.references else { return (plan, digests, nil) }
        let recorded = try recordedReferences(stage, references, plan: plan, digests: digests, cluster: cluster)
        let referenced = try recorded?.inputs
            ?? references.discover(try referencedContents(plan, digests: digests, upstream: upstream, resolver: resolver), stageEnvironment)
        var plan = plan
        var digests = digests
        for input in referenced {
            guard case .file(let path) = input.source else {
                throw Diagnostic.error("internal: \(stage.name) referenced a non-file input '\(input.name)'")
            }
            plan.inputs.append(input)
            digests.append(ActionInput(name: input.name, digest: try StageInputsResolver.digest(ofInputAt: path, cache: cache)))
        }
        return (plan, digests, recorded?.record)
    }

    /// The declared inputs' bytes, to discover the files they name.
    private func referencedContents(_ plan: StagePlan, digests: [ActionInput], upstream: [String: StageWork],
                                    resolver: StageInputsResolver) throws -> StageInputs {
        var fileDigests: [String: Digest] = [:]
        return try resolver.contents(of: plan, digests: digests, upstream: upstream, fileDigests: &fileDigests).0
    }

    /// The referenced files the last recorded run found, when it read the same declared inputs with the same
    /// stage, tool version and parameters (its key, recomputed from its inputs, proves that) and they all
    /// still exist — then the set is the same and nothing needs reading. Nil when it cannot be reused.
    private func recordedReferences(_ stage: any Stage, _ references: StageReferences, plan: StagePlan, digests: [ActionInput],
                                    cluster: ClusterContext) throws -> (inputs: [StageInput], record: ActionRecord)? {
        guard let previous = try cache.actions.lastRecord(stage: stage.name, cluster: cluster.name) else { return nil }
        let declared = Set(digests.map(\.name))
        let recorded = Set(previous.inputs)
        guard digests.allSatisfy(recorded.contains) else { return nil }
        let parameters = plan.parameters.map { ActionParameter(name: $0.name, value: $0.value) }
        guard ActionKey(stage: stage.name, stageVersion: stage.version, toolVersion: options.toolVersion,
                        parameters: parameters, inputs: previous.inputs).digest == previous.key else { return nil }
        var inputs: [StageInput] = []
        for input in previous.inputs where !declared.contains(input.name) {
            guard let reference = references.input(input.name),
                  case .file(let path) = reference.source, FileManager.default.fileExists(atPath: path) else { return nil }
            inputs.append(reference)
        }
        return (inputs, previous)
    }
}
