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

    /// Exactly one document (an empty stream gives a null node); more than one is an error. Documents with
    /// no content at all (a stray `---` at the end) are not counted.
    public static func parseDocument(_ bytes: [UInt8], file: String, options: YAMLParseOptions = .default) throws -> YAMLNode {
        var documents = try parseStream(bytes, file: file, options: options)
        // A stray "---" before or after the content makes an empty document; it does not count.
        if documents.count > 1 { documents.removeAll { $0.isEmptyDocument } }
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

extension YAMLNode {
    /// A document that held nothing (`---` followed by nothing): libyaml gives it an empty plain scalar.
    var isEmptyDocument: Bool {
        guard let scalar, tag == nil else { return false }
        return scalar.kind == .null && scalar.text.isEmpty && scalar.style == .plain
    }
}
