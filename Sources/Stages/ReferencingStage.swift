/// A stage whose declared inputs name further files it reads — talhelper's `@file` patches, machine files
/// and extra manifests in the rendered talconfig. Those are known only once the declared inputs' bytes
/// are, so the plan has a second phase: the runner adds `referencedInputs` (files, hashed like any other)
/// to the plan before keying the stage, and passes their bytes to `run` under the names given here.
///
/// The referenced set is a function of the declared inputs' bytes, so the runner may instead reuse the set
/// a recorded run found for the same declared digests (`referencedInput(named:)` turns its names back into
/// inputs) and skip reading them on a no-op run.
public protocol ReferencingStage: Stage {
    /// The files named in `inputs` (the bytes of the plan's declared inputs), each a `.file` input.
    /// Throws a positioned `Diagnostic` when a named file does not exist.
    func referencedInputs(for cluster: ClusterContext, inputs: StageInputs) throws -> [StageInput]
    /// The input a name returned by `referencedInputs` stands for; nil for a name this stage never gives.
    func referencedInput(named name: String, for cluster: ClusterContext) -> StageInput?
}
