/// Limits that keep hostile or broken input from exhausting memory, stack or time.
public struct YAMLParseOptions: Sendable {
    /// Deepest nesting of sequences and mappings accepted. Every consumer walks trees recursively,
    /// so this bounds their stack use too.
    public var maxDepth: Int
    /// Nodes that aliases may add on top of the nodes physically written, judged as yaml.v3 does:
    /// the share of alias-expanded nodes may be 99 % for small documents and falls to 10 % for large ones.
    /// Expansion sizes are computed arithmetically, so a "billion laughs" document fails as soon as its
    /// expanded size exceeds the budget, long before anything is copied.
    public var aliasRatioApplies: Bool
    /// Whether two equal keys in one mapping are an error (yaml.v3's decoder rejects them).
    public var rejectDuplicateKeys: Bool

    public init(maxDepth: Int = 500, aliasRatioApplies: Bool = true, rejectDuplicateKeys: Bool = true) {
        self.maxDepth = maxDepth
        self.aliasRatioApplies = aliasRatioApplies
        self.rejectDuplicateKeys = rejectDuplicateKeys
    }

    public static let `default` = YAMLParseOptions()
}
