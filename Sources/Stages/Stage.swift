import Diagnostics
import FoundationEssentials
import Glibc
import Hashing

/// One step of a cluster's regeneration: declares everything it reads and computes its outputs from
/// exactly that, with no other side effects, so the runner can key it by the digests of its inputs.
public protocol Stage: Sendable {
    /// Stable name, used in action keys, reports and the graph ("validate", "render", "genconfig").
    var name: String { get }
    /// Bumped whenever the stage's code would produce different bytes from the same inputs.
    var version: String { get }
    /// Names of the stages whose outputs this one reads.
    var upstream: [String] { get }

    /// What the stage reads and its parameters for one cluster; cheap, reads no file.
    func plan(for cluster: ClusterContext) -> StagePlan

    /// Computes the outputs from the inputs the plan named. Throws `Diagnostic` or `DiagnosticList`.
    func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult

    /// Until when a result may be used although its inputs are unchanged (time-limited outputs such as
    /// client certificates); called with the recorded outputs, only when `expires`. The runner's
    /// `Rebuilder` reuses a result only while `now < validUntil`.
    func validUntil(outputs: [GeneratedOutput]) -> Date
    /// Whether `validUntil` needs checking (only then are a hit's outputs read).
    var expires: Bool { get }
}

extension Stage {
    public func validUntil(outputs: [GeneratedOutput]) -> Date { .distantFuture }
    public var expires: Bool { false }
}

/// Where an input's bytes come from.
public enum StageInputSource: Sendable, Hashable {
    /// A file in the fleet tree (absolute path).
    case file(path: String)
    /// An output (relative path in the cluster folder) of an upstream stage of the same cluster.
    case upstream(stage: String, output: String)
}

/// What stands for an input in a stage's key.
public enum StageInputKeyBasis: Sendable, Hashable {
    /// The SHA-256 of its bytes.
    case bytes
    /// The digest of the secrets bundle it holds, decrypted (`SecretsBundleKey`): a change of the SOPS
    /// metadata alone (its version field, a new data key for the same plaintext) keys the same (issue 19).
    case secretsBundle
}

/// One input: its name in keys and `explain` ("talenv.yaml", "templates/talconfig.j2") and its source.
public struct StageInput: Sendable, Hashable {
    public var name: String
    public var source: StageInputSource
    public var keyBasis: StageInputKeyBasis

    public init(name: String, source: StageInputSource, keyBasis: StageInputKeyBasis = .bytes) {
        self.name = name
        self.source = source
        self.keyBasis = keyBasis
    }
}

/// A stage's declared inputs and parameters for one cluster.
public struct StagePlan: Sendable {
    public var inputs: [StageInput]
    public var parameters: [StageParameter]
    /// Further files the declared inputs name, for the few stages that have them (genconfig); nil otherwise.
    public var references: StageReferences?

    public init(inputs: [StageInput], parameters: [StageParameter] = [], references: StageReferences? = nil) {
        self.inputs = inputs
        self.parameters = parameters
        self.references = references
    }
}

/// Files a stage's declared inputs name — talhelper's `@file` patches, machine files and extra manifests
/// in the rendered talconfig. Those are known only once the declared inputs' bytes are, so such a plan has
/// a second phase: the runner adds the `discover`ed inputs (files, hashed like any other) to the plan
/// before keying the stage, and passes their bytes to `run` under the names given here.
///
/// The set is a function of the declared inputs' bytes, so the runner may instead reuse the set a recorded
/// run found for the same declared digests (`input(named:)` turns its names back into inputs) and skip
/// reading them on a no-op run.
public struct StageReferences: Sendable {
    /// The files named in the declared inputs' bytes (read with the run's environment, for its memos),
    /// each a `.file` input. Throws a positioned
    /// `Diagnostic` when a named file does not exist.
    public var discover: @Sendable (StageInputs, StageEnvironment) throws -> [StageInput]
    /// The input a name returned by `discover` stands for; nil for a name never given.
    public var input: @Sendable (_ named: String) -> StageInput?

    public init(discover: @escaping @Sendable (StageInputs, StageEnvironment) throws -> [StageInput],
                input: @escaping @Sendable (_ named: String) -> StageInput?) {
        self.discover = discover
        self.input = input
    }
}

public struct StageParameter: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The bytes of a stage's inputs, by input name.
public struct StageInputs: Sendable {
    public var contents: [String: [UInt8]]
    /// The SHA-256 of some inputs' bytes, from the caller that read and hashed them (the runner hashes
    /// every file input it reads): memo keys use them instead of hashing the same bytes again. Each must
    /// be the digest of exactly `contents[name]`.
    private var knownDigests: [String: Digest]

    public init(_ contents: [String: [UInt8]], digests: [String: Digest] = [:]) {
        self.contents = contents
        self.knownDigests = digests
    }

    /// The SHA-256 of an input's bytes (hashed now unless the caller gave it).
    public func digest(_ name: String) throws -> Digest {
        if let known = knownDigests[name] { return known }
        return Digest.of(try bytes(name))
    }

    public func bytes(_ name: String) throws -> [UInt8] {
        guard let bytes = contents[name] else {
            throw Diagnostic.error("internal: stage input '\(name)' was not provided")
        }
        return bytes
    }
}

/// A file a stage produces, relative to the cluster folder.
public struct GeneratedOutput: Sendable, Hashable {
    public var path: String
    public var contents: [UInt8]
    public var mode: UInt32

    public init(path: String, contents: [UInt8], mode: UInt32 = 0o644) {
        self.path = path
        self.contents = contents
        self.mode = mode
    }
}

/// What a stage computed: its outputs and any warnings.
public struct StageResult: Sendable {
    public var outputs: [GeneratedOutput]
    public var warnings: [Diagnostic]

    public init(outputs: [GeneratedOutput], warnings: [Diagnostic] = []) {
        self.outputs = outputs
        self.warnings = warnings
    }
}
