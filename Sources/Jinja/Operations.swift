// Python's operator semantics over Value: arithmetic, comparison, truth, iteration, str().
import FoundationEssentials
import Glibc

extension Interpreter {
    func undefinedError(_ u: Undefined) -> EvalError { .undefined(u.message, u.position) }

    /// str(value); Undefined is "" when lenient and an error when strict.
    func str(_ v: Value) throws -> String {
        switch v {
        case .string(let s), .markup(let s): return s
        case .undefined(let u):
            if strict, !u.alwaysLenient { throw undefinedError(u) }
            return ""
        case .object(let o as PyDateTime): return o.text
        default: return try PythonRepr.checkedRepr(v)
        }
    }

    func truthy(_ v: Value) throws -> Bool {
        switch v {
        case .undefined(let u):
            if strict, !u.alwaysLenient { throw undefinedError(u) }
            return false
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s), .markup(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .object(let o):
            if let items = o.iterate() { return !items.isEmpty }
            return o.truthy
        }
    }

    /// The items a for loop or a filter sees when iterating.
    func iterate(_ v: Value) throws -> [Value] {
        switch v {
        case .undefined(let u):
            if strict, !u.alwaysLenient { throw undefinedError(u) }
            return []
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .dict(let d): return d.keys
        // Python iterates code points (and a Markup's items are plain str).
        case .string(let s), .markup(let s): return s.unicodeScalars.map { .string(String($0)) }
        case .object(let o):
            if let items = o.iterate() { return items }
            throw EvalError.type("'\(o.typeName)' object is not iterable")
        default:
            throw EvalError.type("'\(v.typeName)' object is not iterable")
        }
    }

    func length(_ v: Value) throws -> Int {
        switch v {
        case .undefined(let u):
            if strict, !u.alwaysLenient { throw undefinedError(u) }
            return 0
        case .list(let l): return l.items.count
        case .tuple(let t): return t.count
        case .dict(let d): return d.count
        case .string(let s), .markup(let s): return s.unicodeScalars.count
        case .object(let o):
            if let items = o.iterate() { return items.count }
            throw EvalError.type("object of type '\(o.typeName)' has no len()")
        default:
            throw EvalError.type("object of type '\(v.typeName)' has no len()")
        }
    }

    // MARK: equality and ordering

    func equals(_ a: Value, _ b: Value) throws -> Bool {
        if case .undefined(let u) = a {
            if strict, !u.alwaysLenient { throw undefinedError(u) }
            // StrictUndefined subclasses Undefined, so Python asks it first — and it fails.
            if case .undefined(let w) = b, strict, !w.alwaysLenient { throw undefinedError(w) }
            return b.isUndefined
        }
        if case .undefined(let u) = b {
            if strict, !u.alwaysLenient { throw undefinedError(u) }
            return false
        }
        return try Interpreter.pyEquals(a, b)
    }

    static func pyEquals(_ a: Value, _ b: Value) throws -> Bool { try pyEquals(a, b, level: 0) }

    /// `level`: how deep inside the compared containers this comparison is (Python's
    /// RecursionError guards the same descent).
    private static func pyEquals(_ a: Value, _ b: Value, level: Int) throws -> Bool {
        try Limits.nesting(level)
        switch (a, b) {
        case (.none, .none): return true
        case (.string(let x), .string(let y)), (.string(let x), .markup(let y)),
             (.markup(let x), .string(let y)), (.markup(let x), .markup(let y)): return PyString.same(x, y)
        case (.list(let x), .list(let y)):
            if x === y { return true }
            return try x.items.count == y.items.count && sameItems(x.items, y.items, level: level)
        case (.tuple(let x), .tuple(let y)):
            // One tuple compared with itself (sharing storage) is equal without descending.
            if x.count == y.count, x.withUnsafeBufferPointer({ p in y.withUnsafeBufferPointer { $0.baseAddress == p.baseAddress } }) {
                return true
            }
            return try x.count == y.count && sameItems(x, y, level: level)
        case (.dict(let x), .dict(let y)):
            if x === y { return true }
            if x.count != y.count { return false }
            for (k, v) in zip(x.keys, x.values) {
                guard let w = y[k] else { return false }
                if !(try identical(v, w) || pyEquals(v, w, level: level + 1)) { return false }
            }
            return true
        case (.object(let x as PyBigInt), .object(let y as PyBigInt)): return x.value == y.value
        case (.object(let x), .object(let y)): return x === y
        case (.undefined, .undefined): return true
        default:
            if let x = numeric(a), let y = numeric(b) {
                if case .int(let i) = x, case .int(let j) = y { return i == j }
                return Number.compare(x, y) == 0
            }
            return false
        }
    }

    /// Python compares container items by identity first, so a list holding itself equals itself.
    private static func sameItems(_ x: [Value], _ y: [Value], level: Int) throws -> Bool {
        for (p, q) in zip(x, y) where !identical(p, q) {
            if try !pyEquals(p, q, level: level + 1) { return false }
        }
        return true
    }

    /// `is` for the values that have an identity.
    static func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)): return x === y
        case (.dict(let x), .dict(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        default: return false
        }
    }

    enum Number {
        /// `big` only holds values outside Int64 (see `Value.integer`).
        case int(Int), float(Double), big(BigInt)
        /// The value as a float, infinite for an int too large for one (for printing and
        /// approximate uses; arithmetic uses `floatValue()`, which raises as Python does).
        var double: Double {
            switch self {
            case .int(let i): return Double(i)
            case .float(let d): return d
            case .big(let b): return b.double ?? (b.negative ? -.infinity : .infinity)
            }
        }
        /// float(x): OverflowError when an int is too large for a float.
        func floatValue() throws -> Double {
            switch self {
            case .int(let i): return Double(i)
            case .float(let d): return d
            case .big(let b):
                guard let d = b.double else { throw EvalError.runtime("int too large to convert to float") }
                return d
            }
        }
        /// The exact integer, nil for a float.
        var integer: BigInt? {
            switch self {
            case .int(let i): return BigInt(i)
            case .big(let b): return b
            case .float: return nil
            }
        }
        var value: Value {
            switch self {
            case .int(let i): return .int(i)
            case .float(let d): return .float(d)
            case .big(let b): return .integer(b)
            }
        }

        /// -1, 0 or 1 comparing exactly, as Python compares ints with floats (no rounding of
        /// the int); nil when a NaN is involved.
        static func compare(_ x: Number, _ y: Number) -> Int? {
            switch (x, y) {
            case (.int(let i), .int(let j)): return i < j ? -1 : i == j ? 0 : 1
            case (.float(let d), .float(let e)):
                if d.isNaN || e.isNaN { return nil }
                return d < e ? -1 : d == e ? 0 : 1
            case (.float, _): return compare(y, x).map { -$0 }
            case (_, .float(let d)):
                if d.isNaN { return nil }
                if d.isInfinite { return d > 0 ? -1 : 1 }
                if case .int(let i) = x, i.magnitude < 1 << 53 { return Double(i) < d ? -1 : Double(i) == d ? 0 : 1 }
                let n = x.integer!
                let t = BigInt(truncating: d)!
                let c = BigInt.compare(n, t)
                if c != 0 { return c }
                let fraction = d - d.rounded(.towardZero)
                return fraction > 0 ? -1 : fraction < 0 ? 1 : 0
            default: return BigInt.compare(x.integer!, y.integer!)
            }
        }
    }

    static func numeric(_ v: Value) -> Number? {
        switch v {
        case .int(let i): return .int(i)
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .float(d)
        case .object(let o as PyBigInt): return .big(o.value)
        default: return nil
        }
    }

    /// Both operands as exact integers, or nil when either is a float.
    private static func integers(_ x: Number, _ y: Number) -> (BigInt, BigInt)? {
        guard let p = x.integer, let q = y.integer else { return nil }
        return (p, q)
    }

    /// A computed int, bounded so a template cannot build an integer that exhausts memory.
    static func checkedInteger(_ b: BigInt) throws -> Value {
        if b.bitWidth > BigInt.maxBits { throw EvalError.limit("integer result exceeds the limit of \(BigInt.maxBits) bits") }
        return .integer(b)
    }

    /// a < b with Python's rules; TypeError for unorderable pairs.
    func lessThan(_ a: Value, _ b: Value, _ op: String = "<") throws -> Bool {
        if case .undefined(let u) = a { throw undefinedError(u) }
        if case .undefined(let u) = b { throw undefinedError(u) }
        return try Interpreter.pyLess(a, b, op)
    }

    static func pyLess(_ a: Value, _ b: Value, _ op: String = "<") throws -> Bool {
        if let x = numeric(a), let y = numeric(b) {
            if case .int(let i) = x, case .int(let j) = y { return i < j }
            return Number.compare(x, y) == -1
        }
        switch (a, b) {
        case (.string(let x), .string(let y)), (.string(let x), .markup(let y)),
             (.markup(let x), .string(let y)), (.markup(let x), .markup(let y)):
            // UTF-8 byte order is code point order, which is how Python compares str.
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.list(let x), .list(let y)): return try sequenceLess(x.items, y.items, op)
        case (.tuple(let x), .tuple(let y)): return try sequenceLess(x, y, op)
        default:
            throw EvalError.type("'\(op)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    private static func sequenceLess(_ x: [Value], _ y: [Value], _ op: String) throws -> Bool {
        for (p, q) in zip(x, y) where try !pyEquals(p, q) { return try pyLess(p, q, op) }
        return x.count < y.count
    }

    func compare(_ op: String, _ a: Value, _ b: Value) throws -> Bool {
        switch op {
        case "==": return try equals(a, b)
        case "!=": return try !equals(a, b)
        case "<": return try lessThan(a, b, "<")
        case ">": return try lessThan(b, a, ">")
        case "<=": return try lessThan(a, b, "<=") || equals(a, b)
        case ">=": return try lessThan(b, a, ">=") || equals(a, b)
        case "in": return try contains(b, a)
        case "notin": return try !contains(b, a)
        default: throw EvalError.runtime("unknown comparison \(op)")
        }
    }

    func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .string(let s), .markup(let s):
            guard let needle = item.asString else {
                if case .undefined(let u) = item { throw undefinedError(u) }
                throw EvalError.type("'in <string>' requires string as left operand, not \(item.typeName)")
            }
            return PyString.contains(s, needle)
        case .list, .tuple, .object:
            for x in try iterate(container) where try equals(item, x) { return true }
            return false
        case .dict(let d):
            if case .undefined(let u) = item {
                if strict, !u.alwaysLenient { throw undefinedError(u) }
                return false
            }
            guard HashKey(item) != nil else { throw EvalError.type("unhashable type: '\(item.typeName)'") }
            return d[item] != nil
        case .undefined(let u):
            if strict, !u.alwaysLenient { throw undefinedError(u) }
            return false
        default:
            throw EvalError.type("argument of type '\(container.typeName)' is not iterable")
        }
    }

    // MARK: arithmetic

    private func unsupported(_ op: String, _ a: Value, _ b: Value) -> EvalError {
        .type("unsupported operand type(s) for \(op): '\(a.typeName)' and '\(b.typeName)'")
    }

    /// The arguments of `Markup % args` as markupsafe passes them: strings (and containers, by
    /// their str()) escaped into Markup, numbers and Markup unchanged.
    private func markupEscapedArguments(_ b: Value) throws -> Value {
        func escaped(_ v: Value) throws -> Value {
            switch v {
            case .string(let s): return .markup(Filters.escapeHTML(s))
            case .list, .tuple, .dict: return .markup(Filters.escapeHTML(try str(v)))
            default: return v
            }
        }
        switch b {
        case .tuple(let items): return .tuple(try items.map(escaped))
        case .dict(let d):
            let copy = DictStorage()
            for (k, v) in zip(d.keys, d.values) { copy[k] = try escaped(v) }
            return .dict(copy)
        default: return try escaped(b)
        }
    }

    private func checkUndefined(_ a: Value, _ b: Value) throws {
        if case .undefined(let u) = a { throw undefinedError(u) }
        if case .undefined(let u) = b { throw undefinedError(u) }
    }

    func binary(_ op: String, _ a: Value, _ b: Value) throws -> Value {
        // str.__mod__ formats whatever it is given, Undefined included.
        if op == "%", let fmt = a.asString {
            // Markup % args escapes the string arguments (markupsafe's _MarkupEscapeHelper).
            let args = a.isMarkup ? try markupEscapedArguments(b) : b
            var subscriptable = false
            switch b {
            case .list, .dict: subscriptable = true
            default: break
            }
            let result = try PercentFormat.format(fmt, args, interpreter: self, escapingArgument: a.isMarkup && subscriptable)
            return a.isMarkup ? .markup(result) : .string(result)
        }
        try checkUndefined(a, b)
        switch op {
        case "+":
            switch (a, b) {
            case (.string(let x), .string(let y)), (.markup(let x), .string(let y)), (.string(let x), .markup(let y)), (.markup(let x), .markup(let y)):
                try Limits.stringSize(x.utf8.count + y.utf8.count, limit: environment.options.maxOutputBytes)
            case (.list(let x), .list(let y)): try Limits.items(x.items.count + y.items.count)
            case (.tuple(let x), .tuple(let y)): try Limits.items(x.count + y.count)
            default: break
            }
            switch (a, b) {
            case (.string(let x), .string(let y)): return .string(x + y)
            case (.markup(let x), _): if let y = b.asString { return .markup(x + (b.isMarkup ? y : Filters.escapeHTML(y))) }
            case (_, .markup(let y)): if let x = a.asString { return .markup(Filters.escapeHTML(x) + y) }
            case (.list(let x), .list(let y)): return .list(x.items + y.items)
            case (.tuple(let x), .tuple(let y)): return .tuple(x + y)
            default: break
            }
            if let x = Interpreter.numeric(a), let y = Interpreter.numeric(b) {
                if case .int(let i) = x, case .int(let j) = y {
                    let (r, o) = i.addingReportingOverflow(j)
                    return o ? .integer(BigInt(i) + BigInt(j)) : .int(r)
                }
                if let (p, q) = Interpreter.integers(x, y) { return try Interpreter.checkedInteger(p + q) }
                return .float(try x.floatValue() + y.floatValue())
            }
            if a.isString, b.isString { return .string(a.asString! + b.asString!) }
            if a.isString || b.isString {
                if a.isString { throw EvalError.type("can only concatenate str (not \"\(b.typeName)\") to str") }
            }
            throw unsupported("+", a, b)
        case "-":
            if let x = Interpreter.numeric(a), let y = Interpreter.numeric(b) {
                if case .int(let i) = x, case .int(let j) = y {
                    let (r, o) = i.subtractingReportingOverflow(j)
                    return o ? .integer(BigInt(i) - BigInt(j)) : .int(r)
                }
                if let (p, q) = Interpreter.integers(x, y) { return try Interpreter.checkedInteger(p - q) }
                return .float(try x.floatValue() - y.floatValue())
            }
            throw unsupported("-", a, b)
        case "*":
            if let x = Interpreter.numeric(a), let y = Interpreter.numeric(b) {
                if case .int(let i) = x, case .int(let j) = y {
                    let (r, o) = i.multipliedReportingOverflow(by: j)
                    return o ? .integer(BigInt(i) * BigInt(j)) : .int(r)
                }
                if let (p, q) = Interpreter.integers(x, y) {
                    if p.bitWidth + q.bitWidth > BigInt.maxBits + 1 { throw EvalError.limit("integer result exceeds the limit of \(BigInt.maxBits) bits") }
                    return try Interpreter.checkedInteger(p * q)
                }
                return .float(try x.floatValue() * y.floatValue())
            }
            func repeatCount(_ v: Value) -> Int? {
                if case .int(let i) = v { return max(0, i) }
                if case .bool(let b) = v { return b ? 1 : 0 }
                return nil
            }
            if let n = repeatCount(b) ?? repeatCount(a) {
                let seq = repeatCount(b) != nil ? a : b
                if n > 10_000_000 { throw EvalError.limit("repetition too large") }
                if let text = seq.asString { try Limits.stringSize(text.utf8.count * n, limit: environment.options.maxOutputBytes) }
                switch seq {
                case .string(let s): return .string(String(repeating: s, count: n))
                case .markup(let s): return .markup(String(repeating: s, count: n))
                case .list(let l):
                    if l.items.count * min(n, 10_000_000) > 10_000_000 { throw EvalError.limit("repetition too large") }
                    return .list(Array([[Value]](repeating: l.items, count: n).joined()))
                case .tuple(let t):
                    if t.count * min(n, 10_000_000) > 10_000_000 { throw EvalError.limit("repetition too large") }
                    return .tuple(Array([[Value]](repeating: t, count: n).joined()))
                default: break
                }
            }
            throw EvalError.type("can't multiply sequence by non-int of type '\(b.typeName)'")
        case "/":
            guard let x = Interpreter.numeric(a), let y = Interpreter.numeric(b) else { throw unsupported("/", a, b) }
            if y.double == 0 { throw EvalError.runtime("division by zero") }
            if let (p, q) = Interpreter.integers(x, y) { return .float(try Interpreter.trueDivide(p, q)) }
            return .float(try x.floatValue() / y.floatValue())
        case "//":
            guard let x = Interpreter.numeric(a), let y = Interpreter.numeric(b) else { throw unsupported("//", a, b) }
            if case .int(let i) = x, case .int(let j) = y {
                if j == 0 { throw EvalError.runtime("integer division or modulo by zero") }
                if i == Int.min, j == -1 { return .integer(-BigInt(i)) }
                return .int(Interpreter.floorDiv(i, j))
            }
            if let (p, q) = Interpreter.integers(x, y) {
                if q.isZero { throw EvalError.runtime("integer division or modulo by zero") }
                return .integer(BigInt.floorDivMod(p, q).quotient)
            }
            if y.double == 0 { throw EvalError.runtime("float floor division by zero") }
            return .float(Interpreter.floatFloorDiv(try x.floatValue(), try y.floatValue()))
        case "%":
            if let fmt = a.asString {
                let result = try PercentFormat.format(fmt, b, interpreter: self)
                return a.isMarkup ? .markup(result) : .string(result)
            }
            guard let x = Interpreter.numeric(a), let y = Interpreter.numeric(b) else { throw unsupported("%", a, b) }
            if case .int(let i) = x, case .int(let j) = y {
                if j == 0 { throw EvalError.runtime("integer division or modulo by zero") }
                if j == -1 { return .int(0) }
                return .int(i - Interpreter.floorDiv(i, j) * j)
            }
            if let (p, q) = Interpreter.integers(x, y) {
                if q.isZero { throw EvalError.runtime("integer division or modulo by zero") }
                return .integer(BigInt.floorDivMod(p, q).remainder)
            }
            if y.double == 0 { throw EvalError.runtime("float modulo") }
            return .float(Interpreter.floatMod(try x.floatValue(), try y.floatValue()))
        case "**":
            guard let x = Interpreter.numeric(a), let y = Interpreter.numeric(b) else { throw unsupported("** or pow()", a, b) }
            if case .int(let i) = x, case .int(let j) = y, j >= 0 {
                var result = 1
                var base = i
                var e = j
                var overflowed = false
                while e > 0 {
                    if e & 1 == 1 {
                        let (r, o) = result.multipliedReportingOverflow(by: base)
                        if o { overflowed = true; break }
                        result = r
                    }
                    e >>= 1
                    if e > 0 {
                        let (r, o) = base.multipliedReportingOverflow(by: base)
                        if o { overflowed = true; break }
                        base = r
                    }
                }
                if !overflowed { return .int(result) }
                return try Interpreter.checkedInteger(try BigInt.power(BigInt(i), j))
            }
            if let (p, q) = Interpreter.integers(x, y), !q.negative {
                if let e = q.asInt { return try Interpreter.checkedInteger(try BigInt.power(p, e)) }
                // A 64-bit-plus exponent: only 0, 1 and -1 stay small.
                if p.isZero || p == BigInt(1) { return .integer(p) }
                if p == BigInt(-1) { return .int(BigInt.floorDivMod(q, BigInt(2)).remainder.isZero ? 1 : -1) }
                throw EvalError.limit("integer result exceeds the limit of \(BigInt.maxBits) bits")
            }
            let (bx, by) = (try x.floatValue(), try y.floatValue())
            if bx == 0, by < 0 { throw EvalError.runtime("0.0 cannot be raised to a negative power") }
            if bx < 0, by != by.rounded() { throw EvalError.runtime("complex result") }
            let r = Glibc.pow(bx, by)
            if r.isInfinite, bx.isFinite, by.isFinite { throw EvalError.runtime("(34, 'Numerical result out of range')") }
            return .float(r)
        default:
            throw EvalError.runtime("unknown operator \(op)")
        }
    }

    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    /// int / int as CPython computes it: the exact quotient correctly rounded, OverflowError when
    /// it is too large for a float. The divisor must not be zero.
    static func trueDivide(_ a: BigInt, _ b: BigInt) throws -> Double {
        if a.bitWidth <= 53, b.bitWidth <= 53, let x = a.asInt, let y = b.asInt { return Double(x) / Double(y) }
        if a.isZero { return b.negative ? -0.0 : 0.0 }
        // Scale so the integer quotient has 55-56 bits; a sticky low bit for a non-zero
        // remainder makes the single rounding to 53 bits exact.
        let k = 55 + b.bitWidth - a.bitWidth
        let num = k > 0 ? a.magnitude.shiftedLeft(k) : a.magnitude
        let den = k < 0 ? b.magnitude.shiftedLeft(-k) : b.magnitude
        let (q, r) = BigInt.floorDivMod(num, den)
        var bits = UInt64(q.asInt!)
        if !r.isZero { bits |= 1 }
        let d = Double(sign: a.negative != b.negative ? .minus : .plus, exponent: -k, significand: Double(bits))
        guard d.isFinite else { throw EvalError.runtime("integer division result too large for a float") }
        return d
    }

    static func floatMod(_ x: Double, _ y: Double) -> Double {
        var m = fmod(x, y)
        if m != 0 {
            if (y < 0) != (m < 0) { m += y }
        } else {
            m = y < 0 ? -0.0 : 0.0
        }
        return m
    }

    static func floatFloorDiv(_ x: Double, _ y: Double) -> Double {
        let m = fmod(x, y)
        var div = (x - m) / y
        if m != 0, (y < 0) != (m < 0) { div -= 1 }
        if div != 0 {
            var floordiv = div.rounded(.down)
            if div - floordiv > 0.5 { floordiv += 1 }
            return floordiv
        }
        return Double(signOf: x / y, magnitudeOf: 0)
    }

    func negate(_ v: Value) throws -> Value {
        switch v {
        case .undefined(let u): throw undefinedError(u)
        case .int(let i): return i == Int.min ? .integer(-BigInt(i)) : .int(-i)
        case .bool(let b): return .int(b ? -1 : 0)
        case .float(let d): return .float(-d)
        case .object(let o as PyBigInt): return .integer(-o.value)
        default: throw EvalError.type("bad operand type for unary -: '\(v.typeName)'")
        }
    }

    func positive(_ v: Value) throws -> Value {
        switch v {
        case .undefined(let u): throw undefinedError(u)
        case .int, .float: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .object(let o) where o is PyBigInt: return v
        default: throw EvalError.type("bad operand type for unary +: '\(v.typeName)'")
        }
    }
}

extension Value {
    var isMarkup: Bool { if case .markup = self { return true }; return false }
}
