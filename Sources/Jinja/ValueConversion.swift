// Building template values from parsed YAML/JSON data and from Swift literals.
import SystemKit
import YAML

extension Value {
    /// How plain YAML scalars become template values.
    public enum YAMLResolution: Sendable {
        /// As PyYAML's safe_load reads them (YAML 1.1: `yes`/`on` are booleans, `0777` is octal,
        /// `1e3` is a string): what jinja2-cli and Python scripts hand to Jinja2.
        case pyyaml
        /// As the YAML module resolved them (yaml.v3 / YAML 1.2 core).
        case yamlModule
    }

    /// The value a template sees for a YAML node: mappings keep key order; scalars become
    /// str/int/float/bool/None — by default exactly as PyYAML would load them.
    public init(yaml node: YAMLNode, resolution: YAMLResolution = .pyyaml) {
        switch node.content {
        case .scalar(let s):
            self = resolution == .pyyaml ? Value.pyyamlScalar(s, tag: node.tag) : Value.scalar(s)
        case .sequence(let items):
            self = .list(items.map { Value(yaml: $0, resolution: resolution) })
        case .mapping(let pairs):
            let d = DictStorage()
            for pair in pairs { d[Value(yaml: pair.key, resolution: resolution)] = Value(yaml: pair.value, resolution: resolution) }
            self = .dict(d)
        }
    }

    /// PyYAML's implicit resolvers and constructors for one scalar (timestamps stay strings).
    private static func pyyamlScalar(_ s: YAMLScalar, tag: String?) -> Value {
        if let tag, tag != "!" {
            switch tag {
            case "!!str", "tag:yaml.org,2002:str": return .string(s.text)
            case "!!int", "tag:yaml.org,2002:int": return pyyamlInt(s.text).map { .int($0) } ?? .string(s.text)
            case "!!float", "tag:yaml.org,2002:float": return pyyamlFloat(s.text).map { .float($0) } ?? .string(s.text)
            case "!!bool", "tag:yaml.org,2002:bool": return .bool(["yes", "true", "on"].contains(s.text.lowercased()))
            case "!!null", "tag:yaml.org,2002:null": return .none
            default: break
            }
        }
        guard s.style == .plain else { return .string(s.text) }
        switch YAMLResolver.pyyamlKind(s.text) {
        case .bool: return .bool(["yes", "true", "on"].contains(s.text.lowercased()))
        case .int: return pyyamlInt(s.text).map { .int($0) } ?? .string(s.text)
        case .float: return pyyamlFloat(s.text).map { .float($0) } ?? .string(s.text)
        case .null: return .none
        case .string: return .string(s.text)
        }
    }

    /// PyYAML's construct_yaml_int: `_` ignored, 0b/0x/leading-0 octal, sexagesimal `a:b`.
    private static func pyyamlInt(_ text: String) -> Int? {
        var value = text.replacingAll("_", with: "")
        var sign = 1
        if value.hasPrefix("-") { sign = -1; value.removeFirst() } else if value.hasPrefix("+") { value.removeFirst() }
        if value == "0" { return 0 }
        if value.hasPrefix("0b") { return Int(value.dropFirst(2), radix: 2).map { sign * $0 } }
        if value.hasPrefix("0x") { return Int(value.dropFirst(2), radix: 16).map { sign * $0 } }
        if value.hasPrefix("0") { return Int(value.dropFirst(), radix: 8).map { sign * $0 } }
        if value.contains(":") {
            var result = 0, base = 1
            for part in value.split(separator: ":").reversed() {
                guard let digit = Int(part) else { return nil }
                result += digit * base
                base *= 60
            }
            return sign * result
        }
        return Int(value).map { sign * $0 }
    }

    /// PyYAML's construct_yaml_float.
    private static func pyyamlFloat(_ text: String) -> Double? {
        var value = text.replacingAll("_", with: "").lowercased()
        var sign = 1.0
        if value.hasPrefix("-") { sign = -1; value.removeFirst() } else if value.hasPrefix("+") { value.removeFirst() }
        if value == ".inf" { return sign * .infinity }
        if value == ".nan" { return .nan }
        if value.contains(":") {
            var result = 0.0, base = 1.0
            for part in value.split(separator: ":").reversed() {
                guard let digit = Double(part) else { return nil }
                result += digit * base
                base *= 60
            }
            return sign * result
        }
        return Double(value).map { sign * $0 }
    }

    /// The YAML module's own resolution (yaml.v3 kinds).
    private static func scalar(_ s: YAMLScalar) -> Value {
        switch s.kind {
        case .string: return .string(s.text)
        case .null: return .none
        case .bool: return .bool(["true", "yes", "on", "y"].contains(s.text.lowercased()))
        case .int:
            if let i = parseInt(s.text) { return .int(i) }
            return Double(s.text).map { .float($0) } ?? .string(s.text)
        case .float:
            switch s.text.lowercased() {
            case ".inf", "+.inf": return .float(.infinity)
            case "-.inf": return .float(-.infinity)
            case ".nan": return .float(.nan)
            default: return Double(s.text.replacingAll("_", with: "")).map { .float($0) } ?? .string(s.text)
            }
        }
    }

    private static func parseInt(_ text: String) -> Int? {
        var t = text.replacingAll("_", with: "")
        var negative = false
        if t.hasPrefix("-") { negative = true; t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        var radix = 10
        let lower = t.lowercased()
        if lower.hasPrefix("0x") { radix = 16; t.removeFirst(2) }
        else if lower.hasPrefix("0o") { radix = 8; t.removeFirst(2) }
        else if lower.hasPrefix("0b") { radix = 2; t.removeFirst(2) }
        else if t.count > 1, t.hasPrefix("0") { radix = 8; t.removeFirst() }
        guard let v = Int(t, radix: radix) else { return nil }
        return negative ? -v : v
    }

    /// A context for `Template.render` from a top-level mapping (YAML or JSON); other shapes are an error.
    public static func context(from value: Value) -> [String: Value]? {
        guard case .dict(let d) = value else { return nil }
        var context: [String: Value] = [:]
        for (k, v) in zip(d.keys, d.values) {
            if let key = k.asString { context[key] = v } else { context[PythonRepr.str(k)] = v }
        }
        return context
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) { self = .dict(elements.map { (.string($0.0), $0.1) }) }
}

extension Value: CustomStringConvertible {
    /// Python's str() of the value.
    public var description: String { PythonRepr.str(self) }
}
