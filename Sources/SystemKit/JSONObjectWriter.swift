/// JSON text for a tree of dictionaries, arrays, strings, booleans and numbers (`[String: Any]`), byte for
/// byte as swift-corelibs-foundation's JSONSerialization writes it, so reports need not load full Foundation:
/// "/" escaped as "\/", pretty printing with two spaces, `"key" : value` and empty containers on three
/// lines, integral doubles without ".0". Sorted keys compare case-insensitively, lower case first on a tie —
/// Foundation's order for the ASCII identifiers used as keys here (it collates other text with ICU).
public enum JSONObjectWriter {
    public struct Options: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let prettyPrinted = Options(rawValue: 1)
        public static let sortedKeys = Options(rawValue: 2)
    }

    /// The JSON text, or nil for a value JSON cannot hold (a non-finite number, an unknown type).
    public static func text(_ object: Any, options: Options = []) -> String? {
        var out = ""
        return write(object, options, indent: 0, into: &out) ? out : nil
    }

    private static func write(_ value: Any, _ options: Options, indent: Int, into out: inout String) -> Bool {
        let pretty = options.contains(.prettyPrinted)
        switch value {
        case let text as String: quote(text, into: &out)
        case let flag as Bool: out += flag ? "true" : "false"
        case let number as Int: out += String(number)
        case let number as Int64: out += String(number)
        case let number as Int32: out += String(number)
        case let number as UInt: out += String(number)
        case let number as UInt64: out += String(number)
        case let number as UInt32: out += String(number)
        case let number as UInt8: out += String(number)
        case let number as Double:
            guard number.isFinite else { return false }
            var text = number.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            out += text
        case let dictionary as [String: Any]:
            var keys = Array(dictionary.keys)
            if options.contains(.sortedKeys) { keys.sort(by: keyOrder) }
            out += "{"
            if pretty { out += "\n" }
            for (index, key) in keys.enumerated() {
                if pretty { out += String(repeating: "  ", count: indent + 1) }
                quote(key, into: &out)
                out += pretty ? " : " : ":"
                guard write(dictionary[key]!, options, indent: indent + 1, into: &out) else { return false }
                if index < keys.count - 1 { out += "," }
                if pretty { out += "\n" }
            }
            if pretty { out += (keys.isEmpty ? "\n" : "") + String(repeating: "  ", count: indent) }
            out += "}"
        case let array as [Any]:
            out += "["
            if pretty { out += "\n" }
            for (index, element) in array.enumerated() {
                if pretty { out += String(repeating: "  ", count: indent + 1) }
                guard write(element, options, indent: indent + 1, into: &out) else { return false }
                if index < array.count - 1 { out += "," }
                if pretty { out += "\n" }
            }
            if pretty { out += (array.isEmpty ? "\n" : "") + String(repeating: "  ", count: indent) }
            out += "]"
        default: return false
        }
        return true
    }

    private static func keyOrder(_ a: String, _ b: String) -> Bool {
        let (la, lb) = (a.lowercased(), b.lowercased())
        return la != lb ? la.unicodeScalars.lexicographicallyPrecedes(lb.unicodeScalars) : b.unicodeScalars.lexicographicallyPrecedes(a.unicodeScalars)
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "/": out += "\\/"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
