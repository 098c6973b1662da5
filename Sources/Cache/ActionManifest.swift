import FoundationEssentials
import Glibc

/// A record's identity, age and outputs, without its inputs: what verification and garbage
/// collection walk over.
public struct ActionManifest: Sendable, Hashable {
    public var key: Digest
    public var stage: String
    public var cluster: String
    public var lastUsed: Date
    public var outputs: [OutputEntry]
}
