import Diagnostics

/// Entry points for reading YAML.
public enum YAML {
    /// Every document of a stream (anchors/aliases/merge keys resolved, positions kept). Throws Diagnostic.
    public static func parseStream(_ bytes: [UInt8], file: String, options: YAMLParseOptions = .default) throws -> [YAMLNode] {
        try YAMLParser(file: file, options: options).parse(bytes)
    }

    public static func parseStream(_ text: String, file: String, options: YAMLParseOptions = .default) throws -> [YAMLNode] {
        try parseStream(Array(text.utf8), file: file, options: options)
    }

    /// Exactly one document (an empty stream gives a null node); more than one is an error.
    public static func parseDocument(_ bytes: [UInt8], file: String, options: YAMLParseOptions = .default) throws -> YAMLNode {
        let documents = try parseStream(bytes, file: file, options: options)
        if documents.count > 1 {
            throw Diagnostic.error("expected a single YAML document, found \(documents.count)",
                                   at: documents[1].location ?? SourceLocation(file: file, line: 1, column: 1))
        }
        return documents.first ?? YAMLNode(.scalar(YAMLScalar(text: "", kind: .null)))
    }

    public static func parseDocument(_ text: String, file: String, options: YAMLParseOptions = .default) throws -> YAMLNode {
        try parseDocument(Array(text.utf8), file: file, options: options)
    }
}
