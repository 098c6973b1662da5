import Diagnostics
import YAML

extension SecretsBundle {
    /// Decrypts a SOPS-encrypted talsecret file, then parses and validates the bundle, straight from the
    /// decrypted tree: printing it as `sops -d` would and parsing that text again gives the same values and
    /// costs more than the decryption. Positions in errors are the encrypted file's, where the same keys
    /// stand on the same lines.
    public static func decrypting(_ bytes: [UInt8], file: String, identities: [AgeIdentity]) throws -> SecretsBundle {
        let documents = try SOPSFile.decryptTree(bytes, file: file, identities: identities)
        guard let first = documents.first else {
            throw Diagnostic.error("\(file): the secrets file is empty", at: SourceLocation(file: file, line: 1, column: 1))
        }
        let bundle = try parse(try yamlNode(.branch(first), location: SourceLocation(file: file, line: 1, column: 1)), file: file)
        try bundle.validate(file: file)
        return bundle
    }

    /// The YAML node a parser would give for the decrypted value (comments dropped), with its positions.
    static func yamlNode(_ value: SOPSValue, location: SourceLocation?) throws -> YAMLNode {
        func scalar(_ text: String, _ kind: YAMLScalar.Kind) -> YAMLNode {
            YAMLNode(.scalar(YAMLScalar(text: text, kind: kind)), location: location)
        }
        switch value {
        case .string(let text), .time(let text): return scalar(text, .string)
        case .bytes:
            throw Diagnostic.error("the secrets bundle holds a value that is not UTF-8 text", at: location)
        case .int(let number): return scalar(String(number), .int)
        case .float(let number): return scalar(GoNumbers.yamlFloat(number), .float)
        case .bool(let flag): return scalar(flag ? "true" : "false", .bool)
        case .null: return scalar("null", .null)
        case .list(let items):
            var nodes: [YAMLNode] = []
            for case .value(let item, let itemLocation) in items { nodes.append(try yamlNode(item, location: itemLocation)) }
            return YAMLNode(.sequence(nodes), location: location)
        case .branch(let items):
            var pairs: [YAMLPair] = []
            var seen: [String: SourceLocation?] = [:]
            for case .pair(let pair) in items {
                if let first = seen[pair.key] {
                    let firstText = first.map { "line \($0.line), column \($0.column)" } ?? "an earlier line"
                    throw Diagnostic.error("mapping key \"\(pair.key)\" already defined at \(firstText)", at: pair.keyLocation)
                }
                seen[pair.key] = pair.keyLocation
                let key = YAMLNode(.scalar(YAMLScalar(text: pair.key, kind: .string)), location: pair.keyLocation)
                pairs.append(YAMLPair(key: key, value: try yamlNode(pair.value, location: pair.location)))
            }
            return YAMLNode(.mapping(pairs), location: location)
        }
    }
}
