import FoundationEssentials
import Glibc
import Diagnostics
import SystemKit
import YAML

/// One RFC 6902 operation (`add`, `remove`, `replace`, `move`, `copy`, `test`).
public struct JSONPatchOperation: Sendable, Hashable {
    public enum Op: String, Sendable, Hashable { case add, remove, replace, move, copy, test }

    public var op: Op
    public var path: String
    public var from: String?
    public var value: YAMLNode?
    public var location: SourceLocation?

    init(_ node: YAMLNode, file: String) throws {
        guard node.mappingPairs != nil else {
            throw Diagnostic.error("expected a JSON patch operation (a mapping), found \(node.kindDescription)", at: node.location)
        }
        guard let opName = node.string("op") else {
            throw Diagnostic.error("JSON patch operation has no `op`", at: node.location)
        }
        guard let op = Op(rawValue: opName) else {
            throw Diagnostic.error("unknown JSON patch operation \"\(opName)\"", at: node["op"]?.location ?? node.location)
        }
        guard let path = node.string("path") else {
            throw Diagnostic.error("JSON patch operation has no `path`", at: node.location)
        }
        self.op = op
        self.path = path
        self.from = node.string("from")
        self.value = node["value"]
        self.location = node.location
        if (op == .add || op == .replace || op == .test) && value == nil {
            throw Diagnostic.error("JSON patch `\(opName)` operation needs a `value`", at: node.location)
        }
        if (op == .move || op == .copy) && from == nil {
            throw Diagnostic.error("JSON patch `\(opName)` operation needs a `from`", at: node.location)
        }
    }
}

/// RFC 6902 applied to a YAML tree (JSON is the subset it needs).
enum JSONPatch {
    static func apply(_ operations: [JSONPatchOperation], to document: YAMLNode) throws -> YAMLNode {
        var root = document
        for operation in operations {
            try apply(operation, to: &root)
        }
        return root
    }

    private static func apply(_ operation: JSONPatchOperation, to root: inout YAMLNode) throws {
        func fail(_ message: String) -> Diagnostic {
            Diagnostic.error("failure applying rfc6902 patches to talos machine config: \(operation.op.rawValue) \(operation.path): \(message)",
                             at: operation.location)
        }
        let path = try pointer(operation.path, fail: fail)
        switch operation.op {
        case .add:
            try add(operation.value!, at: path, in: &root, fail: fail)
        case .remove:
            _ = try remove(at: path, in: &root, fail: fail)
        case .replace:
            _ = try remove(at: path, in: &root, fail: fail)
            try add(operation.value!, at: path, in: &root, fail: fail)
        case .move:
            let from = try pointer(operation.from!, fail: fail)
            let value = try remove(at: from, in: &root, fail: fail)
            try add(value, at: path, in: &root, fail: fail)
        case .copy:
            let from = try pointer(operation.from!, fail: fail)
            guard let value = lookup(from, in: root) else { throw fail("missing value at \(operation.from!)") }
            try add(value, at: path, in: &root, fail: fail)
        case .test:
            guard let value = lookup(path, in: root) else { throw fail("missing value") }
            if jsonValue(value) != jsonValue(operation.value!) { throw fail("testing value failed") }
        }
    }

    private static func pointer(_ text: String, fail: (String) -> Diagnostic) throws -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw fail("a JSON pointer starts with /") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingAll("~1", with: "/").replacingAll("~0", with: "~")
        }
    }

    private static func lookup(_ path: [String], in node: YAMLNode) -> YAMLNode? {
        var current = node
        for token in path {
            switch current.content {
            case .mapping:
                guard let next = current[token] else { return nil }
                current = next
            case .sequence(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            case .scalar:
                return nil
            }
        }
        return current
    }

    private static func add(_ value: YAMLNode, at path: [String], in node: inout YAMLNode,
                            fail: (String) -> Diagnostic) throws {
        guard let token = path.first else {
            node = value
            return
        }
        let rest = Array(path.dropFirst())
        switch node.content {
        case .mapping(var pairs):
            if rest.isEmpty {
                if let index = pairs.firstIndex(where: { $0.key.scalar?.text == token }) {
                    pairs[index].value = value
                } else {
                    pairs.append(YAMLPair(token, value))
                }
            } else {
                guard let index = pairs.firstIndex(where: { $0.key.scalar?.text == token }) else {
                    throw fail("doc is missing path: \(token)")
                }
                try add(value, at: rest, in: &pairs[index].value, fail: fail)
            }
            node.content = .mapping(pairs)
        case .sequence(var items):
            if rest.isEmpty {
                if token == "-" {
                    items.append(value)
                } else {
                    guard let index = Int(token), index >= 0, index <= items.count else { throw fail("index out of bounds") }
                    items.insert(value, at: index)
                }
            } else {
                guard let index = Int(token), items.indices.contains(index) else { throw fail("index out of bounds") }
                try add(value, at: rest, in: &items[index], fail: fail)
            }
            node.content = .sequence(items)
        case .scalar:
            throw fail("cannot add into a scalar")
        }
    }

    private static func remove(at path: [String], in node: inout YAMLNode, fail: (String) -> Diagnostic) throws -> YAMLNode {
        guard let token = path.first else { throw fail("cannot remove the document root") }
        let rest = Array(path.dropFirst())
        switch node.content {
        case .mapping(var pairs):
            guard let index = pairs.firstIndex(where: { $0.key.scalar?.text == token }) else {
                throw fail("doc is missing key: \(token)")
            }
            let removed: YAMLNode
            if rest.isEmpty {
                removed = pairs.remove(at: index).value
            } else {
                removed = try remove(at: rest, in: &pairs[index].value, fail: fail)
            }
            node.content = .mapping(pairs)
            return removed
        case .sequence(var items):
            guard let index = Int(token), items.indices.contains(index) else { throw fail("index out of bounds") }
            let removed: YAMLNode
            if rest.isEmpty {
                removed = items.remove(at: index)
            } else {
                removed = try remove(at: rest, in: &items[index], fail: fail)
            }
            node.content = .sequence(items)
            return removed
        case .scalar:
            throw fail("doc is missing path")
        }
    }

    /// Values compared as JSON compares them (key order and formatting ignored).
    private indirect enum JSONValue: Equatable {
        case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])
    }

    private static func jsonValue(_ node: YAMLNode) -> JSONValue {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return .null
            case .bool: return .bool(scalar.text == "true")
            case .int, .float: return .number(Double(scalar.text) ?? 0)
            case .string: return .string(scalar.text)
            }
        case .sequence(let items): return .array(items.map(jsonValue))
        case .mapping(let pairs):
            var object: [String: JSONValue] = [:]
            for pair in pairs { object[pair.key.scalar?.text ?? ""] = jsonValue(pair.value) }
            return .object(object)
        }
    }
}
