// str() and repr() exactly as CPython prints them; templates print lists and dicts this way.
import FoundationEssentials
import Glibc

enum PythonRepr {
    /// `str(value)` for everything but Undefined (whose str() depends on the undefined mode).
    static func str(_ value: Value) -> String {
        switch value {
        case .string(let s), .markup(let s): return s
        case .undefined: return ""
        case .object(let o as PyDateTime): return o.text
        default: return repr(value)
        }
    }

    static func repr(_ value: Value) -> String {
        var printer = Printer()
        printer.write(value, level: 0)
        return printer.out
    }

    /// repr(), failing as Python's RecursionError would on a value nested too deeply to print.
    static func checkedRepr(_ value: Value) throws -> String {
        var printer = Printer()
        printer.write(value, level: 0)
        if printer.tooDeep { try Limits.nesting(Limits.maxNesting + 1) }
        if let big = printer.tooLongInteger { _ = try big.checkedDecimal() }
        return printer.out
    }

    /// One repr() in progress: the lists and dicts being printed (a list met again inside itself
    /// prints as `[...]`, a dict as `{...}`, like CPython's Py_ReprEnter) and the depth reached.
    private struct Printer {
        var out = ""
        var active = Set<ObjectIdentifier>()
        var tooDeep = false
        /// An int too long for str() (Python's ValueError), raised by `checkedRepr`.
        var tooLongInteger: BigInt?

        mutating func write(_ value: Value, level: Int) {
            if level > Limits.maxNesting {
                tooDeep = true
                out += "..."
                return
            }
            if case .object(let o as PyBigInt) = value, (try? o.value.checkedDecimal()) == nil {
                tooLongInteger = o.value
                out += "..."
                return
            }
            switch value {
            case .list(let l):
                let id = ObjectIdentifier(l)
                if !active.insert(id).inserted { out += "[...]"; return }
                out += "["
                for (i, item) in l.items.enumerated() {
                    if i > 0 { out += ", " }
                    write(item, level: level + 1)
                }
                out += "]"
                active.remove(id)
            case .tuple(let t):
                out += "("
                for (i, item) in t.enumerated() {
                    if i > 0 { out += ", " }
                    write(item, level: level + 1)
                }
                out += t.count == 1 ? ",)" : ")"
            case .dict(let d):
                let id = ObjectIdentifier(d)
                if !active.insert(id).inserted { out += "{...}"; return }
                out += "{"
                for (i, (k, v)) in zip(d.keys, d.values).enumerated() {
                    if i > 0 { out += ", " }
                    write(k, level: level + 1)
                    out += ": "
                    write(v, level: level + 1)
                }
                out += "}"
                active.remove(id)
            case .object(let o as NamespaceObject):
                // Its repr shows its dict, which may hold the namespace itself.
                out += "<Namespace "
                write(.dict(o.values), level: level + 1)
                out += ">"
            default:
                out += PythonRepr.scalarRepr(value)
            }
        }
    }

    /// repr() of a value that holds no other values.
    static func scalarRepr(_ value: Value) -> String {
        switch value {
        case .undefined: return "Undefined"
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return float(d)
        case .string(let s): return string(s)
        case .markup(let s): return "Markup(\(string(s)))"
        case .object(let o): return o.repr
        case .list, .tuple, .dict: return repr(value)
        }
    }

    /// ascii(): repr() with every non-ASCII character escaped as \xNN, \uNNNN or \UNNNNNNNN.
    static func ascii(_ value: Value) -> String {
        var out = ""
        for scalar in repr(value).unicodeScalars {
            let v = scalar.value
            if v < 0x80 { out.unicodeScalars.append(scalar); continue }
            if v < 0x100 { out += "\\x" + hex(v, 2) } else if v < 0x10000 { out += "\\u" + hex(v, 4) } else { out += "\\U" + hex(v, 8) }
        }
        return out
    }

    /// CPython's float repr: the shortest round-tripping digits, fixed notation for exponents -4…15.
    static func float(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let (negative, digits, decpt) = shortestDigits(d)
        var out = negative ? "-" : ""
        if decpt > 16 || decpt <= -4 {
            out += String(digits.first!)
            if digits.count > 1 { out += "." + digits.dropFirst() }
            let exp = decpt - 1
            out += exp < 0 ? "e-" : "e+"
            let e = abs(exp)
            out += e < 10 ? "0\(e)" : "\(e)"
        } else if decpt <= 0 {
            out += "0." + String(repeating: "0", count: -decpt) + digits
        } else if decpt >= digits.count {
            out += digits + String(repeating: "0", count: decpt - digits.count) + ".0"
        } else {
            let i = digits.index(digits.startIndex, offsetBy: decpt)
            out += digits[..<i] + "." + digits[i...]
        }
        return out
    }

    /// Shortest round-trip digits (no leading/trailing zeros) and the decimal point position,
    /// so that |d| = 0.DIGITS × 10^decpt. Swift's description already finds the shortest digits.
    static func shortestDigits(_ d: Double) -> (Bool, String, Int) {
        let text = "\(abs(d))"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(intPart) + fracPart
        var decpt = intPart.count + exponent
        while digits.hasPrefix("0") { digits.removeFirst(); decpt -= 1 }
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.isEmpty { digits = "0"; decpt = 1 }
        return (d < 0, digits, decpt)
    }

    /// repr() of a str: single quotes unless the text has ' and no ".
    static func string(_ s: String) -> String {
        let quote: Character = (s.contains("'") && !s.contains("\"")) ? "\"" : "'"
        var out = String(quote)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if Character(scalar) == quote { out += "\\" + String(quote); continue }
                if isPrintable(scalar) { out.unicodeScalars.append(scalar); continue }
                let v = scalar.value
                if v < 0x100 { out += "\\x" + hex(v, 2) } else if v < 0x10000 { out += "\\u" + hex(v, 4) } else { out += "\\U" + hex(v, 8) }
            }
        }
        out.append(quote)
        return out
    }

    private static func hex(_ v: UInt32, _ width: Int) -> String {
        let h = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }

    /// Python's str.isprintable for one character (approximated by Unicode general category).
    static func isPrintable(_ s: Unicode.Scalar) -> Bool {
        if s == " " { return true }
        if s.value < 0x20 || s.value == 0x7f { return false }
        if s.value < 0x7f { return true }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
