import Diagnostics
import YAML

/// Typed reads from a parsed talconfig with positions in every error, and warnings for keys talhelper
/// would silently ignore.
struct TalconfigReader {
    let file: String
    let strict: Bool
    var warnings: [Diagnostic] = []

    init(file: String, strict: Bool) {
        self.file = file
        self.strict = strict
    }

    func describe(_ path: String, _ node: YAMLNode) -> String {
        if let location = node.location { return "`\(path)` (line \(location.line), column \(location.column))" }
        return "`\(path)`"
    }

    func mismatch(_ path: String, _ expected: String, _ node: YAMLNode) -> Diagnostic {
        Diagnostic.error("\(describe(path, node)): expected \(expected), found \(node.kindDescription)", at: node.location)
    }

    /// The mapping's pairs; unknown keys become warnings (errors under strict).
    mutating func mapping(_ node: YAMLNode, path: String, known: Set<String>) throws -> [String: YAMLNode] {
        guard let pairs = node.mappingPairs else { throw mismatch(path, "a mapping", node) }
        var values: [String: YAMLNode] = [:]
        for pair in pairs {
            guard let key = pair.key.scalar?.text else { throw mismatch(path, "string keys", pair.key) }
            if known.contains(key) {
                values[key] = pair.value
            } else {
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                let message = "unknown field `\(keyPath)` (talhelper ignores it)"
                if strict { throw Diagnostic.error(message, at: pair.key.location) }
                warnings.append(.warning(message, at: pair.key.location))
            }
        }
        return values
    }

    // Paths are autoclosures: only an error spells one out, and a node's ~25 fields are read per node.

    func string(_ node: YAMLNode?, path: @autoclosure () -> String) throws -> String? {
        guard let node, !node.isNull else { return nil }
        guard let scalar = node.scalar else { throw mismatch(path(), "a string", node) }
        return scalar.text
    }

    func bool(_ node: YAMLNode?, path: @autoclosure () -> String) throws -> Bool? {
        guard let node, !node.isNull else { return nil }
        guard let value = node.scalar?.goBool else { throw mismatch(path(), "a boolean", node) }
        return value
    }

    func strings(_ node: YAMLNode?, path: @autoclosure () -> String) throws -> [String]? {
        guard let node, !node.isNull else { return nil }
        let path = path()
        guard let items = node.sequenceItems else { throw mismatch(path, "a list of strings", node) }
        return try items.enumerated().map { index, item in
            guard let text = try string(item, path: "\(path)[\(index)]") else { throw mismatch("\(path)[\(index)]", "a string", item) }
            return text
        }
    }

    func stringMap(_ node: YAMLNode?, path: @autoclosure () -> String) throws -> [(String, String)]? {
        guard let node, !node.isNull else { return nil }
        let path = path()
        guard let pairs = node.mappingPairs else { throw mismatch(path, "a mapping of strings", node) }
        return try pairs.map { pair in
            guard let key = pair.key.scalar?.text else { throw mismatch(path, "string keys", pair.key) }
            return (key, try string(pair.value, path: "\(path).\(key)") ?? "")
        }
    }

    /// A value of a Talos config type (network interfaces, disk selectors, files…), checked like Talos checks it;
    /// unknown fields are dropped with a warning, as talhelper's decoder drops them (errors under strict).
    mutating func talosValue(_ node: YAMLNode?, _ type: FieldType, path: @autoclosure () -> String) throws -> YAMLNode? {
        guard let node, !node.isNull else { return nil }
        let sink = UnknownFieldSink(strict: strict)
        let value = try ConfigEncoding.canonical(node, type, path: .named(path()), fill: false, unknownFields: sink)
        warnings += sink.warnings
        return value
    }

    /// talhelper's file-like lists (`machineFiles`, `inlineManifests`): Talos's type plus `skipEnvsubst`.
    mutating func itemsWithSkipEnvsubst(_ node: YAMLNode?, element: String, path: @autoclosure () -> String) throws -> YAMLNode? {
        guard let node, !node.isNull else { return nil }
        let path = path()
        guard let items = node.sequenceItems else { throw mismatch(path, "a list", node) }
        var checked: [YAMLNode] = []
        for (index, item) in items.enumerated() {
            var value = item
            let skip = try bool(item["skipEnvsubst"], path: "\(path)[\(index)].skipEnvsubst") ?? false
            value.remove("skipEnvsubst")
            var typed = try talosValue(value, .structure(element), path: "\(path)[\(index)]") ?? value
            if skip { typed.set("skipEnvsubst", .bool(true)) }
            checked.append(typed)
        }
        return YAMLNode(.sequence(checked), location: node.location)
    }
}
