// Jinja2's builtin tests (`x is defined`, `n is divisibleby 3`…), as in jinja2/tests.py.

enum Tests {
    typealias Test = @Sendable (Value, Arguments, Interpreter) throws -> Bool

    static var names: Set<String> { Set(table.keys) }

    static func apply(_ name: String, _ value: Value, _ args: Arguments, _ interp: Interpreter) throws -> Bool {
        guard let t = table[name] else { throw EvalError.runtime("No test named '\(name)'.") }
        return try t(value, args, interp)
    }

    private static func other(_ a: Arguments, _ name: String) throws -> Value {
        if let v = a.positional.first { return v }
        if let v = a.keywords.first?.1 { return v }
        throw EvalError.type("\(name)() missing 1 required positional argument")
    }

    private static func isInt(_ v: Value) -> Bool {
        if case .int = v { return true }
        if case .object(let o) = v { return o is PyBigInt }
        return false
    }

    static let table: [String: Test] = {
        var t: [String: Test] = [:]
        t["boolean"] = { v, _, _ in if case .bool = v { return true }; return false }
        t["callable"] = { v, _, _ in
            switch v {
            case .object(let o): return o is MacroObject || o is BoundMethod || o is BuiltinFunction || o is JoinerObject || o is SuperObject || o is BlockCaller || (o is LoopObject && (o as! LoopObject).loop.recursive) || o is LoopObject
            default: return false
            }
        }
        t["defined"] = { v, _, _ in !v.isUndefined }
        t["undefined"] = { v, _, _ in v.isUndefined }
        t["divisibleby"] = { v, a, interp in
            let r = try interp.binary("%", v, try other(a, "divisibleby"))
            return try interp.equals(r, .int(0))
        }
        let eq: Test = { v, a, i in try i.equals(v, try other(a, "eq")) }
        t["eq"] = eq
        t["equalto"] = eq
        t["=="] = eq
        t["ne"] = { v, a, i in try !i.equals(v, try other(a, "ne")) }
        t["!="] = t["ne"]
        t["escaped"] = { v, _, _ in v.isMarkup }
        t["even"] = { v, _, i in try i.equals(try i.binary("%", v, .int(2)), .int(0)) }
        t["odd"] = { v, _, i in try i.equals(try i.binary("%", v, .int(2)), .int(1)) }
        t["false"] = { v, _, _ in if case .bool(false) = v { return true }; return false }
        t["true"] = { v, _, _ in if case .bool(true) = v { return true }; return false }
        t["filter"] = { v, _, _ in v.asString.map { Filters.table[$0] != nil } ?? false }
        t["test"] = { v, _, _ in v.asString.map { Tests.table[$0] != nil } ?? false }
        t["float"] = { v, _, _ in if case .float = v { return true }; return false }
        t["integer"] = { v, _, _ in isInt(v) }
        t["number"] = { v, _, _ in
            if case .object(let o) = v, o is PyBigInt { return true }
            return v.isNumber
        }
        t["ge"] = { v, a, i in try i.compare(">=", v, try other(a, "ge")) }
        t[">="] = t["ge"]
        t["gt"] = { v, a, i in try i.compare(">", v, try other(a, "gt")) }
        t[">"] = t["gt"]
        t["greaterthan"] = t["gt"]
        t["le"] = { v, a, i in try i.compare("<=", v, try other(a, "le")) }
        t["<="] = t["le"]
        t["lt"] = { v, a, i in try i.compare("<", v, try other(a, "lt")) }
        t["<"] = t["lt"]
        t["lessthan"] = t["lt"]
        t["in"] = { v, a, i in try i.contains(try other(a, "in"), v) }
        t["iterable"] = { v, _, i in
            switch v {
            case .list, .tuple, .dict, .string, .markup: return true
            case .undefined(let u):
                if i.strict, !u.alwaysLenient { throw i.undefinedError(u) }
                return true
            case .object(let o): return o.iterate() != nil
            default: return false
            }
        }
        t["lower"] = { v, _, i in
            let s = try i.str(v)
            let cased = s.unicodeScalars.filter { $0.properties.isCased }
            return !cased.isEmpty && cased.allSatisfy { $0.properties.isLowercase }
        }
        t["upper"] = { v, _, i in
            let s = try i.str(v)
            let cased = s.unicodeScalars.filter { $0.properties.isCased }
            return !cased.isEmpty && cased.allSatisfy { $0.properties.isUppercase }
        }
        t["mapping"] = { v, _, _ in if case .dict = v { return true }; return false }
        t["none"] = { v, _, _ in v.isNone }
        t["sameas"] = { v, a, _ in
            let o = try other(a, "sameas")
            switch (v, o) {
            case (.none, .none): return true
            case (.bool(let x), .bool(let y)): return x == y
            case (.int(let x), .int(let y)): return x == y && x >= -5 && x <= 256
            case (.list(let x), .list(let y)): return x === y
            case (.dict(let x), .dict(let y)): return x === y
            case (.object(let x), .object(let y)): return x === y
            case (.undefined, .undefined): return false
            default: return false
            }
        }
        t["sequence"] = { v, _, i in
            switch v {
            case .list, .tuple, .dict, .string, .markup: return true
            case .undefined(let u): return !i.strict || u.alwaysLenient
            case .object(let o): return o is RangeObject || o is GroupTuple
            default: return false
            }
        }
        t["string"] = { v, _, _ in v.isString }
        return t
    }()
}
