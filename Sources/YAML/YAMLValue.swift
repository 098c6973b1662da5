import Diagnostics

/// A node with the path that led to it: typed reads without hand-written casts, and errors such as
/// "`nodes[2].ipAddress` (line 14, column 17): expected a string, found a mapping".
///
/// Reads follow yaml.v3's decoding into Go fields: any non-null scalar reads as a string (its text),
/// integers accept Go's 0x/0o/0b/legacy-octal forms and underscores, null reads as absent.
public struct YAMLValue: Sendable {
    public let node: YAMLNode
    public let path: YAMLPath
    /// Used for errors about nodes built in code, which have no location of their own.
    public let file: String?

    public init(_ node: YAMLNode, path: YAMLPath = YAMLPath(), file: String? = nil) {
        self.node = node
        self.path = path
        self.file = file ?? node.location?.file
    }

    // MARK: Errors

    /// A diagnostic at this value: "`path` (line L, column C): message".
    public func error(_ message: String) -> Diagnostic {
        var prefix = "`\(path)`"
        if let location = node.location { prefix += " (line \(location.line), column \(location.column))" }
        return Diagnostic.error("\(prefix): \(message)", at: node.location ?? file.map { SourceLocation(file: $0, line: 1, column: 1) })
    }

    public func mismatch(expected: String) -> Diagnostic {
        error("expected \(expected), found \(node.kindDescription)")
    }

    // MARK: Scalars

    public var isNull: Bool { node.scalar?.kind == .null }

    /// The text of any non-null scalar (yaml.v3 decodes `port: 80` into a string field as "80").
    public func string() throws -> String {
        guard let scalar = node.scalar, scalar.kind != .null else { throw mismatch(expected: "a string") }
        return scalar.text
    }

    public func int() throws -> Int {
        guard let scalar = node.scalar, scalar.kind == .int else { throw mismatch(expected: "an integer") }
        guard let value = GoInteger.parse(scalar.text) else {
            throw error("integer \(scalar.text) does not fit in 64 bits")
        }
        return value
    }

    public func bool() throws -> Bool {
        guard let scalar = node.scalar, scalar.kind == .bool else { throw mismatch(expected: "a boolean") }
        return scalar.text.lowercased() == "true"
    }

    public func double() throws -> Double {
        guard let scalar = node.scalar, scalar.kind == .float || scalar.kind == .int else {
            throw mismatch(expected: "a number")
        }
        if scalar.kind == .int, let value = GoInteger.parse(scalar.text) { return Double(value) }
        switch scalar.text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default:
            guard let value = Double(scalar.text.filter { $0 != "_" }) else { throw mismatch(expected: "a number") }
            return value
        }
    }

    // MARK: Collections

    /// The items of a sequence; null reads as an empty sequence (as yaml.v3 leaves a nil slice).
    public func sequence() throws -> [YAMLValue] {
        if isNull { return [] }
        guard let items = node.sequenceItems else { throw mismatch(expected: "a sequence") }
        return items.enumerated().map { YAMLValue($1, path: path.appending(index: $0), file: file) }
    }

    /// The entries of a mapping with string keys, in written order; null reads as an empty mapping.
    public func mapping() throws -> [(key: String, value: YAMLValue)] {
        if isNull { return [] }
        guard let pairs = node.mappingPairs else { throw mismatch(expected: "a mapping") }
        return try pairs.map { pair in
            guard let key = pair.key.scalar, key.kind != .null else {
                throw YAMLValue(pair.key, path: path, file: file).mismatch(expected: "a scalar mapping key")
            }
            return (key.text, YAMLValue(pair.value, path: path.appending(key: key.text), file: file))
        }
    }

    /// A key that must be present (and not null).
    public func field(_ key: String) throws -> YAMLValue {
        guard let value = try optionalField(key) else {
            if node.mappingPairs?.contains(where: { $0.key.scalar?.text == key }) == true {
                throw YAMLValue(node[key] ?? node, path: path.appending(key: key), file: file)
                    .error("a value is required")
            }
            throw error("missing required key `\(key)`")
        }
        return value
    }

    /// A key that may be absent; absent and null both give nil. Throws when this is not a mapping.
    public func optionalField(_ key: String) throws -> YAMLValue? {
        if isNull { return nil }
        guard let pairs = node.mappingPairs else { throw mismatch(expected: "a mapping") }
        guard let pair = pairs.first(where: { $0.key.scalar?.text == key }), pair.value.scalar?.kind != .null else {
            return nil
        }
        return YAMLValue(pair.value, path: path.appending(key: key), file: file)
    }

    /// Rejects keys outside `allowed` (strict parsing), naming the first unknown key where it is written.
    public func rejectUnknownKeys(allowed: Set<String>) throws {
        for (key, value) in try mapping() where !allowed.contains(key) {
            let at = node.mappingPairs?.first { $0.key.scalar?.text == key }?.key
            throw YAMLValue(at ?? value.node, path: value.path, file: file).error("unknown key `\(key)`")
        }
    }

    // MARK: Conveniences

    public func string(_ key: String) throws -> String { try field(key).string() }
    public func optionalString(_ key: String) throws -> String? { try optionalField(key)?.string() }
    public func int(_ key: String) throws -> Int { try field(key).int() }
    public func bool(_ key: String) throws -> Bool { try field(key).bool() }
    public func optionalBool(_ key: String) throws -> Bool? { try optionalField(key)?.bool() }
    public func strings() throws -> [String] { try sequence().map { try $0.string() } }
    public func optionalStrings(_ key: String) throws -> [String]? { try optionalField(key)?.strings() }
}

extension YAMLNode {
    /// "a string", "a mapping", … as error messages name what was found.
    public var kindDescription: String {
        switch content {
        case .mapping: return "a mapping"
        case .sequence: return "a sequence"
        case .scalar(let scalar):
            switch scalar.kind {
            case .string: return "a string"
            case .int: return "an integer"
            case .float: return "a number"
            case .bool: return "a boolean"
            case .null: return "null"
            }
        }
    }

    /// This node as the root of typed reads: `try root.typed.string("clusterName")`.
    public var typed: YAMLValue { YAMLValue(self) }
}

/// Integers in Go's syntax as yaml.v3 accepts them: sign, 0x/0o/0b, legacy leading-zero octal, underscores.
enum GoInteger {
    static func parse(_ text: String) -> Int? {
        var s = Substring(text.filter { $0 != "_" })
        var negative = false
        if s.first == "+" || s.first == "-" {
            negative = s.first == "-"
            s = s.dropFirst()
        }
        var radix = 10
        if s.count >= 3, s.first == "0" {
            switch s.dropFirst().first {
            case "x", "X": radix = 16; s = s.dropFirst(2)
            case "o", "O": radix = 8; s = s.dropFirst(2)
            case "b", "B": radix = 2; s = s.dropFirst(2)
            default: radix = 8; s = s.dropFirst()
            }
        } else if s.count == 2, s.first == "0" {
            radix = 8; s = s.dropFirst()
        }
        guard let magnitude = UInt64(s, radix: radix) else { return nil }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int.min : -Int(magnitude)
        }
        guard magnitude <= UInt64(Int.max) else { return nil }
        return Int(magnitude)
    }
}
