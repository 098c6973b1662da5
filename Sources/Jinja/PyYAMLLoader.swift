// Values files read as PyYAML's safe_load reads them: YAML 1.1 typing, timestamps as date/datetime,
// the last of duplicate keys winning, one shared object for an anchor and its aliases, tagged
// scalars typed by their tag (`!!bool yes`), and unknown tags refused.
import Diagnostics
import SystemKit
import YAML

extension Value {
    /// The value PyYAML's `yaml.safe_load(text)` gives, for `talos-batch render --values`.
    public static func pyyamlDocument(_ text: String, file: String) throws -> Value {
        let options = YAMLParseOptions(rejectDuplicateKeys: false, checkCoreTags: false)
        let node = try YAML.parseDocument(text, file: file, options: options)
        var loader = PyYAMLLoader()
        do {
            return try loader.value(node)
        } catch let e as EvalError {
            throw Diagnostic.error(e.message, at: loader.lastLocation ?? SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

/// One safe_load: collections already built, by where their anchored node starts.
struct PyYAMLLoader {
    private struct CollectionKey: Hashable {
        let location: SourceLocation
        let isMapping: Bool
    }

    private var built: [CollectionKey: Value] = [:]
    /// The node being converted, for an error's position.
    private(set) var lastLocation: SourceLocation?

    private static func normalized(_ tag: String?) -> String? {
        guard let tag else { return nil }
        if tag.hasPrefix("tag:yaml.org,2002:") { return "!!" + tag.dropFirst("tag:yaml.org,2002:".count) }
        return tag
    }

    mutating func value(_ node: YAMLNode) throws -> Value {
        lastLocation = node.location
        let tag = Self.normalized(node.tag)
        let key = (node.aliasedFrom ?? node.location).map { location -> CollectionKey in
            if case .mapping = node.content { return CollectionKey(location: location, isMapping: true) }
            return CollectionKey(location: location, isMapping: false)
        }
        switch node.content {
        case .scalar(let s):
            return try scalar(s, tag: tag)
        case .sequence(let items):
            guard tag == nil || tag == "!" || tag == "!!seq" else { throw unknown(tag!) }
            if let key, let shared = built[key] { return shared }
            let list = ListStorage()
            if let key { built[key] = .list(list) }
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try value(item)) }
            list.items = values
            return .list(list)
        case .mapping(let pairs):
            guard tag == nil || tag == "!" || tag == "!!map" else { throw unknown(tag!) }
            if let key, let shared = built[key] { return shared }
            let dict = DictStorage()
            if let key { built[key] = .dict(dict) }
            for pair in pairs {
                let k = try value(pair.key)
                guard HashKey(k) != nil else { throw EvalError.runtime("while constructing a mapping found unhashable key") }
                dict[k] = try value(pair.value)
            }
            return .dict(dict)
        }
    }

    /// An integer past 64 bits, in PyYAML's int syntax (decimal, 0x, 0b, leading-0 octal).
    private static func bigInt(_ text: String) -> PyBigInt? {
        var body = text.replacingAll("_", with: "")
        var sign = ""
        if body.hasPrefix("-") || body.hasPrefix("+") { sign = String(body.removeFirst()) }
        if body.hasPrefix("0x") { return PyBigInt.parse(sign + body.dropFirst(2), radix: 16) }
        if body.hasPrefix("0b") { return PyBigInt.parse(sign + body.dropFirst(2), radix: 2) }
        if body.hasPrefix("0"), body.count > 1 { return PyBigInt.parse(sign + body.dropFirst(), radix: 8) }
        return PyBigInt.parse(sign + body, radix: 10)
    }

    private func unknown(_ tag: String) -> EvalError {
        EvalError.runtime("could not determine a constructor for the tag '\(tag)'")
    }

    private func scalar(_ s: YAMLScalar, tag: String?) throws -> Value {
        switch tag {
        case nil:
            if s.style == .plain, let stamp = try PyDateTime.parse(s.text) { return .object(stamp) }
            let v = Value(yaml: YAMLNode(.scalar(s)), resolution: .pyyaml)
            if case .string = v, s.style == .plain, YAMLResolver.pyyamlKind(s.text) == .int, let big = Self.bigInt(s.text) { return .integer(big.value) }
            return v
        case "!", "!!str":
            return .string(s.text)
        case "!!timestamp":
            guard let stamp = try PyDateTime.parse(s.text) else { throw EvalError.runtime("invalid timestamp '\(s.text)'") }
            return .object(stamp)
        case "!!bool":
            switch s.text.lowercased() {
            case "yes", "true", "on": return .bool(true)
            case "no", "false", "off": return .bool(false)
            default: throw EvalError.runtime("invalid boolean '\(s.text)'")
            }
        case "!!int", "!!float", "!!null":
            let v = Value(yaml: YAMLNode(.scalar(s), tag: tag), resolution: .pyyaml)
            if case .string = v, tag != "!!null" { throw EvalError.runtime("invalid literal for \(tag!): '\(s.text)'") }
            return v
        default:
            throw unknown(tag!)
        }
    }
}
