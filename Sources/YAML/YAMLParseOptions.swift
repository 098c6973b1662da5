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
    /// Whether a scalar tagged !!int, !!float, !!bool or !!null must resolve to that type under the
    /// YAML module's resolver (yaml.v3 demands it; PyYAML accepts `!!bool yes`, so the Jinja values
    /// loader turns this off and types tagged scalars itself).
    public var checkCoreTags: Bool

    public init(maxDepth: Int = 500, aliasRatioApplies: Bool = true, rejectDuplicateKeys: Bool = true, checkCoreTags: Bool = true) {
        self.maxDepth = maxDepth
        self.aliasRatioApplies = aliasRatioApplies
        self.rejectDuplicateKeys = rejectDuplicateKeys
        self.checkCoreTags = checkCoreTags
    }

    public static let `default` = YAMLParseOptions()
}
