import FoundationEssentials
import Glibc
import Diagnostics
import SystemKit
import YAML

/// Decodes a config document against its Talos type and encodes it back the way Talos's Go encoder does:
/// struct fields in declaration order, `omitempty` zero values dropped, non-`omitempty` fields written
/// even when unset, map keys sorted, scalars converted to the field's type.
///
/// Unknown fields and values of the wrong shape are errors, as Talos's strict decoder reports them.
enum ConfigEncoding {
    /// The document as Talos would write it.
    ///
    /// `previous` is the canonical form of the document this one was edited from (a node's fields set on
    /// the generated config, a patch merged into it): subtrees the edit left untouched are still that
    /// document's canonical subtrees, and canonical form is idempotent, so they are taken as they are
    /// instead of being re-encoded — per node, only what changed is.
    static func canonical(document: YAMLNode, editedFrom previous: YAMLNode? = nil) throws -> YAMLNode {
        let typeName = try documentType(of: document)
        let reference = try previous.flatMap { try documentType(of: $0) == typeName ? $0 : nil }
        return try canonical(document, .structure(typeName), path: .root, fill: true, reference: reference)
    }

    /// The document checked and typed, without Talos's zero-value fields (for patches, where an
    /// absent field means "leave alone").
    static func decodedPatch(document: YAMLNode) throws -> YAMLNode {
        let typeName = try documentType(of: document)
        return try canonical(document, .structure(typeName), path: .root, fill: false)
    }

    /// The Go struct a document decodes into.
    static func documentType(of document: YAMLNode) throws -> String {
        guard document.mappingPairs != nil else {
            throw ConfigPath.root.error("expected a config document (a mapping), found \(document.kindDescription)", at: document)
        }
        let kind = document.string("kind")
        if kind == nil, let version = document.string("version"), version != "v1alpha1" {
            throw ConfigPath.root.appending(key: "version").error("unsupported config version \"\(version)\"", at: document["version"])
        }
        guard let typeName = ConfigSchema.documentType(kind: kind) else {
            throw ConfigPath.root.appending(key: "kind").error("unknown config document kind \"\(kind ?? "")\"", at: document["kind"])
        }
        return typeName
    }

    /// The identity strategic merge matches documents by: apiVersion/kind/name.
    static func documentID(of document: YAMLNode) -> String {
        let apiVersion = document.string("apiVersion") ?? ""
        let kind = document.string("kind") ?? "v1alpha1"
        var id = apiVersion + "/" + kind
        if document.string("kind") != nil, let name = document.string("name") { id += "/" + name }
        return id
    }

    /// `reference`, when given, is canonical (with `fill`) and was `node` before an edit; see
    /// `canonical(document:editedFrom:)`.
    static func canonical(_ node: YAMLNode, _ type: FieldType, path: ConfigPath, fill: Bool,
                          unknownFields: UnknownFieldSink? = nil, reference: YAMLNode? = nil) throws -> YAMLNode {
        if let reference, fill, node.isSameNode(as: reference) { return reference }
        if node.isNull { return node }
        switch type {
        case .string:
            guard var scalar = node.scalar else { throw mismatch(path, "a string", node) }
            scalar.kind = .string
            scalar.style = .plain
            return YAMLNode(.scalar(scalar), location: node.location)
        case .bool:
            guard let value = node.scalar?.goBool else { throw mismatch(path, "a boolean", node) }
            return YAMLNode(.scalar(YAMLScalar(text: value ? "true" : "false", kind: .bool)), location: node.location)
        case .int:
            guard let scalar = node.scalar, scalar.kind == .int else { throw mismatch(path, "an integer", node) }
            return YAMLNode(.scalar(YAMLScalar(text: scalar.text, kind: .int)), location: node.location)
        case .opaque:
            return plainStyled(node)
        case .fileMode:
            guard let scalar = node.scalar, scalar.kind == .int, let mode = goInteger(scalar.text), mode >= 0 else {
                throw mismatch(path, "a file mode (an integer such as 0o644)", node)
            }
            return YAMLNode(.scalar(YAMLScalar(text: "0o" + String(mode, radix: 8), kind: .int)), location: node.location)
        case .diskSize:
            guard let scalar = node.scalar, let bytes = HumanBytes.parse(scalar.text) else {
                throw mismatch(path, "a disk size (bytes or e.g. 100GB)", node)
            }
            return HumanBytes.encoded(bytes)
        case .structure(let name):
            return try canonicalStruct(node, name, path: path, fill: fill, unknownFields: unknownFields, reference: reference)
        case .list(let element):
            guard let items = node.sequenceItems else { throw mismatch(path, "a sequence", node) }
            var out: [YAMLNode] = []
            for (index, item) in items.enumerated() {
                // A null item of a []string is Go's empty string.
                if item.isNull, element == .string {
                    out.append(.string(""))
                    continue
                }
                out.append(try canonical(item, element, path: path.appending(index: index), fill: fill, unknownFields: unknownFields))
            }
            return YAMLNode(.sequence(out), location: node.location)
        case .keyedList(let element, _):
            return try canonical(node, .list(.structure(element)), path: path, fill: fill, unknownFields: unknownFields)
        case .map(let element):
            guard let pairs = node.mappingPairs else { throw mismatch(path, "a mapping", node) }
            var out: [YAMLPair] = []
            for pair in pairs {
                let key = try mapKey(pair.key, path: path)
                var value = try canonical(pair.value, element, path: path.appending(key: key), fill: fill, unknownFields: unknownFields)
                if value.isNull, element == .string { value = .string("") }
                out.append(YAMLPair(key: .string(key), value: value))
            }
            return YAMLNode(.mapping(sortedByGoKeyOrder(out)), location: node.location)
        case .unstructured:
            guard node.mappingPairs != nil else { throw mismatch(path, "a mapping", node) }
            return try unstructured(node, path: path)
        case .args:
            guard let pairs = node.mappingPairs else { throw mismatch(path, "a mapping", node) }
            var out: [YAMLPair] = []
            for pair in pairs {
                let key = try mapKey(pair.key, path: path)
                let valuePath = path.appending(key: key)
                let value: YAMLNode
                if pair.value.sequenceItems != nil {
                    value = try canonical(pair.value, .list(.string), path: valuePath, fill: fill, unknownFields: unknownFields)
                } else {
                    value = try canonical(pair.value, .string, path: valuePath, fill: fill, unknownFields: unknownFields)
                }
                out.append(YAMLPair(key: .string(key), value: value))
            }
            return YAMLNode(.mapping(sortedByGoKeyOrder(out)), location: node.location)
        }
    }

    private static func canonicalStruct(_ node: YAMLNode, _ name: String, path: ConfigPath, fill: Bool,
                                        unknownFields: UnknownFieldSink? = nil, reference: YAMLNode? = nil) throws -> YAMLNode {
        guard let pairs = node.mappingPairs else { throw mismatch(path, "a mapping", node) }
        let layout = ConfigSchema.layout(of: name)
        let referencePairs = reference?.mappingPairs ?? []
        // The values present, by their key's slot (a later duplicate key wins, as in a dictionary): an index
        // into `values` per slot, so a struct with dozens of fields and a handful set does not make, fill
        // and free a node-sized optional per field.
        var valueIndex = [Int](repeating: -1, count: layout.fields.count)
        var values: [YAMLNode] = []
        values.reserveCapacity(pairs.count)
        var position = 0
        for (index, pair) in pairs.enumerated() {
            guard let key = pair.key.scalar?.text else { throw mismatch(path, "string keys", pair.key) }
            guard let (slot, field) = layout.entry(key, near: &position) else {
                let diagnostic = Diagnostic.error("unknown field `\(key)` in `\(path)`", at: pair.key.location ?? pair.value.location)
                guard let unknownFields else { throw diagnostic }
                try unknownFields.report(diagnostic)
                continue
            }
            let value = try canonical(pair.value, field.type, path: path.appending(key: key), fill: fill, unknownFields: unknownFields,
                                      reference: referenceValue(key, in: referencePairs, near: index))
            if valueIndex[slot] >= 0 {
                values[valueIndex[slot]] = value
            } else {
                valueIndex[slot] = values.count
                values.append(value)
            }
        }
        if name == "v1alpha1.ClusterInlineManifest", let slot = layout.byKey["contents"]?.slot, valueIndex[slot] >= 0,
           let contents = values[valueIndex[slot]].scalar {
            // Talos trims leading whitespace from inline manifests when it reads them.
            let trimmed = contents.text.drop { "\t\n\u{0B}\u{0C}\r".contains($0) }
            values[valueIndex[slot]] = .string(String(trimmed))
        }
        var out: [YAMLPair] = []
        out.reserveCapacity(min(layout.fields.count, values.count + (fill ? layout.alwaysWritten : 0)))
        for (field, slot) in zip(layout.fields, layout.slots) {
            if valueIndex[slot] >= 0 {
                let value = values[valueIndex[slot]]
                if value.isNull {
                    if field.omitEmpty || !fill { continue }
                    out.append(YAMLPair(field.key, field.pointer ? .null : zeroValue(field.type)))
                } else if field.omitEmpty && !field.pointer && isZero(value, field.type) && fill {
                    continue
                } else {
                    out.append(YAMLPair(field.key, value))
                }
            } else if fill && !field.omitEmpty {
                out.append(YAMLPair(field.key, field.pointer ? .null : zeroValue(field.type)))
            }
        }
        return YAMLNode(.mapping(out), location: node.location)
    }

    /// The value of `key` in a reference struct's pairs; an edit mostly keeps the order, so `index` is
    /// looked at first.
    private static func referenceValue(_ key: String, in pairs: [YAMLPair], near index: Int) -> YAMLNode? {
        if pairs.isEmpty { return nil }
        if index < pairs.count, pairs[index].key.scalar?.text == key { return pairs[index].value }
        return pairs.first { $0.key.scalar?.text == key }?.value
    }

    /// What Go writes for a field that was never set.
    static func zeroValue(_ type: FieldType) -> YAMLNode {
        switch type {
        case .string, .opaque: return .string("")
        case .fileMode: return YAMLNode(.scalar(YAMLScalar(text: "0o0", kind: .int)))
        case .diskSize: return .int(0)
        case .bool: return .bool(false)
        case .int: return .int(0)
        case .list, .keyedList: return .sequence([])
        case .map, .unstructured, .args: return .mapping([])
        case .structure(let name):
            // Only reached for fields with `fill`; an empty struct gets its own non-omitempty zeros — the
            // same tree every time, so built once per struct type.
            return structZeros.value(name) { (try? canonicalStruct(.mapping([]), name, path: .root, fill: true)) ?? .mapping([]) }
        }
    }

    private static let structZeros = StructZeros()

    /// The zero value of each struct type, built on first use; thread-safe.
    private final class StructZeros: @unchecked Sendable {
        private let lock = Lock()
        private var zeros: [String: YAMLNode] = [:]

        func value(_ name: String, build: () -> YAMLNode) -> YAMLNode {
            if let known = lock.withLock({ zeros[name] }) { return known }
            let zero = build()
            lock.withLock { zeros[name] = zero }
            return zero
        }
    }

    /// yaml.v3's `omitempty` test for a canonical value.
    static func isZero(_ node: YAMLNode, _ type: FieldType) -> Bool {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return true
            case .string: return scalar.text.isEmpty
            case .bool: return scalar.text == "false"
            case .int: return goInteger(scalar.text) == 0
            case .float: return Double(scalar.text) == 0
            }
        case .sequence(let items): return items.isEmpty
        case .mapping(let pairs):
            guard case .structure(let name) = type else { return pairs.isEmpty }
            if pairs.isEmpty { return true }
            let layout = ConfigSchema.layout(of: name)
            var position = 0
            for pair in pairs {
                guard let key = pair.key.scalar?.text, let field = layout.entry(key, near: &position)?.field else { return false }
                if field.pointer ? !pair.value.isNull : !isZero(pair.value, field.type) { return false }
            }
            return true
        }
    }

    /// An integer literal as Go's yaml.v3 reads it (decimal, `0o`/leading-zero octal, `0x` hex, `0b` binary).
    static func goInteger(_ text: String) -> Int? {
        // Underscores are rare: skip Foundation's search unless the text has one.
        var body = text.utf8.contains(UInt8(ascii: "_")) ? Substring(text.replacingAll("_", with: "")) : Substring(text)
        var sign = 1
        if body.hasPrefix("-") || body.hasPrefix("+") {
            if body.hasPrefix("-") { sign = -1 }
            body = body.dropFirst()
        }
        let value: Int?
        if body.hasPrefix("0o") || body.hasPrefix("0O") { value = Int(body.dropFirst(2), radix: 8) }
        else if body.hasPrefix("0x") || body.hasPrefix("0X") { value = Int(body.dropFirst(2), radix: 16) }
        else if body.hasPrefix("0b") || body.hasPrefix("0B") { value = Int(body.dropFirst(2), radix: 2) }
        else if body.count > 1 && body.hasPrefix("0") { value = Int(body.dropFirst(), radix: 8) }
        else { value = Int(body) }
        return value.map { $0 * sign }
    }

    private static func unstructured(_ node: YAMLNode, path: ConfigPath) throws -> YAMLNode {
        switch node.content {
        case .scalar: return plainStyled(node)
        case .sequence(let items):
            var out: [YAMLNode] = []
            for (index, item) in items.enumerated() { out.append(try unstructured(item, path: path.appending(index: index))) }
            return YAMLNode(.sequence(out), location: node.location)
        case .mapping(let pairs):
            var out: [YAMLPair] = []
            for pair in pairs {
                let key = try mapKey(pair.key, path: path)
                out.append(YAMLPair(key: .string(key), value: try unstructured(pair.value, path: path.appending(key: key))))
            }
            return YAMLNode(.mapping(sortedByGoKeyOrder(out)), location: node.location)
        }
    }

    private static func plainStyled(_ node: YAMLNode) -> YAMLNode {
        guard var scalar = node.scalar else { return node }
        scalar.style = .plain
        return YAMLNode(.scalar(scalar), location: node.location)
    }

    private static func mapKey(_ key: YAMLNode, path: ConfigPath) throws -> String {
        guard let scalar = key.scalar else { throw mismatch(path, "string keys", key) }
        return scalar.text
    }

    static func sortedByGoKeyOrder(_ pairs: [YAMLPair]) -> [YAMLPair] {
        func less(_ a: YAMLPair, _ b: YAMLPair) -> Bool { GoMapKeySort.less(a.key.scalar?.text ?? "", b.key.scalar?.text ?? "") }
        // Mostly in order already (a canonical map re-encoded, a small map written sorted): one pass tells,
        // and the (stable) sort would leave such pairs as they are.
        if zip(pairs, pairs.dropFirst()).allSatisfy({ !less($1, $0) }) { return pairs }
        return pairs.sorted(by: less)
    }

    private static func mismatch(_ path: ConfigPath, _ expected: String, _ node: YAMLNode) -> Diagnostic {
        path.error("expected \(expected), found \(node.kindDescription)", at: node)
    }
}

/// Where unknown fields go when a caller reads input the way talhelper does (its decoder drops them):
/// warnings, or errors in strict mode.
final class UnknownFieldSink {
    let strict: Bool
    private(set) var warnings: [Diagnostic] = []

    init(strict: Bool) {
        self.strict = strict
    }

    func report(_ diagnostic: Diagnostic) throws {
        let message = diagnostic.message + " (talhelper ignores it)"
        if strict { throw Diagnostic.error(message, at: diagnostic.location) }
        warnings.append(.warning(message, at: diagnostic.location))
    }
}
