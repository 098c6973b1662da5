// Jinja2's builtin filters, with the semantics of jinja2/filters.py (3.1).
import FoundationEssentials
import Glibc
import SystemKit

enum Filters {
    typealias Filter = @Sendable (Value, Arguments, Interpreter) throws -> Value

    static var names: Set<String> { Set(table.keys) }

    static func apply(_ name: String, _ value: Value, _ args: Arguments, _ interp: Interpreter) throws -> Value {
        guard let f = table[name] else { throw EvalError.runtime("No filter named '\(name)' found.") }
        return try f(value, args, interp)
    }

    static func escapeHTML(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func escape(_ v: Value, _ interp: Interpreter) throws -> Value {
        if case .markup = v { return v }
        return .markup(escapeHTML(try interp.str(v)))
    }

    /// Looks up a dotted attribute path (`a.b.0`) as Jinja2's make_attrgetter does.
    static func attrGetter(_ attribute: Value?, _ interp: Interpreter, default dflt: Value? = nil) -> (Value) throws -> Value {
        guard let attribute, !attribute.isNone else { return { $0 } }
        var parts: [Value] = []
        if let s = attribute.asString {
            parts = s.split(separator: ".", omittingEmptySubsequences: false).map { p in Int(p).map { .int($0) } ?? .string(String(p)) }
        } else {
            parts = [attribute]
        }
        return { item in
            var v = item
            for p in parts {
                v = try interp.getitem(v, p)
                if v.isUndefined, let dflt { return dflt }
            }
            return v
        }
    }

    /// Sort key used by sort/dictsort/min/max: strings lower-cased unless case-sensitive.
    static func sortKey(_ v: Value, caseSensitive: Bool) -> Value {
        if !caseSensitive, let s = v.asString { return .string(s.lowercased()) }
        return v
    }

    static func sortValues(_ items: [Value], reverse: Bool, caseSensitive: Bool, attribute: Value?, _ interp: Interpreter) throws -> [Value] {
        let getter = attrGetter(attribute, interp)
        var keyed: [(Value, Value)] = []
        for item in items { keyed.append((sortKey(try getter(item), caseSensitive: caseSensitive), item)) }
        let sorted = try stableSort(keyed) { try interp.lessThan($0.0, $1.0) }
        let result = sorted.map(\.1)
        return reverse ? try stableReverseSort(keyed, sorted: sorted) : result
    }

    /// Python's sort(reverse=True) keeps equal elements in original order.
    private static func stableReverseSort(_ keyed: [(Value, Value)], sorted: [(Value, Value)]) throws -> [Value] {
        // Group runs of equal keys in the ascending order, then reverse the run order.
        var runs: [[(Value, Value)]] = []
        for e in sorted {
            if let last = runs.last?.first, try Interpreter.pyEquals(last.0, e.0) { runs[runs.count - 1].append(e) } else { runs.append([e]) }
        }
        return runs.reversed().flatMap { $0.map(\.1) }
    }

    static func stableSort<T>(_ items: [T], by less: (T, T) throws -> Bool) throws -> [T] {
        // Merge sort (insertion sort for short runs): stable, and lets the comparison throw.
        if items.count <= 1 { return items }
        if items.count <= 12 {
            var out = items
            for i in 1..<out.count {
                var j = i
                let x = out[i]
                while j > 0, try less(x, out[j - 1]) {
                    out[j] = out[j - 1]
                    j -= 1
                }
                out[j] = x
            }
            return out
        }
        let mid = items.count / 2
        let left = try stableSort(Array(items[..<mid]), by: less)
        let right = try stableSort(Array(items[mid...]), by: less)
        var out: [T] = []
        out.reserveCapacity(items.count)
        var i = 0, j = 0
        while i < left.count, j < right.count {
            if try less(right[j], left[i]) { out.append(right[j]); j += 1 } else { out.append(left[i]); i += 1 }
        }
        out += left[i...]
        out += right[j...]
        return out
    }

    private static func arg(_ a: Arguments, _ names: [String], _ defaults: [Value?], _ fn: String) throws -> [Value?] {
        try a.bind(fn, names, defaults: defaults)
    }

    private static func toInt(_ v: Value?, _ fn: String) throws -> Int {
        guard let v, let i = Interpreter.intIndex(v) else {
            throw EvalError.type("'\(v?.typeName ?? "NoneType")' object cannot be interpreted as an integer")
        }
        return i
    }

    // striptags' patterns (constant: they compile or every striptags test fails), scalar by scalar as Python.
    nonisolated(unsafe) private static let htmlComment = try! Regex("(?s)<!--.*?-->").matchingSemantics(.unicodeScalar)
    nonisolated(unsafe) private static let htmlTag = try! Regex("(?s)<.*?>").matchingSemantics(.unicodeScalar)

    static func number(_ v: Value, _ fn: String) throws -> Interpreter.Number {
        guard let n = Interpreter.numeric(v) else { throw EvalError.type("bad operand type for \(fn)(): '\(v.typeName)'") }
        return n
    }

    static func pythonRound(_ d: Double, _ digits: Int) -> Double {
        guard d.isFinite else { return d }
        if digits > 300 { return d }
        let text = String(cFormat: "%.\(max(0, digits))f", d)
        if digits >= 0 { return Double(text) ?? d }
        let p = Glibc.pow(10.0, Double(-digits))
        let scaled = d / p
        let r = (Double(String(cFormat: "%.0f", scaled)) ?? scaled) * p
        return r
    }

    /// round(n, -digits) for an int: exact, halves to even, as Python rounds ints.
    static func roundInteger(_ n: BigInt, _ digits: Int) throws -> Value {
        // 10 ** digits beyond n's own digits rounds everything to zero.
        if digits > n.bitWidth / 3 + 2 { return .int(0) }
        let p = try BigInt.power(BigInt(10), digits)
        var (q, r) = BigInt.floorDivMod(n, p)
        let twice = BigInt.compare(r + r, p)
        if twice > 0 || (twice == 0 && !BigInt.floorDivMod(q, BigInt(2)).remainder.isZero) { q = q + BigInt(1) }
        return try Interpreter.checkedInteger(q * p)
    }

    /// The sign, digits (underscores removed) and base of a literal Python's int(s, base) accepts; nil when
    /// it raises. One parse for both the 64-bit fast path and the arbitrary-size one.
    static func integerLiteral(_ s: String, base: Int) -> (negative: Bool, digits: String, base: Int)? {
        var t = PyString.strip(s, nil, left: true, right: true)
        var negative = false
        if t.hasPrefix("-") { negative = true; t.removeFirst() } else if t.hasPrefix("+") { t.removeFirst() }
        var b = base
        let lower = t.lowercased()
        if (b == 16 || b == 0) && lower.hasPrefix("0x") { t.removeFirst(2); b = 16 }
        else if (b == 8 || b == 0) && lower.hasPrefix("0o") { t.removeFirst(2); b = 8 }
        else if (b == 2 || b == 0) && lower.hasPrefix("0b") { t.removeFirst(2); b = 2 }
        if b == 0 { b = 10 }
        guard b >= 2, b <= 36 else { return nil }
        if t.hasPrefix("_") || t.hasSuffix("_") || t.contains("__") || t.isEmpty || t.hasPrefix("+") || t.hasPrefix("-") { return nil }
        let digits = t.replacingAll("_", with: "")
        guard digits.allSatisfy({ $0.isASCII }) else { return nil }
        return (negative, digits, b)
    }

    static func intFromString(_ s: String, base: Int) -> Int? {
        guard let literal = integerLiteral(s, base: base), let v = Int(literal.digits, radix: literal.base) else { return nil }
        return literal.negative ? -v : v
    }

    /// int(s, base) of any size (Python's int() has no 64-bit bound).
    static func integerFromString(_ s: String, base: Int) -> BigInt? {
        if let i = intFromString(s, base: base) { return BigInt(i) }
        guard let (negative, t, b) = integerLiteral(s, base: base) else { return nil }
        // Python's limit on decimal string conversion (sys.get_int_max_str_digits()).
        if b == 10, t.count > 4300 { return nil }
        guard let n = BigInt(digits: Substring(t), radix: b) else { return nil }
        return negative ? -n : n
    }

    static func floatFromString(_ s: String) -> Double? {
        let t = PyString.strip(s, nil, left: true, right: true).lowercased()
        switch t {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        if t.isEmpty || t.hasPrefix("_") || t.hasSuffix("_") || t.contains("__") || t.contains("0x") { return nil }
        let cleaned = t.replacingAll("_", with: "")
        guard cleaned.allSatisfy({ "0123456789.e+-".contains($0) }) else { return nil }
        return Double(cleaned)
    }

    private static func stringValue(_ v: Value, _ interp: Interpreter) throws -> Value {
        if case .markup = v { return v }
        return .string(try interp.str(v))
    }

    static let table: [String: Filter] = {
        var t: [String: Filter] = [:]
        t["abs"] = { v, _, interp in
            if case .undefined(let u) = v { throw interp.undefinedError(u) }
            switch try number(v, "abs") {
            case .int(let i): return i == Int.min ? .integer(BigInt(i).magnitude) : .int(abs(i))
            case .float(let d): return .float(abs(d))
            case .big(let b): return .integer(b.magnitude)
            }
        }
        t["attr"] = { v, a, interp in
            guard let name = a.positional.first?.asString else { throw EvalError.type("attribute name must be a string") }
            if case .dict = v {
                return Methods.isDictMethod(name) ? .object(BoundMethod(receiver: v, name: name)) : .undefined(Undefined(name: name, owner: v.objectTypeRepr))
            }
            return try interp.getattr(v, name)
        }
        t["batch"] = { v, a, interp in
            let b = try arg(a, ["linecount", "fill_with"], [nil, Value.none], "batch")
            let n = try toInt(b[0], "batch")
            guard n > 0 else { throw EvalError.runtime("batch size must be positive") }
            var out: [Value] = []
            var tmp: [Value] = []
            for item in try interp.iterate(v) {
                if tmp.count == n { out.append(.list(tmp)); tmp = [] }
                tmp.append(item)
            }
            if !tmp.isEmpty {
                if let fill = b[1], !fill.isNone { while tmp.count < n { tmp.append(fill) } }
                out.append(.list(tmp))
            }
            return .list(out)
        }
        t["capitalize"] = { v, _, interp in .string(PyString.capitalize(try interp.str(v))) }
        t["center"] = { v, a, interp in
            let b = try arg(a, ["width"], [.int(80)], "center")
            return .string(PyString.pad(try interp.str(v), try Limits.width(try toInt(b[0], "center")), " ", "^"))
        }
        t["count"] = { v, _, interp in .int(try interp.length(v)) }
        t["length"] = t["count"]
        t["default"] = { v, a, interp in
            if a.keywords.isEmpty, a.positional.count <= 2 {
                let dflt = a.positional.first ?? .string("")
                if v.isUndefined { return dflt }
                if a.positional.count == 2, try interp.truthy(a.positional[1]), !(try interp.truthy(v)) { return dflt }
                return v
            }
            let b = try arg(a, ["default_value", "boolean"], [.string(""), .bool(false)], "default")
            if v.isUndefined { return b[0]! }
            if try interp.truthy(b[1]!), !(try interp.truthy(v)) { return b[0]! }
            return v
        }
        t["d"] = t["default"]
        t["dictsort"] = { v, a, interp in
            let b = try arg(a, ["case_sensitive", "by", "reverse"], [.bool(false), .string("key"), .bool(false)], "dictsort")
            guard case .dict(let d) = v else {
                if case .undefined(let u) = v { throw interp.undefinedError(u) }
                throw EvalError.type("'\(v.typeName)' object has no attribute 'items'")
            }
            let byValue: Bool
            switch b[1]?.asString {
            case "key": byValue = false
            case "value": byValue = true
            default: throw EvalError.runtime("You can only sort by either \"key\" or \"value\"")
            }
            let cs = try interp.truthy(b[0]!)
            var pairs: [(Value, Value)] = []
            for (k, val) in zip(d.keys, d.values) { pairs.append((sortKey(byValue ? val : k, caseSensitive: cs), .tuple([k, val]))) }
            let sorted = try stableSort(pairs) { try interp.lessThan($0.0, $1.0) }
            var items = sorted.map(\.1)
            if try interp.truthy(b[2]!) { items = try stableReverseSort(pairs, sorted: sorted) }
            return .list(items)
        }
        t["escape"] = { v, _, interp in try escape(v, interp) }
        t["e"] = t["escape"]
        t["forceescape"] = { v, _, interp in .markup(escapeHTML(try interp.str(v))) }
        t["filesizeformat"] = { v, a, interp in
            let b = try arg(a, ["binary"], [.bool(false)], "filesizeformat")
            let binary = try interp.truthy(b[0]!)
            let bytes: Double
            switch v {
            case .int(let i): bytes = Double(i)
            case .object(let o as PyBigInt): bytes = try Interpreter.Number.big(o.value).floatValue()
            case .float(let d): bytes = d
            case .bool(let x): bytes = x ? 1 : 0
            case .string(let s): guard let d = floatFromString(s) else { throw EvalError.runtime("could not convert string to float: \(PythonRepr.string(s))") }; bytes = d
            default: throw EvalError.type("float() argument must be a string or a real number, not '\(v.typeName)'")
            }
            let base: Double = binary ? 1024 : 1000
            let prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"] : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
            if bytes == 1 { return .string("1 Byte") }
            if bytes < base { return .string("\(BigInt(truncating: bytes)?.decimal ?? PythonRepr.float(bytes)) Bytes") }
            var unit = base
            for (i, prefix) in prefixes.enumerated() {
                unit = Glibc.pow(base, Double(i + 2))
                if bytes < unit { return .string(String(cFormat: "%.1f", base * bytes / unit) + " " + prefix) }
            }
            return .string(String(cFormat: "%.1f", base * bytes / unit) + " " + prefixes.last!)
        }
        t["first"] = { v, _, interp in
            if case .dict(let d) = v { return d.keys.first ?? .undefined(Undefined(hint: "No first item, sequence was empty.")) }
            return try interp.iterate(v).first ?? .undefined(Undefined(hint: "No first item, sequence was empty."))
        }
        t["last"] = { v, _, interp in
            return try interp.iterate(v).last ?? .undefined(Undefined(hint: "No last item, sequence was empty."))
        }
        t["float"] = { v, a, interp in
            let b = try arg(a, ["default"], [.float(0)], "float")
            switch v {
            case .undefined(let u): throw interp.undefinedError(u)
            case .int(let i): return .float(Double(i))
            case .object(let o as PyBigInt): return .float(try Interpreter.Number.big(o.value).floatValue())
            case .bool(let x): return .float(x ? 1 : 0)
            case .float: return v
            case .string(let s), .markup(let s): return floatFromString(s).map { .float($0) } ?? b[0]!
            default: return b[0]!
            }
        }
        t["int"] = { v, a, interp in
            let b = try arg(a, ["default", "base"], [.int(0), .int(10)], "int")
            let base = try toInt(b[1], "int")
            switch v {
            case .undefined(let u): throw interp.undefinedError(u)
            case .int: return v
            case .object(let o) where o is PyBigInt: return v
            case .bool(let x): return .int(x ? 1 : 0)
            case .float(let d):
                // int(inf) and int(nan) raise, and Jinja2's int filter falls back to the default.
                guard let n = BigInt(truncating: d) else { return b[0]! }
                return .integer(n)
            case .string(let s), .markup(let s):
                if let n = integerFromString(s, base: base) { return try Interpreter.checkedInteger(n) }
                if let d = floatFromString(s) {
                    guard let n = BigInt(truncating: d) else { return b[0]! }
                    return .integer(n)
                }
                return b[0]!
            default: return b[0]!
            }
        }
        t["format"] = { v, a, interp in
            let fmt = try interp.str(v)
            if !a.keywords.isEmpty && !a.positional.isEmpty { throw EvalError.runtime("can't handle positional and keyword arguments at the same time") }
            let argument: Value
            if !a.keywords.isEmpty {
                let d = DictStorage()
                for (k, x) in a.keywords { d[string: k] = x }
                argument = .dict(d)
            } else {
                argument = .tuple(a.positional)
            }
            return .string(try PercentFormat.format(fmt, argument, interpreter: interp))
        }
        t["groupby"] = { v, a, interp in
            let b = try arg(a, ["attribute", "default", "case_sensitive"], [nil, Value.none, .bool(false)], "groupby")
            guard let attribute = b[0] else { throw EvalError.type("groupby() missing 1 required positional argument: 'attribute'") }
            let cs = try interp.truthy(b[2]!)
            let dflt: Value? = b[1]!.isNone ? nil : b[1]!
            let getter = attrGetter(attribute, interp, default: dflt)
            var keyed: [(Value, Value)] = []
            for item in try interp.iterate(v) { keyed.append((sortKey(try getter(item), caseSensitive: cs), item)) }
            let sorted = try stableSort(keyed) { try interp.lessThan($0.0, $1.0) }
            var groups: [Value] = []
            var current: (Value, [Value])?
            for (k, item) in sorted {
                if let c = current, try Interpreter.pyEquals(c.0, k) { current!.1.append(item); continue }
                if let c = current { groups.append(.object(GroupTuple(grouper: cs ? c.0 : try getter(c.1[0]), list: c.1))) }
                current = (k, [item])
            }
            if let c = current { groups.append(.object(GroupTuple(grouper: cs ? c.0 : try getter(c.1[0]), list: c.1))) }
            return .list(groups)
        }
        t["indent"] = { v, a, interp in
            let b = try arg(a, ["width", "first", "blank"], [.int(4), .bool(false), .bool(false)], "indent")
            let indention: String
            if let s = b[0]!.asString { indention = s } else { indention = String(repeating: " ", count: max(0, try Limits.width(try toInt(b[0], "indent")))) }
            guard var s = v.asString else {
                if case .undefined(let u) = v { throw interp.undefinedError(u) }
                throw EvalError.type("unsupported operand type(s) for +=: '\(v.typeName)' and 'str'")
            }
            s += "\n"
            var rv: String
            let lines = PyString.splitlines(s, keepends: false)
            if try interp.truthy(b[2]!) {
                rv = lines.joined(separator: "\n" + indention)
            } else {
                rv = lines.first ?? ""
                if lines.count > 1 {
                    rv += "\n" + lines.dropFirst().map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
                }
            }
            if try interp.truthy(b[1]!) { rv = indention + rv }
            return v.isMarkup ? .markup(rv) : .string(rv)
        }
        t["items"] = { v, _, interp in
            switch v {
            case .undefined: return .list([])
            case .dict(let d): return .list(zip(d.keys, d.values).map { .tuple([$0, $1]) })
            default: throw EvalError.type("Can only get item pairs from a mapping.")
            }
        }
        t["join"] = { v, a, interp in
            let b: [Value?] = a.keywords.isEmpty && a.positional.count <= 1
                ? [a.positional.first ?? .string(""), Value.none]
                : try arg(a, ["d", "attribute"], [.string(""), Value.none], "join")
            let items = b[1]!.isNone ? try interp.iterate(v) : try interp.iterate(v).map(attrGetter(b[1], interp))
            let sep = b[0]!
            // Without autoescaping Jinja2 joins plain str() of everything, Markup or not.
            return .string(try items.map { try interp.str($0) }.joined(separator: try interp.str(sep)))
        }
        t["list"] = { v, _, interp in .list(try interp.iterate(v)) }
        t["lower"] = { v, _, interp in .string(PyString.lower(try interp.str(v))) }
        t["upper"] = { v, _, interp in .string(try interp.str(v).uppercased()) }
        t["title"] = { v, _, interp in
            // Words start after runs of spaces, hyphens and opening brackets.
            // Each word is item[0].upper() + item[1:].lower(), so a final sigma is judged within the word.
            let s = try interp.str(v)
            var out = ""
            var rest = ""
            var atStart = true
            for c in s.unicodeScalars {
                if PyString.isSpace(c) || "-({[<".unicodeScalars.contains(c) {
                    out += PyString.lower(rest); rest = ""
                    out.unicodeScalars.append(c); atStart = true
                } else if atStart {
                    out += c.properties.uppercaseMapping; atStart = false
                } else {
                    rest.unicodeScalars.append(c)
                }
            }
            return .string(out + PyString.lower(rest))
        }
        t["map"] = { v, a, interp in
            // Python's map filter is a generator that does nothing for a falsy value.
            guard try interp.truthy(v) else { return .list([]) }
            let items = try interp.iterate(v)
            if let attribute = a.keywords.first(where: { $0.0 == "attribute" })?.1 {
                let dflt = a.keywords.first(where: { $0.0 == "default" })?.1
                let getter = attrGetter(attribute, interp, default: dflt)
                return .list(try items.map(getter))
            }
            guard let name = a.positional.first?.asString else {
                if a.positional.isEmpty { return .list(items) }
                throw EvalError.type("map filter name must be a string")
            }
            guard let f = table[name] else { throw EvalError.runtime("No filter named '\(name)'.") }
            let rest = Arguments(Array(a.positional.dropFirst()), keywords: a.keywords)
            return .list(try items.map { try f($0, rest, interp) })
        }
        func aggregate(_ wantMax: Bool) -> Filter {
            return { v, a, interp in
                let b = try arg(a, ["case_sensitive", "attribute"], [.bool(false), Value.none], wantMax ? "max" : "min")
                let getter = attrGetter(b[1], interp)
                let cs = try interp.truthy(b[0]!)
                var best: (Value, Value)?
                for item in try interp.iterate(v) {
                    let k = sortKey(try getter(item), caseSensitive: cs)
                    if let cur = best {
                        if wantMax ? try interp.lessThan(cur.0, k) : try interp.lessThan(k, cur.0) { best = (k, item) }
                    } else { best = (k, item) }
                }
                return best?.1 ?? .undefined(Undefined(hint: "No aggregated item, sequence was empty."))
            }
        }
        t["max"] = aggregate(true)
        t["min"] = aggregate(false)
        t["pprint"] = { v, _, _ in .string(try PrettyPrint.format(v)) }
        t["random"] = { v, _, interp in
            let items = try interp.iterate(v)
            guard !items.isEmpty else { return .undefined(Undefined(hint: "No random item, sequence was empty.")) }
            return items[interp.nextRandom(items.count)]
        }
        func selectOrReject(_ select: Bool, byAttribute: Bool) -> Filter {
            return { v, a, interp in
                guard try interp.truthy(v) else { return .list([]) }
                var positional = a.positional
                var getter: (Value) throws -> Value = { $0 }
                if byAttribute {
                    guard !positional.isEmpty else { throw EvalError.type("Missing parameter for attribute name") }
                    getter = attrGetter(positional.removeFirst(), interp)
                }
                var test: ((Value) throws -> Bool)
                if positional.isEmpty {
                    test = { try interp.truthy($0) }
                } else {
                    guard let name = positional.removeFirst().asString else { throw EvalError.type("test name must be a string") }
                    guard Tests.table[name] != nil else { throw EvalError.runtime("No test named '\(name)'.") }
                    let rest = Arguments(positional, keywords: a.keywords)
                    test = { try Tests.apply(name, $0, rest, interp) }
                }
                var out: [Value] = []
                for item in try interp.iterate(v) where try test(try getter(item)) == select { out.append(item) }
                return .list(out)
            }
        }
        t["select"] = selectOrReject(true, byAttribute: false)
        t["reject"] = selectOrReject(false, byAttribute: false)
        t["selectattr"] = selectOrReject(true, byAttribute: true)
        t["rejectattr"] = selectOrReject(false, byAttribute: true)
        t["replace"] = { v, a, interp in
            // Without autoescape Jinja2 replaces on str(value): the result is a plain str, even for Markup.
            let b = try arg(a, ["old", "new", "count"], [nil, nil, Value.none], "replace")
            let count = b[2]!.isNone ? -1 : try toInt(b[2], "replace")
            guard let old = b[0], let new = b[1] else { throw EvalError.type("replace() missing required argument") }
            let (text, oldText, newText) = (try interp.str(v), try interp.str(old), try interp.str(new))
            try Limits.stringSize(PyString.replacedSize(text, oldText, newText, count), limit: interp.environment.options.maxOutputBytes)
            return .string(PyString.replace(text, oldText, newText, count))
        }
        t["reverse"] = { v, _, interp in
            switch v {
            case .string(let s): return .string(PyString.string(s.unicodeScalars.reversed()))
            case .markup(let s): return .markup(PyString.string(s.unicodeScalars.reversed()))
            default: return .list(try interp.iterate(v).reversed())
            }
        }
        t["round"] = { v, a, interp in
            let b = try arg(a, ["precision", "method"], [.int(0), .string("common")], "round")
            let precision = try toInt(b[0], "round")
            guard let method = b[1]?.asString, ["common", "ceil", "floor"].contains(method) else {
                throw EvalError.type("method must be 'common', 'ceil' or 'floor'")
            }
            if case .undefined(let u) = v { throw interp.undefinedError(u) }
            let n = try number(v, "round")
            if method == "common" {
                if let i = n.integer {
                    if precision >= 0 { return n.value }
                    return try roundInteger(i, -precision)
                }
                return .float(pythonRound(n.double, precision))
            }
            let scale = Glibc.pow(10.0, Double(precision))
            let x = try n.floatValue() * scale
            // math.ceil/floor give an int, which has no negative zero (ceil(-0.5) / 1 is 0.0).
            let r = method == "ceil" ? x.rounded(.up) : x.rounded(.down)
            return .float((r == 0 ? 0 : r) / scale)
        }
        t["safe"] = { v, _, interp in
            if case .markup = v { return v }
            return .markup(try interp.str(v))
        }
        t["slice"] = { v, a, interp in
            let b = try arg(a, ["slices", "fill_with"], [nil, Value.none], "slice")
            let slices = try toInt(b[0], "slice")
            guard slices > 0 else { throw EvalError.runtime("slices must be positive") }
            let seq = try interp.iterate(v)
            let length = seq.count
            let perSlice = length / slices
            let withExtra = length % slices
            var offset = 0
            var out: [Value] = []
            for i in 0..<slices {
                let start = offset + i * perSlice
                if i < withExtra { offset += 1 }
                let end = offset + (i + 1) * perSlice
                var tmp = Array(seq[min(start, length)..<min(end, length)])
                if let fill = b[1], !fill.isNone, i >= withExtra { tmp.append(fill) }
                out.append(.list(tmp))
            }
            return .list(out)
        }
        t["sort"] = { v, a, interp in
            if a.positional.isEmpty, a.keywords.isEmpty {
                return .list(try sortValues(try interp.iterate(v), reverse: false, caseSensitive: false, attribute: nil, interp))
            }
            let b = try arg(a, ["reverse", "case_sensitive", "attribute"], [.bool(false), .bool(false), Value.none], "sort")
            return .list(try sortValues(try interp.iterate(v), reverse: try interp.truthy(b[0]!), caseSensitive: try interp.truthy(b[1]!), attribute: b[2], interp))
        }
        t["string"] = { v, _, interp in try stringValue(v, interp) }
        t["striptags"] = { v, _, interp in
            var s = try interp.str(v)
            // markupsafe matches with DOTALL: tags and comments may span lines.
            s = s.replacing(Self.htmlComment, with: "")
            s = s.replacing(Self.htmlTag, with: "")
            s = PyString.split(s, nil, -1).joined(separator: " ")
            return .string(HTMLEntities.unescape(s))
        }
        t["sum"] = { v, a, interp in
            let b = try arg(a, ["attribute", "start"], [Value.none, .int(0)], "sum")
            let getter = attrGetter(b[0], interp)
            var total = b[1]!
            for item in try interp.iterate(v) { total = try interp.binary("+", total, try getter(item)) }
            return total
        }
        t["tojson"] = { v, a, interp in
            let b: [Value?] = a.positional.isEmpty && a.keywords.isEmpty ? [Value.none] : try arg(a, ["indent"], [Value.none], "tojson")
            let indent = b[0]!.isNone ? nil : try Limits.width(try toInt(b[0], "tojson"))
            let s = try JSONWriter.encode(v, sortKeys: true, indent: indent, htmlSafe: true, interp)
            return .markup(s)
        }
        t["trim"] = { v, a, interp in
            let b = try arg(a, ["chars"], [Value.none], "trim")
            return .string(PyString.strip(try interp.str(v), b[0]!.asString, left: true, right: true))
        }
        t["truncate"] = { v, a, interp in
            let b = try arg(a, ["length", "killwords", "end", "leeway"], [.int(255), .bool(false), .string("..."), Value.none], "truncate")
            switch v {
            case .string, .markup: break
            case .undefined: if try interp.length(v) == 0 { return v }
            case .list, .tuple, .dict, .object:
                let limit = try toInt(b[0], "truncate") + (b[3]!.isNone ? 5 : try toInt(b[3], "truncate"))
                if try interp.length(v) <= limit { return v }
                throw EvalError.type("can only truncate strings")
            default: throw EvalError.type("object of type '\(v.typeName)' has no len()")
            }
            let s = try interp.str(v)
            let length = try toInt(b[0], "truncate")
            let end = try interp.str(b[2]!)
            let leeway = b[3]!.isNone ? 5 : try toInt(b[3], "truncate")
            guard length >= end.unicodeScalars.count else { throw EvalError.runtime("expected length >= \(end.unicodeScalars.count), got \(length)") }
            guard leeway >= 0 else { throw EvalError.runtime("expected leeway >= 0, got \(leeway)") }
            let scalars = Array(s.unicodeScalars)
            if scalars.count <= length + leeway { return .string(s) }
            let head = PyString.string(scalars.prefix(max(0, length - end.unicodeScalars.count)))
            if try interp.truthy(b[1]!) { return .string(head + end) }
            let cut = PyString.rsplit(head, " ", 1)[0]
            return .string(cut + end)
        }
        t["unique"] = { v, a, interp in
            let b = try arg(a, ["case_sensitive", "attribute"], [.bool(false), Value.none], "unique")
            let getter = attrGetter(b[1], interp)
            let cs = try interp.truthy(b[0]!)
            var seen = Set<HashKey>()
            var out: [Value] = []
            for item in try interp.iterate(v) {
                let k = sortKey(try getter(item), caseSensitive: cs)
                if case .undefined(let u) = k, interp.strict, !u.alwaysLenient { throw interp.undefinedError(u) }
                guard let h = HashKey(k) else { throw EvalError.type("unhashable type: '\(k.typeName)'") }
                if seen.insert(h).inserted { out.append(item) }
            }
            return .list(out)
        }
        t["urlencode"] = { v, _, interp in
            switch v {
            case .dict(let d):
                return .string(try zip(d.keys, d.values).map { URLQuote.quote(try interp.str($0), safe: "", plus: true) + "=" + URLQuote.quote(try interp.str($1), safe: "", plus: true) }.joined(separator: "&"))
            case .string(let s), .markup(let s):
                return .string(URLQuote.quote(s, safe: "/"))
            case .list, .tuple, .object:
                return .string(try interp.iterate(v).map { pair in
                    let kv = try interp.iterate(pair)
                    guard kv.count == 2 else { throw EvalError.runtime("too many values to unpack") }
                    return URLQuote.quote(try interp.str(kv[0]), safe: "", plus: true) + "=" + URLQuote.quote(try interp.str(kv[1]), safe: "", plus: true)
                }.joined(separator: "&"))
            default:
                return .string(URLQuote.quote(try interp.str(v), safe: "/"))
            }
        }
        t["urlize"] = { v, a, interp in .string(Urlize.urlize(try interp.str(v))) }
        t["wordcount"] = { v, _, interp in
            let s = try interp.str(v)
            var count = 0
            var inWord = false
            for c in s.unicodeScalars {
                let w = c.properties.isAlphabetic || c.properties.numericType != nil || c == "_"
                if w && !inWord { count += 1 }
                inWord = w
            }
            return .int(count)
        }
        t["wordwrap"] = { v, a, interp in
            let b = try arg(a, ["width", "break_long_words", "wrapstring", "break_on_hyphens"], [.int(79), .bool(true), Value.none, .bool(true)], "wordwrap")
            // Jinja2 calls s.splitlines(): anything but a str fails.
            if case .undefined(let u) = v { throw interp.undefinedError(u) }
            if !v.isString { throw EvalError.runtime("'\(v.typeName)' object has no attribute 'splitlines'") }
            let s = try interp.str(v)
            let wrap = b[2]!.isNone ? "\n" : try interp.str(b[2]!)
            return .string(try TextWrap.wordwrap(s, width: try toInt(b[0], "wordwrap"), breakLongWords: try interp.truthy(b[1]!),
                                             wrapString: wrap, breakOnHyphens: try interp.truthy(b[3]!)))
        }
        t["xmlattr"] = { v, a, interp in
            let b = try arg(a, ["autospace"], [.bool(true)], "xmlattr")
            guard case .dict(let d) = v else { throw EvalError.type("xmlattr needs a mapping") }
            var parts: [String] = []
            for (k, val) in zip(d.keys, d.values) {
                if val.isNone || val.isUndefined { continue }
                let key = try interp.str(k)
                if key.unicodeScalars.contains(where: { PyString.isSpace($0) || "/>=".unicodeScalars.contains($0) }) {
                    throw EvalError.runtime("Invalid character in attribute name: \(PythonRepr.string(key))")
                }
                parts.append(escapeHTML(key) + "=\"" + (try escape(val, interp).asString!) + "\"")
            }
            var rv = parts.joined(separator: " ")
            if try interp.truthy(b[0]!), !rv.isEmpty { rv = " " + rv }
            return .string(rv)  // Markup only under autoescape
        }
        InfraFilters.register(into: &t)
        return t
    }()
}

/// groupby's result items: a (grouper, list) tuple with named fields.
final class GroupTuple: TemplateObject {
    let grouper: Value
    let list: [Value]
    init(grouper: Value, list: [Value]) {
        self.grouper = grouper
        self.list = list
    }
    var typeName: String { "_GroupTuple" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "grouper": return grouper
        case "list": return .list(list)
        default: return nil
        }
    }
    func iterate() -> [Value]? { [grouper, .list(list)] }
    var repr: String { PythonRepr.repr(.tuple([grouper, .list(list)])) }
}
