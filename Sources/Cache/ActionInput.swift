/// One named input of an action and the digest of its content (kept with each record so `explain`
/// can say which input changed).
public struct ActionInput: Sendable, Hashable, Codable {
    public var name: String
    public var digest: Digest

    public init(name: String, digest: Digest) {
        self.name = name
        self.digest = digest
    }
}
