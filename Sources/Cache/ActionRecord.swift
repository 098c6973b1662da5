import FoundationEssentials
import Glibc

/// What the action cache remembers about one completed action: its outputs (by blob digest) and
/// the inputs it was computed from.
public struct ActionRecord: Sendable, Hashable {
    public var key: Digest
    public var stage: String
    public var cluster: String
    public var outputs: [OutputEntry]
    public var inputs: [ActionInput]
    public var created: Date
    public var lastUsed: Date
    /// Wall-clock seconds the action took to run.
    public var duration: TimeInterval

    public init(key: Digest, stage: String, cluster: String, outputs: [OutputEntry], inputs: [ActionInput],
                created: Date, lastUsed: Date, duration: TimeInterval) {
        self.key = key
        self.stage = stage
        self.cluster = cluster
        self.outputs = outputs
        self.inputs = inputs
        self.created = created
        self.lastUsed = lastUsed
        self.duration = duration
    }

    /// Total bytes of the outputs.
    public var outputBytes: Int64 { outputs.reduce(0) { $0 + $1.size } }
}
