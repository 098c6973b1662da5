/// A named textual setting that changes what an action produces (e.g. a cluster name or a flag).
public struct ActionParameter: Sendable, Hashable, Codable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
