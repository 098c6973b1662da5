// Python's two string-formatting languages: `'%s' % x` and `'{}'.format(x)`.
import FoundationEssentials
import Glibc
import SystemKit

/// printf-style `%` formatting (`'%s-%02d' % (a, b)`, `'%(name)s' % d`).
enum PercentFormat {
    /// `escapingArgument`: the format is Markup and its argument a list or dict, which markupsafe wraps
    /// in a helper with __getitem__ — so, like a mapping, it is never "not converted".
    static func format(_ fmt: String, _ arg: Value, interpreter: Interpreter, escapingArgument: Bool = false) throws -> String {
        if !escapingArgument, let fast = try plainS(fmt, arg, interpreter) { return fast }
        var args: [Value]
        var mapping: DictStorage?
        // CPython treats any non-tuple, non-str object with __getitem__ as a mapping here, which
        // only matters for the "not all arguments converted" check.
        var mappingLike = false
        switch arg {
        case .tuple(let t): args = t
        case .dict(let d): args = [arg]; mapping = d; mappingLike = true
        case .list, .undefined: args = [arg]; mappingLike = true
        case .object(let o):
            if let g = o as? GroupTuple { args = [g.grouper, .list(g.list)] } else { args = [arg]; mappingLike = o is RangeObject }
        default: args = [arg]
        }
        if escapingArgument, mapping == nil, case .tuple = arg {} else if escapingArgument { mappingLike = true }
        var argIndex = 0
        var out = ""
        let chars = Array(fmt.unicodeScalars)
        var i = 0
        func nextArg() throws -> Value {
            guard argIndex < args.count else { throw EvalError.type("not enough arguments for format string") }
            defer { argIndex += 1 }
            return args[argIndex]
        }
        var usedMapping = false
        while i < chars.count {
            let c = chars[i]
            if c != "%" { out.unicodeScalars.append(c); i += 1; continue }
            i += 1
            guard i < chars.count else { throw EvalError.runtime("incomplete format") }
            var key: String?
            if chars[i] == "(" {
                var depth = 1
                var j = i + 1
                while j < chars.count, depth > 0 {
                    if chars[j] == "(" { depth += 1 }
                    if chars[j] == ")" { depth -= 1 }
                    j += 1
                }
                guard depth == 0 else { throw EvalError.runtime("incomplete format key") }
                key = PyString.string(chars[(i + 1)..<(j - 1)])
                i = j
            }
            var flags = Set<Unicode.Scalar>()
            while i < chars.count, "-+ #0".unicodeScalars.contains(chars[i]) { flags.insert(chars[i]); i += 1 }
            var width: Int?
            if i < chars.count, chars[i] == "*" {
                guard case .int(let w) = try nextArg() else { throw EvalError.type("* wants int") }
                width = try Limits.width(w); i += 1
            } else {
                var w = ""
                while i < chars.count, chars[i].properties.numericType != nil, chars[i].isASCII { w.unicodeScalars.append(chars[i]); i += 1 }
                width = try Int(w).map(Limits.width)
            }
            var precision: Int?
            if i < chars.count, chars[i] == "." {
                i += 1
                if i < chars.count, chars[i] == "*" {
                    guard case .int(let p) = try nextArg() else { throw EvalError.type("* wants int") }
                    precision = p; i += 1
                } else {
                    var p = ""
                    while i < chars.count, chars[i].properties.numericType != nil, chars[i].isASCII { p.unicodeScalars.append(chars[i]); i += 1 }
                    precision = Int(p) ?? 0
                }
            }
            while i < chars.count, "hlL".unicodeScalars.contains(chars[i]) { i += 1 }
            guard i < chars.count else { throw EvalError.runtime("incomplete format") }
            let type = chars[i]
            i += 1
            if type == "%" { out += "%"; continue }
            let value: Value
            if let key {
                guard let mapping else { throw EvalError.type("format requires a mapping") }
                usedMapping = true
                guard let v = mapping[string: key] else { throw EvalError.runtime("KeyError: \(PythonRepr.string(key))") }
                value = v
            } else {
                value = try nextArg()
            }
            var body = try formatOne(value, type, flags: flags, precision: precision, interpreter: interpreter)
            if let width, body.unicodeScalars.count < width {
                let padCount = width - body.unicodeScalars.count
                if flags.contains("-") {
                    body += String(repeating: " ", count: padCount)
                } else if flags.contains("0"), "diouxXeEfFgG".unicodeScalars.contains(type) {
                    var sign = ""
                    if let f = body.first, f == "-" || f == "+" || f == " " { sign = String(f); body.removeFirst() }
                    var prefix = ""
                    if flags.contains("#"), body.hasPrefix("0x") || body.hasPrefix("0X") || body.hasPrefix("0o") {
                        prefix = String(body.prefix(2)); body.removeFirst(2)
                    }
                    body = sign + prefix + String(repeating: "0", count: padCount) + body
                } else {
                    body = String(repeating: " ", count: padCount) + body
                }
            }
            out += body
        }
        if !usedMapping, argIndex < args.count, !mappingLike {
            throw EvalError.type("not all arguments converted during string formatting")
        }
        return out
    }

    /// The common case — only `%s` conversions and a tuple (or single non-mapping value) — without
    /// the general machinery; nil when the format needs it.
    private static func plainS(_ fmt: String, _ arg: Value, _ interp: Interpreter) throws -> String? {
        let args: [Value]
        switch arg {
        case .tuple(let t): args = t
        case .string, .int, .float, .bool, .none, .markup: args = [arg]
        default: return nil
        }
        var out = ""
        var index = 0
        var literalStart = fmt.utf8.startIndex
        var i = fmt.utf8.startIndex
        let utf8 = fmt.utf8
        while i < utf8.endIndex {
            if utf8[i] == UInt8(ascii: "%") {
                let next = utf8.index(after: i)
                guard next < utf8.endIndex, utf8[next] == UInt8(ascii: "s"), index < args.count else { return nil }
                out += fmt[literalStart..<i]
                out += try interp.str(args[index])
                index += 1
                i = utf8.index(after: next)
                literalStart = i
            } else {
                i = utf8.index(after: i)
            }
        }
        guard index == args.count else { return nil }
        out += fmt[literalStart..<utf8.endIndex]
        return out
    }

    static func formatOne(_ value: Value, _ type: Unicode.Scalar, flags: Set<Unicode.Scalar>, precision: Int?, interpreter: Interpreter) throws -> String {
        func sign(_ negative: Bool) -> String { negative ? "-" : flags.contains("+") ? "+" : flags.contains(" ") ? " " : "" }
        switch type {
        case "s", "r", "a":
            var s = type == "s" ? try interpreter.str(value) : type == "a" ? PythonRepr.ascii(value) : PythonRepr.repr(value)
            if let precision { s = PyString.string(s.unicodeScalars.prefix(precision)) }
            return s
        case "d", "i", "u":
            let n: BigInt
            switch value {
            case .int(let i): n = BigInt(i)
            case .bool(let b): n = BigInt(b ? 1 : 0)
            case .object(let o as PyBigInt): n = o.value
            case .float(let d):
                guard d.isFinite else {
                    throw EvalError.runtime(d.isNaN ? "cannot convert float NaN to integer" : "cannot convert float infinity to integer")
                }
                n = BigInt(truncating: d)!
            default: throw EvalError.type("%\(type) format: a real number is required, not \(value.typeName)")
            }
            var digits = try n.magnitude.checkedDecimal()
            if let precision, digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
            return sign(n.negative) + digits
        case "x", "X", "o":
            let n: BigInt
            switch value {
            case .int(let i): n = BigInt(i)
            case .bool(let b): n = BigInt(b ? 1 : 0)
            case .object(let o as PyBigInt): n = o.value
            default: throw EvalError.type("%\(type) format: an integer is required, not \(value.typeName)")
            }
            var digits = n.magnitudeDigits(radix: type == "o" ? 8 : 16)
            if type == "X" { digits = digits.uppercased() }
            if let precision, digits.count < precision { digits = String(repeating: "0", count: precision - digits.count) + digits }
            if flags.contains("#") { digits = (type == "o" ? "0o" : type == "x" ? "0x" : "0X") + digits }
            return sign(n.negative) + digits
        case "e", "E", "f", "F", "g", "G":
            let d: Double
            switch value {
            case .int(let i): d = Double(i)
            case .object(let o as PyBigInt): d = try Interpreter.Number.big(o.value).floatValue()
            case .bool(let b): d = b ? 1 : 0
            case .float(let f): d = f
            default: throw EvalError.type("must be real number, not \(value.typeName)")
            }
            return sign(d.sign == .minus && !(d == 0 && false)) + cFormat(abs(d), type, precision: precision ?? 6, alternate: flags.contains("#"))
        case "c":
            switch value {
            case .int(let i):
                guard let s = UnicodeScalar(UInt32(clamping: i)) else { throw EvalError.runtime("%c arg not in range") }
                return String(s)
            case .string(let s) where s.unicodeScalars.count == 1: return s
            default: throw EvalError.type("%c requires int or char")
            }
        default:
            throw EvalError.runtime("unsupported format character '\(type)' (0x\(String(type.value, radix: 16)))")
        }
    }

    /// Formats a non-negative double like C's printf (which CPython's %-formatting agrees with).
    static func cFormat(_ d: Double, _ type: Unicode.Scalar, precision: Int, alternate: Bool) -> String {
        if d.isNaN { return type.properties.isUppercase ? "NAN" : "nan" }
        if d.isInfinite { return type.properties.isUppercase ? "INF" : "inf" }
        let spec = "%" + (alternate ? "#" : "") + ".\(min(precision, 200))" + String(type)
        return String(cFormat: spec, d)
    }
}

/// `str.format`: `{}`, `{0}`, `{name}`, `{0.attr}`, `{0[key]}`, conversions and format specs.
enum StringFormat {
    static func format(_ fmt: String, _ args: Arguments, _ interp: Interpreter) throws -> String {
        var out = ""
        let chars = Array(fmt.unicodeScalars)
        var i = 0
        var autoIndex = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" { out += "{"; i += 2; continue }
                var depth = 1
                var j = i + 1
                while j < chars.count, depth > 0 {
                    if chars[j] == "{" { depth += 1 } else if chars[j] == "}" { depth -= 1 }
                    if depth > 0 { j += 1 }
                }
                guard j < chars.count else { throw EvalError.runtime("Single '{' encountered in format string") }
                let field = PyString.string(chars[(i + 1)..<j])
                out += try formatField(field, args, interp, &autoIndex)
                i = j + 1
            } else if c == "}" {
                guard i + 1 < chars.count, chars[i + 1] == "}" else { throw EvalError.runtime("Single '}' encountered in format string") }
                out += "}"
                i += 2
            } else {
                out.unicodeScalars.append(c)
                i += 1
            }
        }
        return out
    }

    private static func formatField(_ field: String, _ args: Arguments, _ interp: Interpreter, _ autoIndex: inout Int) throws -> String {
        var name = field
        var spec = ""
        var conversion: Character?
        if let colon = field.firstIndex(of: ":") {
            name = String(field[..<colon])
            spec = String(field[field.index(after: colon)...])
        }
        if let bang = name.firstIndex(of: "!") {
            conversion = name[name.index(after: bang)...].first
            name = String(name[..<bang])
        }
        if spec.contains("{") { spec = try format(spec, args, interp) }
        // Split "first.attr[key]" into the argument and its accessors.
        var headEnd = name.endIndex
        if let k = name.firstIndex(where: { $0 == "." || $0 == "[" }) { headEnd = k }
        let head = String(name[..<headEnd])
        var value: Value
        if head.isEmpty {
            guard autoIndex < args.positional.count else {
                throw EvalError.runtime("Replacement index \(autoIndex) out of range for positional args tuple")
            }
            value = args.positional[autoIndex]
            autoIndex += 1
        } else if let n = Int(head) {
            guard n < args.positional.count else { throw EvalError.runtime("Replacement index \(n) out of range for positional args tuple") }
            value = args.positional[n]
        } else {
            guard let v = args.keywords.last(where: { $0.0 == head })?.1 else { throw EvalError.runtime("KeyError: \(PythonRepr.string(head))") }
            value = v
        }
        var rest = name[headEnd...]
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                value = try pythonAttribute(value, String(rest[..<end]))
                rest = rest[end...]
            } else {
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: "]") else { throw EvalError.runtime("Missing ']' in format string") }
                let key = String(rest[..<close])
                value = try interp.getitem(value, Int(key).map { .int($0) } ?? .string(key))
                rest = rest[rest.index(after: close)...]
            }
        }
        switch conversion {
        case "r"?: value = .string(PythonRepr.repr(value))
        case "a"?: value = .string(PythonRepr.ascii(value))
        case "s"?: value = .string(try interp.str(value))
        default: break
        }
        return try applySpec(value, spec, interp)
    }

    /// Python's getattr (no item fallback, unlike Jinja2's attribute lookup).
    private static func pythonAttribute(_ value: Value, _ name: String) throws -> Value {
        switch value {
        case .dict where Methods.isDictMethod(name), .list where Methods.isListMethod(name),
             .string where Methods.isStringMethod(name), .markup where Methods.isStringMethod(name):
            return .object(BoundMethod(receiver: value, name: name))
        case .object(let o):
            if let v = o.attribute(name) { return v }
        case .int, .bool:
            // int's number attributes (bool is an int).
            let i = Interpreter.intIndex(value) ?? 0
            switch name {
            case "real", "numerator": return .int(i)
            case "imag": return .int(0)
            case "denominator": return .int(1)
            default: break
            }
        case .float(let d):
            if name == "real" { return .float(d) }
            if name == "imag" { return .float(0) }
        default:
            break
        }
        throw EvalError.runtime("'\(value.typeName)' object has no attribute '\(name)'")
    }

    /// The format-spec mini-language: [[fill]align][sign][#][0][width][,_][.precision][type].
    static func applySpec(_ value: Value, _ spec: String, _ interp: Interpreter) throws -> String {
        if spec.isEmpty { return try interp.str(value) }
        let s = Array(spec.unicodeScalars)
        var i = 0
        var fill: Unicode.Scalar = " "
        var align: Unicode.Scalar?
        var fillGiven = false
        if s.count >= 2, "<>^=".unicodeScalars.contains(s[1]) { fill = s[0]; align = s[1]; i = 2; fillGiven = true }
        else if let f = s.first, "<>^=".unicodeScalars.contains(f) { align = f; i = 1 }
        var signFlag: Unicode.Scalar = "-"
        if i < s.count, "+- ".unicodeScalars.contains(s[i]) { signFlag = s[i]; i += 1 }
        var alternate = false
        if i < s.count, s[i] == "#" { alternate = true; i += 1 }
        // The 0 flag fills with zeros unless a fill is given, and aligns after the sign unless an
        // alignment is given (so `<05` pads 7 as 70000, as Python does).
        if i < s.count, s[i] == "0" {
            if !fillGiven { fill = "0" }
            if align == nil { align = "=" }
            i += 1
        }
        var w = ""
        while i < s.count, s[i].isASCII, s[i].properties.numericType != nil { w.unicodeScalars.append(s[i]); i += 1 }
        var grouping: Unicode.Scalar?
        if i < s.count, s[i] == "," || s[i] == "_" { grouping = s[i]; i += 1 }
        var precision: Int?
        if i < s.count, s[i] == "." {
            i += 1
            var p = ""
            while i < s.count, s[i].isASCII, s[i].properties.numericType != nil { p.unicodeScalars.append(s[i]); i += 1 }
            precision = Int(p)
        }
        var type: Unicode.Scalar? = i < s.count ? s[i] : nil
        if i + 1 < s.count { throw EvalError.runtime("Invalid format specifier") }
        // n is d or g with the locale's grouping, and the C locale groups nothing.
        if type == "n" {
            switch value {
            case .int, .bool: type = "d"
            case .object(let o) where o is PyBigInt: type = "d"
            case .float: type = "g"
            default: break
            }
        }

        let width = try Limits.width(Int(w) ?? 0)
        var body: String
        var negative = false
        let isNumber = Interpreter.numeric(value) != nil
        switch (value, type) {
        case (_, "s"?), (.string, nil), (.markup, nil):
            guard value.isString || type == nil else { throw EvalError.runtime("Unknown format code 's' for object of type '\(value.typeName)'") }
            body = try interp.str(value)
            if let precision { body = PyString.string(body.unicodeScalars.prefix(precision)) }
            if align == nil { align = "<" }
        case (_, "d"?), (.int, nil), (.bool, nil), (.object(is PyBigInt), nil):
            let n: BigInt
            switch value {
            case .int(let x): n = BigInt(x)
            case .object(let o as PyBigInt): n = o.value
            case .bool(let b):
                // A non-empty spec formats a bool as the int it is.
                n = BigInt(b ? 1 : 0)
            default: throw EvalError.runtime("Unknown format code 'd' for object of type '\(value.typeName)'")
            }
            negative = n.negative
            body = try n.magnitude.checkedDecimal()
            if let grouping { body = group(body, String(grouping)) }
        case (.int, "c"?), (.bool, "c"?):
            let code = Interpreter.intIndex(value) ?? 0
            guard code >= 0, code <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(code)) else {
                throw EvalError.runtime("%c arg not in range(0x110000)")
            }
            body = String(Character(scalar))
            if align == nil { align = "<" }
            signFlag = "-"
        case (_, "x"?), (_, "X"?), (_, "o"?), (_, "b"?):
            let n: BigInt
            if case .object(let o as PyBigInt) = value { n = o.value } else {
                guard let i = Interpreter.intIndex(value) else { throw EvalError.runtime("Unknown format code for object of type '\(value.typeName)'") }
                n = BigInt(i)
            }
            negative = n.negative
            let radix = type == "o" ? 8 : type == "b" ? 2 : 16
            body = n.magnitudeDigits(radix: radix)
            if type == "X" { body = body.uppercased() }
            if alternate { body = (type == "o" ? "0o" : type == "b" ? "0b" : type == "X" ? "0X" : "0x") + body }
        case (_, "f"?), (_, "F"?), (_, "e"?), (_, "E"?), (_, "g"?), (_, "G"?), (_, "%"?), (.float, nil):
            guard let num = Interpreter.numeric(value) else { throw EvalError.runtime("Unknown format code for object of type '\(value.typeName)'") }
            var d = try num.floatValue()
            negative = d.sign == .minus
            d = abs(d)
            if type == nil {
                body = precision.map { PercentFormat.cFormat(d, "g", precision: $0, alternate: false) } ?? PythonRepr.float(d)
            } else if type == "%" {
                body = PercentFormat.cFormat(d * 100, "f", precision: precision ?? 6, alternate: alternate) + "%"
            } else {
                body = PercentFormat.cFormat(d, type!, precision: precision ?? 6, alternate: alternate)
            }
            if let grouping {
                let parts = body.split(separator: ".", maxSplits: 1)
                body = group(String(parts[0]), String(grouping)) + (parts.count > 1 ? "." + parts[1] : "")
            }
        default:
            throw EvalError.runtime("Unknown format code '\(type.map { String($0) } ?? "")' for object of type '\(value.typeName)'")
        }
        let signText = negative ? "-" : (isNumber && signFlag == "+") ? "+" : (isNumber && signFlag == " ") ? " " : ""
        let a = align ?? (isNumber ? ">" : "<")
        if a == "=" {
            let n = (signText + body).unicodeScalars.count
            return signText + String(repeating: String(fill), count: max(0, width - n)) + body
        }
        return PyString.pad(signText + body, width, String(fill), Character(a))
    }

    private static func group(_ digits: String, _ sep: String) -> String {
        var out = ""
        for (i, c) in digits.reversed().enumerated() {
            if i > 0, i % 3 == 0 { out += sep }
            out.append(c)
        }
        return String(out.reversed())
    }
}
