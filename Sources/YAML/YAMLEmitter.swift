/// Writes YAML exactly as Go's gopkg.in/yaml.v3 encoder does: block style, sequences indented under
/// their key, `{}`/`[]` for empty collections, yaml.v3's quoting and literal-block choices, no line folding.
///
/// By default it writes nodes the way yaml.v3 writes Go values: a string is quoted only when it must be,
/// whatever style it was parsed with, and comments are not written (Go values have none). Set
/// `preserveStyles` and `writeComments` to re-encode parsed files the way yaml.v3 re-encodes its
/// own `yaml.Node` trees.
public struct YAMLEmitter: Sendable {
    /// Spaces per nesting level (yaml.v3 accepts 2…9; others fall back to 2 as yaml.v3 does).
    public var indent: Int
    /// Keep parsed quoting, block scalar styles and flow collections (yaml.v3 re-encoding a yaml.Node).
    public var preserveStyles: Bool
    /// Whether documents' head comments (`YAMLNode.headComment`) are written.
    public var writeComments: Bool

    public init(indent: Int = 4, preserveStyles: Bool = false, writeComments: Bool = false) {
        self.indent = (2...9).contains(indent) ? indent : 2
        self.preserveStyles = preserveStyles
        self.writeComments = writeComments
    }

    /// One document, ending with "\n", without "---".
    public func emit(_ node: YAMLNode) -> String {
        emitDocuments([node])
    }

    /// Documents separated by "---\n", as successive yaml.v3 `Encoder.Encode` calls write them.
    public func emitDocuments(_ nodes: [YAMLNode]) -> String {
        String(decoding: emitBytes(nodes), as: UTF8.self)
    }

    /// The same as `emitDocuments`, as UTF-8 bytes (what is written to files and hashed).
    ///
    /// With a `memo`, mappings it saw written before (by this same emitter configuration) are copied
    /// instead of written again, and this output's mappings are added to it.
    public func emitBytes(_ nodes: [YAMLNode], memo: YAMLEmitMemo? = nil) -> [UInt8] {
        let bestIndent = (2...9).contains(indent) ? indent : 2
        var writer = YAMLWriter(bestIndent: bestIndent, preserveStyles: preserveStyles, writeComments: writeComments)
        writer.memo = memo
        for (index, node) in nodes.enumerated() {
            writer.document(node, first: index == 0)
        }
        memo?.adopt(writer.out)
        return writer.out
    }
}
