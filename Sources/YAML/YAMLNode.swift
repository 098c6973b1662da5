import Diagnostics

/// A YAML node as parsed (with its position) or as built for emitting.
///
/// Mappings keep their key order: Talos and talhelper output order is part of the contract,
/// and error messages point at keys in the order the user wrote them.
public struct YAMLNode: Sendable, Hashable {
    public enum Content: Sendable, Hashable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var content: Content
    /// Where the node starts in its source; nil for nodes built in code.
    public var location: SourceLocation?
    /// The presentation details below, boxed: nearly every node has none, and a node is copied wherever a
    /// tree is built, re-encoded or emitted, so keeping them out of line makes each copy smaller and one
    /// reference count instead of three (tag, comment, alias position) — nil when all are unset.
    private var presentation: Presentation?

    /// The explicit tag as written (`!!str`, `!!binary`, `!custom`), nil when the node had none.
    public var tag: String? {
        get { presentation?.tag }
        set { updatePresentation { $0.tag = newValue } }
    }
    /// Comment lines written above a document's root (each line starting with `#`), kept so files such as
    /// Talos' secrets fixtures round-trip; the emitter writes it before the node. libyaml reports no
    /// comments, so only a document's leading comment block is kept.
    public var headComment: String? {
        get { presentation?.headComment }
        set { updatePresentation { $0.headComment = newValue } }
    }
    /// The collection was written in flow style (`[a, b]`, `{x: 1}`). Only `YAMLEmitter(preserveStyles:)`
    /// looks at it; by default collections are written in block style as yaml.v3 writes Go values.
    public var flowStyle: Bool {
        get { presentation?.flowStyle ?? false }
        set { updatePresentation { $0.flowStyle = newValue } }
    }
    /// For a node an alias pasted here: where the anchored node it copies starts (its children keep
    /// their own locations), so a loader can share one object between anchor and aliases as PyYAML
    /// does. Not part of equality.
    public var aliasedFrom: SourceLocation? {
        get { presentation?.aliasedFrom }
        set { updatePresentation { $0.aliasedFrom = newValue } }
    }

    public init(_ content: Content, tag: String? = nil, location: SourceLocation? = nil, headComment: String? = nil,
                flowStyle: Bool = false) {
        self.content = content
        self.location = location
        self.presentation = Presentation.boxed(Presentation.Fields(tag: tag, headComment: headComment, flowStyle: flowStyle))
    }

    /// Replaces the box (it is shared between copies, so never changed in place).
    private mutating func updatePresentation(_ change: (inout Presentation.Fields) -> Void) {
        var fields = presentation?.fields ?? Presentation.Fields()
        change(&fields)
        presentation = Presentation.boxed(fields)
    }

    /// A node's rarely set presentation details, immutable once made.
    private final class Presentation: Sendable {
        struct Fields: Sendable {
            var tag: String?
            var headComment: String?
            var flowStyle = false
            var aliasedFrom: SourceLocation?
        }

        let fields: Fields
        var tag: String? { fields.tag }
        var headComment: String? { fields.headComment }
        var flowStyle: Bool { fields.flowStyle }
        var aliasedFrom: SourceLocation? { fields.aliasedFrom }

        private init(_ fields: Fields) { self.fields = fields }

        /// nil when every field is unset: most nodes then carry no box at all.
        static func boxed(_ fields: Fields) -> Presentation? {
            if fields.tag == nil && fields.headComment == nil && !fields.flowStyle && fields.aliasedFrom == nil { return nil }
            return Presentation(fields)
        }
    }
}

extension YAMLNode {
    /// Equality and hashing cover content, tag and location, as before presentation details were kept:
    /// a head comment or flow style does not make two nodes different.
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        lhs.content == rhs.content && lhs.tag == rhs.tag && lhs.location == rhs.location
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(content)
        hasher.combine(tag)
        hasher.combine(location)
    }
}

/// One key/value entry of a mapping.
public struct YAMLPair: Sendable, Hashable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }

    public init(_ key: String, _ value: YAMLNode) {
        self.key = .string(key)
        self.value = value
    }
}

/// A scalar's text together with the type yaml.v3 resolves it to.
public struct YAMLScalar: Sendable, Hashable {
    /// The Go type yaml.v3 would decode the scalar into (and, when emitting, the Go type it came from).
    public enum Kind: Sendable, Hashable {
        case string, int, float, bool, null
    }

    /// How the scalar was written; when emitting, `.plain` means "choose as yaml.v3 would".
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// The value as text: the decoded string for strings, the literal as written for other kinds.
    public var text: String
    public var kind: Kind
    public var style: Style

    public init(text: String, kind: Kind, style: Style = .plain) {
        self.text = text
        self.kind = kind
        self.style = style
    }
}

extension YAMLNode {
    public static func string(_ value: String) -> YAMLNode { YAMLNode(.scalar(YAMLScalar(text: value, kind: .string))) }
    public static func int(_ value: Int) -> YAMLNode { YAMLNode(.scalar(YAMLScalar(text: String(value), kind: .int))) }
    public static func bool(_ value: Bool) -> YAMLNode { YAMLNode(.scalar(YAMLScalar(text: value ? "true" : "false", kind: .bool))) }
    public static var null: YAMLNode { YAMLNode(.scalar(YAMLScalar(text: "null", kind: .null))) }
    public static func sequence(_ items: [YAMLNode]) -> YAMLNode { YAMLNode(.sequence(items)) }
    public static func mapping(_ pairs: [YAMLPair]) -> YAMLNode { YAMLNode(.mapping(pairs)) }

    public var scalar: YAMLScalar? {
        if case .scalar(let s) = content { return s }
        return nil
    }

    public var sequenceItems: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mappingPairs: [YAMLPair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The value for a string key of a mapping (first match), nil for a missing key or a non-mapping.
    public subscript(key: String) -> YAMLNode? {
        // Walks the pairs in place: validators ask this for every field of every node, and copying the
        // pairs array and each key's scalar out first showed in profiles.
        guard case .mapping(let pairs) = content else { return nil }
        for pair in pairs {
            if case .scalar(let scalar) = pair.key.content, scalar.text == key { return pair.value }
        }
        return nil
    }
}

extension YAMLNode {
    /// True when `other` is known to be this very node: a collection sharing its element storage (so
    /// the same contents, without walking them), or an equal scalar — with the same tag and position.
    /// A cheap test for reusing work done on a node an edited tree still holds; false proves nothing.
    public func isSameNode(as other: YAMLNode) -> Bool {
        guard tag == other.tag, location == other.location else { return false }
        switch (content, other.content) {
        case (.scalar(let a), .scalar(let b)):
            return a == b
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { x.baseAddress == $0.baseAddress } }
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { x.baseAddress == $0.baseAddress } }
        default:
            return false
        }
    }
}
