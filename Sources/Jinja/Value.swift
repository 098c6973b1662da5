// Template values modelled on the Python objects Jinja2 templates see.

/// A value as a template sees it: Python's None/bool/int/float/str/list/tuple/dict plus Jinja2's
/// Undefined and Markup. Lists and dicts are reference types, as in Python, so `list.append` and
/// `dict.update` are visible through every name bound to them.
public enum Value: @unchecked Sendable {
    case undefined(Undefined)
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// A string marked safe (`|safe`, `|e`): escapes what is concatenated onto it.
    case markup(String)
    case list(ListStorage)
    case tuple([Value])
    case dict(DictStorage)
    /// Namespaces, loop objects, macros, bound methods, imported templates…
    case object(any TemplateObject)

    public static func list(_ items: [Value]) -> Value { .list(ListStorage(items)) }
    public static func dict(_ pairs: [(Value, Value)]) -> Value {
        let d = DictStorage()
        for (k, v) in pairs { d[k] = v }
        return .dict(d)
    }
}

/// Jinja2's Undefined: what a missing name, attribute or item evaluates to. A class so that
/// `Value` stays two words wide (copies of values are the interpreter's most frequent operation).
public final class Undefined: Sendable {
    public let name: String?
    /// `object_type_repr` of the object the attribute was looked up on, nil for a plain missing name.
    public let owner: String?
    /// True when the missing key was not a string (Jinja2 says "has no element").
    public let isElement: Bool
    public let hint: String?
    /// Always behaves like Jinja2's default Undefined, even in strict mode (a conditional
    /// expression without else produces one of these).
    public let alwaysLenient: Bool
    /// Where a missing name was written (the column errors point at).
    public let position: Position?

    public init(name: String? = nil, owner: String? = nil, isElement: Bool = false, hint: String? = nil, alwaysLenient: Bool = false,
                position: Position? = nil) {
        self.position = position
        self.name = name
        self.owner = owner
        self.isElement = isElement
        self.hint = hint
        self.alwaysLenient = alwaysLenient
    }

    /// The message Jinja2 raises when this value is used in a way Undefined does not allow.
    public var message: String {
        if let hint { return hint }
        guard let name else { return "undefined value" }
        guard let owner else { return "'\(name)' is undefined" }
        if isElement { return "\(owner) has no element \(name)" }
        return "'\(owner)' has no attribute '\(name)'"
    }
}

/// A Python list.
public final class ListStorage: @unchecked Sendable {
    @exclusivity(unchecked) public var items: [Value]
    public init(_ items: [Value] = []) { self.items = items }

    deinit { ValueRelease.drain(&items) }

    func takeItems() -> [Value] {
        var taken: [Value] = []
        swap(&taken, &items)
        return taken
    }
}

/// A Python dict: insertion-ordered, keys compared with Python equality (1 == 1.0 == True).
public final class DictStorage: @unchecked Sendable {
    @exclusivity(unchecked) public private(set) var keys: [Value] = []
    @exclusivity(unchecked) public private(set) var values: [Value] = []
    @exclusivity(unchecked) private var index: [HashKey: Int] = [:]

    public init() {}

    /// A dict of `keys` and `values`, in this order, its index built once at its final size (no
    /// regrowing, one hash per key); nil when a key is unhashable or repeats. For readers that have every
    /// entry at hand.
    public convenience init?(uniqueKeys keys: [Value], values: [Value]) {
        precondition(keys.count == values.count, "a dict needs a value per key")
        var index: [HashKey: Int] = [:]
        index.reserveCapacity(keys.count)
        for (position, key) in keys.enumerated() {
            guard let hashKey = HashKey(key), index.updateValue(position, forKey: hashKey) == nil else { return nil }
        }
        self.init()
        self.keys = keys
        self.values = values
        self.index = index
    }

    deinit {
        var contents = takeContents()
        ValueRelease.drain(&contents)
    }

    /// Keys and values, leaving the dict empty.
    func takeContents() -> [Value] {
        let contents = keys + values
        keys = []
        values = []
        index = [:]
        return contents
    }

    public var count: Int { keys.count }

    public subscript(key: Value) -> Value? {
        get {
            guard let hk = HashKey(key), let i = index[hk] else { return nil }
            return values[i]
        }
        set {
            guard let hk = HashKey(key) else { return }
            if let newValue {
                if let i = index[hk] { values[i] = newValue } else {
                    index[hk] = keys.count
                    keys.append(key)
                    values.append(newValue)
                }
            } else if let i = index[hk] {
                keys.remove(at: i)
                values.remove(at: i)
                index = [:]
                for (j, k) in keys.enumerated() { if let h = HashKey(k) { index[h] = j } }
            }
        }
    }

    public subscript(string key: String) -> Value? {
        get {
            guard let i = index[.string(CodePoints(key))] else { return nil }
            return values[i]
        }
        set { self[.string(key)] = newValue }
    }

    public var pairs: [(Value, Value)] { Array(zip(keys, values)) }

    /// `d.attr` through the attribute's inline cache; nil when not a plain key (or a dict method).
    func cachedLookup(_ attr: AttributeName) -> Value? {
        if attr.isDictMethod { return nil }
        let slot = attr.slot
        if slot < keys.count, case .string(let k) = keys[slot], PyString.same(k, attr.name) {
            return values[slot]
        }
        guard let i = index[.string(CodePoints(attr.name))] else { return nil }
        attr.slot = i
        return values[i]
    }

    public func copy() -> DictStorage {
        let d = DictStorage()
        d.keys = keys
        d.values = values
        d.index = index
        return d
    }

    /// A dict of the same keys whose values are `transform`ed, sharing the keys and their index (keys
    /// are immutable) instead of hashing each key again: how `Value.deepCopy` copies a dict.
    func mappingValues(_ transform: (Value) -> Value) -> DictStorage {
        let d = DictStorage()
        d.keys = keys
        d.values = values.map(transform)
        d.index = index
        return d
    }
}

/// The hashable identity of a dict key under Python's equality rules; nil for unhashable values.
enum HashKey: Hashable {
    case none
    case int(Int)
    /// An int outside Int64, or a float holding one (2.0 ** 64 == 2 ** 64 as a key).
    case big(BigInt)
    case float(UInt64)
    case string(CodePoints)
    case tuple([HashKey])
    /// Jinja2's Undefined hashes by type, so all (lenient) undefined values are one key.
    case undefined

    init?(_ value: Value) {
        switch value {
        case .none: self = .none
        case .undefined: self = .undefined
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .float(let d):
            if d == d.rounded(), abs(d) < 9.2e18 { self = .int(Int(d)) } else if d == d.rounded(), let b = BigInt(truncating: d) {
                if let i = b.asInt { self = .int(i) } else { self = .big(b) }
            } else { self = .float(d.bitPattern) }
        case .string(let s), .markup(let s): self = .string(CodePoints(s))
        case .tuple(let items):
            var keys: [HashKey] = []
            for item in items {
                guard let k = HashKey(item) else { return nil }
                keys.append(k)
            }
            self = .tuple(keys)
        case .object(let o as PyBigInt): self = .big(o.value)
        case .list, .dict, .object: return nil
        }
    }
}

/// A str as a dict key: hashed and compared by its code points (UTF-8 bytes), as Python does,
/// not by Swift's canonical equivalence.
struct CodePoints: Hashable {
    let text: String
    init(_ text: String) { self.text = text }
    static func == (a: CodePoints, b: CodePoints) -> Bool { PyString.same(a.text, b.text) }
    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

/// Anything else a template can hold: attributes, calls and a Python-like type name and repr.
public protocol TemplateObject: AnyObject {
    var typeName: String { get }
    func attribute(_ name: String) -> Value?
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value
    var repr: String { get }
    var truthy: Bool { get }
    /// The items iterating this object yields, nil when it is not iterable.
    func iterate() -> [Value]?
    /// Calls a method by name; nil when the object has no such method.
    func callMethod(_ name: String, _ args: Arguments, _ interpreter: Interpreter) throws -> Value?
}

extension TemplateObject {
    public func attribute(_ name: String) -> Value? { nil }
    public func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        throw EvalError.type("'\(typeName)' object is not callable")
    }
    public var repr: String { "<\(typeName) object>" }
    public var truthy: Bool { true }
    public func iterate() -> [Value]? { nil }
    public func callMethod(_ name: String, _ args: Arguments, _ interpreter: Interpreter) throws -> Value? { nil }
}

/// Positional and keyword arguments of a call.
public struct Arguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]

    public init(_ positional: [Value] = [], keywords: [(String, Value)] = []) {
        self.positional = positional
        self.keywords = keywords
    }

    /// Binds to a Python-style signature: positional-or-keyword names with defaults.
    func bind(_ function: String, _ names: [String], defaults: [Value?]) throws -> [Value?] {
        var result = [Value?](repeating: nil, count: names.count)
        if positional.count > names.count {
            throw EvalError.type("\(function)() takes at most \(names.count) arguments (\(positional.count) given)")
        }
        for (i, v) in positional.enumerated() { result[i] = v }
        for (k, v) in keywords {
            guard let i = names.firstIndex(of: k) else {
                throw EvalError.type("\(function)() got an unexpected keyword argument '\(k)'")
            }
            if result[i] != nil { throw EvalError.type("\(function)() got multiple values for argument '\(k)'") }
            result[i] = v
        }
        for i in 0..<names.count where result[i] == nil { result[i] = defaults[i] }
        return result
    }
}

extension Value {
    var isUndefined: Bool { if case .undefined = self { return true }; return false }
    var isNone: Bool { if case .none = self { return true }; return false }

    /// Python's type name, as used in error messages.
    var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .markup: return "Markup"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .object(let o): return o.typeName
        }
    }

    /// Jinja2's `object_type_repr`, used in undefined-attribute messages.
    var objectTypeRepr: String {
        switch self {
        case .none: return "None"
        default: return "\(typeName) object"
        }
    }

    var asString: String? {
        switch self {
        case .string(let s), .markup(let s): return s
        default: return nil
        }
    }

    var isNumber: Bool {
        switch self {
        case .int, .float, .bool: return true
        default: return false
        }
    }

    var isString: Bool {
        switch self {
        case .string, .markup: return true
        default: return false
        }
    }
}
