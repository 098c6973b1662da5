import Diagnostics
import YAML

/// Talos's strategic merge of one typed value into another (`pkg/machinery/config/merge` semantics):
/// structs merge field by field, maps key by key, lists append unless the field is `merge:"replace"`,
/// network interfaces / VLANs / admission plugins merge by their key, zero scalars leave the old value.
enum StrategicMerge {
    static func merge(_ left: YAMLNode?, _ right: YAMLNode, _ type: FieldType, replace: Bool = false,
                      overwrite: Bool = false, path: ConfigPath) throws -> YAMLNode {
        if right.isNull { return left ?? right }
        guard let left, !left.isNull else { return right }
        switch type {
        case .string, .int, .opaque, .bool, .fileMode, .diskSize:
            if type != .bool && !overwrite && ConfigEncoding.isZero(right, type) { return left }
            return right
        case .structure(let name):
            if replace { return ConfigEncoding.isZero(right, type) ? left : right }
            return try mergeStruct(left, right, name, path: path)
        case .list:
            if replace { return right }
            return YAMLNode(.sequence((left.sequenceItems ?? []) + (right.sequenceItems ?? [])), location: left.location)
        case .keyedList(let element, let keys):
            if replace { return right }
            return try mergeKeyed(left, right, element: element, keys: keys, path: path)
        case .map(let element):
            if replace { return right }
            return try mergeMap(left, right, path: path) { key, old, new in
                try merge(old, new, element, path: path.appending(key: key))
            }
        case .unstructured:
            if replace { return right }
            return try mergeAny(left, right, path: path)
        case .args:
            return mergeMapOverwriting(left, right)
        }
    }

    private static func mergeStruct(_ left: YAMLNode, _ right: YAMLNode, _ name: String, path: ConfigPath) throws -> YAMLNode {
        var result = left
        for pair in right.mappingPairs ?? [] {
            guard let key = pair.key.scalar?.text, let field = ConfigSchema.field(key, of: name) else { continue }
            let merged = try merge(left[key], pair.value, field.type, replace: field.replace, overwrite: field.pointer,
                                   path: path.appending(key: key))
            result.set(key, merged)
        }
        return result
    }

    private static func mergeMap(_ left: YAMLNode, _ right: YAMLNode, path: ConfigPath,
                                 mergeValue: (String, YAMLNode, YAMLNode) throws -> YAMLNode) throws -> YAMLNode {
        var result = left
        for pair in right.mappingPairs ?? [] {
            guard let key = pair.key.scalar?.text else { continue }
            if let old = left[key], !old.isNull {
                result.set(key, try mergeValue(key, old, pair.value))
            } else {
                result.set(key, pair.value)
            }
        }
        return result
    }

    private static func mergeMapOverwriting(_ left: YAMLNode, _ right: YAMLNode) -> YAMLNode {
        var result = left
        for pair in right.mappingPairs ?? [] {
            if let key = pair.key.scalar?.text { result.set(key, pair.value) }
        }
        return result
    }

    /// `map[string]any` values: maps deep-merge, lists append, scalars of the same Go type overwrite.
    private static func mergeAny(_ left: YAMLNode, _ right: YAMLNode, path: ConfigPath) throws -> YAMLNode {
        switch (left.content, right.content) {
        case (.mapping, .mapping):
            return try mergeMap(left, right, path: path) { key, old, new in
                try mergeAny(old, new, path: path.appending(key: key))
            }
        case (.sequence(let a), .sequence(let b)):
            return YAMLNode(.sequence(a + b), location: left.location)
        case (.scalar(let a), .scalar(let b)) where goType(a) == goType(b):
            if b.kind != .bool && ConfigEncoding.isZero(right, .opaque) { return left }
            return right
        default:
            throw path.error("merge type mismatch: cannot merge \(right.kindDescription) into \(left.kindDescription)", at: right)
        }
    }

    private static func goType(_ scalar: YAMLScalar) -> YAMLScalar.Kind { scalar.kind }

    private static func mergeKeyed(_ left: YAMLNode, _ right: YAMLNode, element: String, keys: [String],
                                   path: ConfigPath) throws -> YAMLNode {
        var items = left.sequenceItems ?? []
        for item in right.sequenceItems ?? [] {
            if let index = items.firstIndex(where: { matches($0, item, keys: keys) }) {
                items[index] = try merge(items[index], item, .structure(element), path: path.appending(index: index))
            } else {
                items.append(item)
            }
        }
        return YAMLNode(.sequence(items), location: left.location)
    }

    /// Keyed-list identity: the first key that is set on the patch item decides (an interface name,
    /// else a device selector; a VLAN ID; an admission plugin name).
    private static func matches(_ existing: YAMLNode, _ item: YAMLNode, keys: [String]) -> Bool {
        for key in keys {
            guard let value = item[key], !value.isNull, !ConfigEncoding.isZero(value, .opaque) || value.mappingPairs != nil else {
                continue
            }
            guard let other = existing[key], !other.isNull else { return false }
            return other.withoutLocations == value.withoutLocations
        }
        return false
    }
}
