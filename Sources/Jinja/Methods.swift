import SystemKit

// The str, list and dict methods templates call (`x.split()`, `d.items()`, `l.append(x)`).

enum Methods {
    static func isStringMethod(_ name: String) -> Bool {
        switch name {
        case "upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
             "startswith", "endswith", "replace", "find", "rfind", "index", "rindex", "count", "join", "format",
             "center", "ljust", "rjust", "zfill", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper",
             "isnumeric", "isdecimal", "istitle", "partition", "rpartition", "removeprefix", "removesuffix", "swapcase", "casefold",
             "expandtabs", "encode":
            return true
        default: return false
        }
    }

    static func isListMethod(_ name: String) -> Bool {
        switch name {
        case "append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "sort", "copy", "clear": return true
        default: return false
        }
    }

    static func isDictMethod(_ name: String) -> Bool {
        switch name {
        case "items", "keys", "values", "get", "pop", "update", "setdefault", "copy", "clear", "popitem": return true
        default: return false
        }
    }

    static func takesNoArguments(_ name: String) -> Bool {
        switch name {
        case "upper", "lower", "casefold", "swapcase", "title", "capitalize", "isdigit", "isnumeric", "isdecimal", "isalpha",
             "isalnum", "isspace", "islower", "isupper", "istitle", "items", "keys", "values", "copy", "clear", "popitem", "reverse":
            return true
        default: return false
        }
    }

    static let stringMethods: Set<String> = [
        "upper", "lower", "title", "capitalize", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
        "startswith", "endswith", "replace", "find", "rfind", "index", "rindex", "count", "join", "format",
        "center", "ljust", "rjust", "zfill", "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper",
        "isnumeric", "isdecimal", "istitle", "partition", "rpartition", "removeprefix", "removesuffix", "swapcase", "casefold",
        "expandtabs", "encode",
    ]
    static let listMethods: Set<String> = [
        "append", "extend", "insert", "pop", "remove", "index", "count", "reverse", "sort", "copy", "clear",
    ]
    static let dictMethods: Set<String> = [
        "items", "keys", "values", "get", "pop", "update", "setdefault", "copy", "clear", "popitem",
    ]

    /// Methods that take no arguments at all (calling them with some is a TypeError in Python).
    static let noArgumentMethods: Set<String> = [
        "upper", "lower", "casefold", "swapcase", "title", "capitalize", "isdigit", "isnumeric", "isdecimal", "isalpha",
        "isalnum", "isspace", "islower", "isupper", "istitle", "items", "keys", "values", "copy", "clear", "popitem", "reverse",
    ]

    /// Calls `receiver.name(args)`; nil when the receiver has no such method.
    static func call(_ receiver: Value, _ name: String, _ args: Arguments, _ interp: Interpreter) throws -> Value? {
        if !args.positional.isEmpty || !args.keywords.isEmpty, takesNoArguments(name) {
            switch receiver {
            case .string, .markup, .list, .dict:
                throw EvalError.type("\(receiver.typeName).\(name)() takes no arguments (\(args.positional.count + args.keywords.count) given)")
            default: break
            }
        }
        switch receiver {
        case .string(let s): return try stringMethod(s, name, args, interp, markup: false)
        case .markup(let s): return try stringMethod(s, name, args, interp, markup: true)
        case .list(let l): return try listMethod(l, name, args, interp)
        case .dict(let d): return try dictMethod(d, name, args, interp)
        case .object(let o): return try o.callMethod(name, args, interp)
        case .undefined(let u): throw interp.undefinedError(u)
        default: return nil
        }
    }

    private static func arg(_ args: Arguments, _ i: Int) -> Value? {
        i < args.positional.count ? args.positional[i] : nil
    }

    private static func stringArg(_ v: Value?, _ method: String) throws -> String? {
        guard let v, !v.isNone else { return nil }
        guard let s = v.asString else { throw EvalError.type("\(method) arg must be None or str") }
        return s
    }

    private static func intArg(_ v: Value?, default d: Int) throws -> Int {
        guard let v else { return d }
        guard let i = Interpreter.intIndex(v) else { throw EvalError.type("'\(v.typeName)' object cannot be interpreted as an integer") }
        return i
    }

    /// A start/end argument: None means "not given".
    private static func optionalInt(_ v: Value?) throws -> Int? {
        guard let v, !v.isNone else { return nil }
        return try intArg(v, default: 0)
    }

    static func stringMethod(_ s: String, _ name: String, _ args: Arguments, _ interp: Interpreter, markup: Bool) throws -> Value? {
        func wrap(_ r: String) -> Value { markup ? .markup(r) : .string(r) }
        switch name {
        case "upper": return wrap(s.uppercased())
        case "lower": return wrap(PyString.lower(s))
        case "casefold": return wrap(PyString.casefold(s))
        case "expandtabs":
            let bound = try args.bind(name, ["tabsize"], defaults: [.int(8)])
            return wrap(PyString.expandtabs(s, try Limits.width(try intArg(bound[0], default: 8))))
        case "encode":
            let bound = try args.bind(name, ["encoding", "errors"], defaults: [.string("utf-8"), .string("strict")])
            let encoding = (bound[0]?.asString ?? "utf-8").lowercased().replacingAll("_", with: "-")
            guard ["utf-8", "utf8"].contains(encoding) else { throw EvalError.runtime("LookupError: unknown encoding: \(encoding)") }
            return .object(BytesObject(Array(s.utf8)))
        case "swapcase":
            return wrap(String(s.map { c in c.isUppercase ? Character(c.lowercased()) : c.isLowercase ? Character(c.uppercased()) : c }))
        case "title": return wrap(PyString.title(s))
        case "capitalize": return wrap(PyString.capitalize(s))
        case "strip": return wrap(PyString.strip(s, try stringArg(arg(args, 0), "strip"), left: true, right: true))
        case "lstrip": return wrap(PyString.strip(s, try stringArg(arg(args, 0), "lstrip"), left: true, right: false))
        case "rstrip": return wrap(PyString.strip(s, try stringArg(arg(args, 0), "rstrip"), left: false, right: true))
        case "split", "rsplit":
            let bound = try args.bind(name, ["sep", "maxsplit"], defaults: [Value.none, .int(-1)])
            let sep = try stringArg(bound[0], name)
            let maxsplit = try intArg(bound[1], default: -1)
            if let sep, sep.isEmpty { throw EvalError.runtime("empty separator") }
            let parts = name == "split" ? PyString.split(s, sep, maxsplit) : PyString.rsplit(s, sep, maxsplit)
            return .list(parts.map(wrap))
        case "splitlines":
            let keep = try arg(args, 0).map { try interp.truthy($0) } ?? false
            return .list(PyString.splitlines(s, keepends: keep).map(wrap))
        case "startswith", "endswith":
            guard let first = arg(args, 0) else { throw EvalError.type("\(name)() takes at least 1 argument (0 given)") }
            var candidates: [String] = []
            switch first {
            case .tuple(let items):
                for item in items {
                    guard let t = item.asString else { throw EvalError.type("tuple for \(name) must only contain str") }
                    candidates.append(t)
                }
            default:
                guard let t = first.asString else {
                    throw EvalError.type("\(name) first arg must be str or a tuple of str, not \(first.typeName)")
                }
                candidates = [t]
            }
            let scalars = PyString.sliceScalars(s, try arg(args, 1).map { try intArg($0, default: 0) }, try arg(args, 2).map { try intArg($0, default: 0) })
            let target = String(String.UnicodeScalarView(scalars))
            return .bool(candidates.contains { name == "startswith" ? target.unicodeScalars.starts(with: $0.unicodeScalars) : target.unicodeScalars.reversed().starts(with: $0.unicodeScalars.reversed()) })
        case "replace":
            guard let old = arg(args, 0)?.asString, let new = arg(args, 1)?.asString else {
                throw EvalError.type("replace() argument must be str")
            }
            let count = try intArg(arg(args, 2), default: -1)
            try Limits.stringSize(PyString.replacedSize(s, old, new, count), limit: interp.environment.options.maxOutputBytes)
            return wrap(PyString.replace(s, old, new, count))
        case "find", "rfind", "index", "rindex":
            guard let sub = arg(args, 0)?.asString else { throw EvalError.type("must be str") }
            let r = PyString.find(s, sub, start: try optionalInt(arg(args, 1)), end: try optionalInt(arg(args, 2)), reverse: name.hasPrefix("r"))
            if r < 0, name.hasSuffix("index") { throw EvalError.runtime("substring not found") }
            return .int(r)
        case "count":
            guard let sub = arg(args, 0)?.asString else { throw EvalError.type("must be str") }
            return .int(PyString.count(s, sub, start: try optionalInt(arg(args, 1)), end: try optionalInt(arg(args, 2))))
        case "join":
            guard let seq = arg(args, 0) else { throw EvalError.type("join() takes exactly one argument (0 given)") }
            var parts: [String] = []
            for (i, item) in try interp.iterate(seq).enumerated() {
                guard let t = item.asString else {
                    throw EvalError.type("sequence item \(i): expected str instance, \(item.typeName) found")
                }
                parts.append(t)
            }
            return wrap(parts.joined(separator: s))
        case "format":
            return wrap(try StringFormat.format(s, args, interp))
        case "center", "ljust", "rjust":
            let width = try Limits.width(try intArg(arg(args, 0), default: 0))
            let fill = arg(args, 1)?.asString ?? " "
            guard fill.unicodeScalars.count == 1 else { throw EvalError.type("The fill character must be exactly one character long") }
            return wrap(PyString.pad(s, width, fill, name == "center" ? "^" : name == "ljust" ? "<" : ">"))
        case "zfill":
            let width = try Limits.width(try intArg(arg(args, 0), default: 0))
            var scalars = Array(s.unicodeScalars)
            if scalars.count >= width { return wrap(s) }
            var sign: [Unicode.Scalar] = []
            if let f = scalars.first, f == "+" || f == "-" { sign = [f]; scalars.removeFirst() }
            let zeros = [Unicode.Scalar](repeating: "0", count: width - scalars.count - sign.count)
            return wrap(String(String.UnicodeScalarView(sign + zeros + scalars)))
        case "isdigit", "isnumeric", "isdecimal":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.numericType != nil })
        case "isalpha": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic })
        case "isalnum":
            return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil })
        case "isspace": return .bool(!s.isEmpty && s.unicodeScalars.allSatisfy(PyString.isSpace))
        case "islower":
            let cased = s.unicodeScalars.filter { $0.properties.isCased }
            return .bool(!cased.isEmpty && cased.allSatisfy { $0.properties.isLowercase })
        case "isupper":
            let cased = s.unicodeScalars.filter { $0.properties.isCased }
            return .bool(!cased.isEmpty && cased.allSatisfy { $0.properties.isUppercase })
        case "istitle": return .bool(PyString.title(s) == s && s.unicodeScalars.contains { $0.properties.isCased })
        case "partition", "rpartition":
            guard let sep = arg(args, 0)?.asString, !sep.isEmpty else { throw EvalError.runtime("empty separator") }
            let r = name == "partition" ? s.scalarRange(of: sep) : s.lastScalarRange(of: sep)
            guard let r else {
                return name == "partition" ? .tuple([wrap(s), wrap(""), wrap("")]) : .tuple([wrap(""), wrap(""), wrap(s)])
            }
            return .tuple([wrap(String(s.unicodeScalars[..<r.lowerBound])), wrap(sep), wrap(String(s.unicodeScalars[r.upperBound...]))])
        case "removeprefix":
            guard let p = arg(args, 0)?.asString else { throw EvalError.type("removeprefix() argument must be str") }
            return wrap(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case "removesuffix":
            guard let p = arg(args, 0)?.asString else { throw EvalError.type("removesuffix() argument must be str") }
            return wrap(!p.isEmpty && s.hasSuffix(p) ? String(s.dropLast(p.count)) : s)
        default:
            return nil
        }
    }

    static func listMethod(_ l: ListStorage, _ name: String, _ args: Arguments, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "append":
            guard args.positional.count == 1 else { throw EvalError.type("list.append() takes exactly one argument (\(args.positional.count) given)") }
            l.items.append(args.positional[0])
            return Value.none
        case "extend":
            guard let v = arg(args, 0) else { throw EvalError.type("list.extend() takes exactly one argument (0 given)") }
            let added = try interp.iterate(v)
            try Limits.items(l.items.count + added.count)
            l.items += added
            return Value.none
        case "insert":
            guard args.positional.count == 2 else { throw EvalError.type("insert expected 2 arguments") }
            var i = try intArg(args.positional[0], default: 0)
            if i < 0 { i = max(0, l.items.count + i) }
            l.items.insert(args.positional[1], at: min(i, l.items.count))
            return Value.none
        case "pop":
            if l.items.isEmpty { throw EvalError.runtime("pop from empty list") }
            var i = try intArg(arg(args, 0), default: -1)
            if i < 0 { i += l.items.count }
            guard i >= 0, i < l.items.count else { throw EvalError.runtime("pop index out of range") }
            return l.items.remove(at: i)
        case "remove":
            guard let v = arg(args, 0) else { throw EvalError.type("list.remove() takes exactly one argument (0 given)") }
            guard let i = try l.items.firstIndex(where: { try Interpreter.pyEquals($0, v) }) else {
                throw EvalError.runtime("list.remove(x): x not in list")
            }
            l.items.remove(at: i)
            return Value.none
        case "index":
            guard let v = arg(args, 0) else { throw EvalError.type("index expected at least 1 argument, got 0") }
            guard let i = try l.items.firstIndex(where: { try Interpreter.pyEquals($0, v) }) else {
                throw EvalError.runtime("\(PythonRepr.repr(v)) is not in list")
            }
            return .int(i)
        case "count":
            guard let v = arg(args, 0) else { throw EvalError.type("list.count() takes exactly one argument (0 given)") }
            return .int(try l.items.filter { try Interpreter.pyEquals($0, v) }.count)
        case "reverse":
            l.items.reverse()
            return Value.none
        case "sort":
            let bound = try args.bind("sort", ["key", "reverse"], defaults: [Value.none, .bool(false)])
            l.items = try Filters.sortValues(l.items, reverse: try interp.truthy(bound[1]!), caseSensitive: true, attribute: nil, interp)
            return Value.none
        case "copy": return .list(l.items)
        case "clear":
            l.items.removeAll()
            return Value.none
        default: return nil
        }
    }

    static func dictMethod(_ d: DictStorage, _ name: String, _ args: Arguments, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "items": return .object(DictView(.items, d))
        case "keys": return .object(DictView(.keys, d))
        case "values": return .object(DictView(.values, d))
        case "get":
            guard let k = arg(args, 0) else { throw EvalError.type("get expected at least 1 argument, got 0") }
            if case .undefined(let u) = k, interp.strict, !u.alwaysLenient { throw interp.undefinedError(u) }
            guard HashKey(k) != nil else { throw EvalError.type("unhashable type: '\(k.typeName)'") }
            return d[k] ?? arg(args, 1) ?? Value.none
        case "pop":
            guard let k = arg(args, 0) else { throw EvalError.type("pop expected at least 1 argument, got 0") }
            if let v = d[k] { d[k] = nil; return v }
            if let dflt = arg(args, 1) { return dflt }
            throw EvalError.runtime("KeyError: \(PythonRepr.repr(k))")
        case "popitem":
            guard let k = d.keys.last, let v = d.values.last else { throw EvalError.runtime("popitem(): dictionary is empty") }
            d[k] = nil
            return .tuple([k, v])
        case "setdefault":
            guard let k = arg(args, 0) else { throw EvalError.type("setdefault expected at least 1 argument, got 0") }
            if let v = d[k] { return v }
            let v = arg(args, 1) ?? Value.none
            d[k] = v
            return v
        case "update":
            if let other = arg(args, 0) {
                switch other {
                case .dict(let o): for (k, v) in zip(o.keys, o.values) { d[k] = v }
                default:
                    for item in try interp.iterate(other) {
                        let pair = try interp.iterate(item)
                        guard pair.count == 2 else { throw EvalError.runtime("dictionary update sequence element has wrong length") }
                        d[pair[0]] = pair[1]
                    }
                }
            }
            for (k, v) in args.keywords { d[string: k] = v }
            return Value.none
        case "copy": return .dict(d.copy())
        case "clear":
            for k in d.keys { d[k] = nil }
            return Value.none
        default: return nil
        }
    }
}
