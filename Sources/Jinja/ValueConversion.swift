// Building template values from parsed YAML/JSON data and from Swift literals.
import YAML

extension Value {
    /// The value a template sees for a YAML node: mappings keep key order, scalars become
    /// str/int/float/bool/None as the YAML module resolved them.
    public init(yaml node: YAMLNode) {
        switch node.content {
        case .scalar(let s):
            self = Value.scalar(s)
        case .sequence(let items):
            self = .list(items.map(Value.init(yaml:)))
        case .mapping(let pairs):
            let d = DictStorage()
            for pair in pairs { d[Value(yaml: pair.key)] = Value(yaml: pair.value) }
            self = .dict(d)
        }
    }

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
            default: return Double(s.text.replacingOccurrences(of: "_", with: "")).map { .float($0) } ?? .string(s.text)
            }
        }
    }

    private static func parseInt(_ text: String) -> Int? {
        var t = text.replacingOccurrences(of: "_", with: "")
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
