// A seeded generator of random templates (from a small Jinja2 grammar) and data, plus a shrinker
// that reduces a disagreeing case to a minimal reproducer (random numbers from TestSupport's SeededGenerator).
import TestSupport

indirect enum FuzzExpr {
    case literal(String)
    case name(String)
    case attribute(FuzzExpr, String)
    case index(FuzzExpr, FuzzExpr)
    case binary(String, FuzzExpr, FuzzExpr)
    case unary(String, FuzzExpr)
    case filter(FuzzExpr, String, [FuzzExpr])
    case test(FuzzExpr, String, [FuzzExpr])
    case conditional(FuzzExpr, FuzzExpr, FuzzExpr?)
    case list([FuzzExpr])
    case method(FuzzExpr, String, [FuzzExpr])

    var text: String {
        switch self {
        case .literal(let l): return l
        case .name(let n): return n
        case .attribute(let e, let a): return "\(e.text).\(a)"
        case .index(let e, let i): return "\(e.text)[\(i.text)]"
        case .binary(let op, let a, let b): return "(\(a.text) \(op) \(b.text))"
        case .unary(let op, let e): return "(\(op) \(e.text))"
        case .filter(let e, let f, let args):
            let applied = "(\(e.text))|\(f)" + (args.isEmpty ? "" : "(" + args.map(\.text).joined(separator: ", ") + ")")
            // Python returns generators (printed with an address) from these; always listify.
            return TemplateFuzzer.generatorFilters.contains(f) ? "(\(applied))|list" : applied
        case .test(let e, let t, let args):
            return "(\(e.text) is \(t)" + (args.isEmpty ? "" : "(" + args.map(\.text).joined(separator: ", ") + ")") + ")"
        case .conditional(let c, let a, let b):
            return "(\(a.text) if \(c.text)" + (b.map { " else \($0.text)" } ?? "") + ")"
        case .list(let items): return "[" + items.map(\.text).joined(separator: ", ") + "]"
        case .method(let e, let m, let args):
            let call = "\(e.text).\(m)(" + args.map(\.text).joined(separator: ", ") + ")"
            // dict views support set operators (unordered output); keep them lists.
            return ["items", "keys", "values"].contains(m) ? "(\(call)|list)" : call
        }
    }

    /// One-step simplifications, simplest first.
    var reductions: [FuzzExpr] {
        var out: [FuzzExpr] = []
        switch self {
        case .literal(let l): if l != "1" { out.append(.literal("1")) }
        case .name: out.append(.literal("1"))
        case .attribute(let e, let a): out.append(e); out += e.reductions.map { .attribute($0, a) }
        case .index(let e, let i):
            out += [e, i]
            out += e.reductions.map { .index($0, i) } + i.reductions.map { .index(e, $0) }
        case .binary(let op, let a, let b):
            out += [a, b]
            out += a.reductions.map { .binary(op, $0, b) } + b.reductions.map { .binary(op, a, $0) }
        case .unary(let op, let e): out.append(e); out += e.reductions.map { .unary(op, $0) }
        case .filter(let e, let f, let args):
            out.append(e)
            if !args.isEmpty { out.append(.filter(e, f, [])) }
            out += e.reductions.map { .filter($0, f, args) }
            for (i, a) in args.enumerated() {
                out += a.reductions.map { r in var c = args; c[i] = r; return .filter(e, f, c) }
            }
        case .test(let e, let t, let args):
            out.append(e)
            out += e.reductions.map { .test($0, t, args) }
        case .conditional(let c, let a, let b):
            out += [a, c]
            if let b { out.append(b); out.append(.conditional(c, a, nil)) }
            out += c.reductions.map { .conditional($0, a, b) } + a.reductions.map { .conditional(c, $0, b) }
            if let b { out += b.reductions.map { .conditional(c, a, $0) } }
        case .list(let items):
            for i in items.indices { var c = items; c.remove(at: i); out.append(.list(c)) }
            for (i, a) in items.enumerated() { out += a.reductions.map { r in var c = items; c[i] = r; return .list(c) } }
        case .method(let e, let m, let args):
            out.append(e)
            out += e.reductions.map { .method($0, m, args) }
            for (i, a) in args.enumerated() {
                out += a.reductions.map { r in var c = args; c[i] = r; return .method(e, m, c) }
            }
        }
        return out
    }
}

/// Whitespace-control signs on the two sides of a tag.
struct TagSigns {
    var left = "", right = ""
}

indirect enum FuzzNode {
    case text(String)
    case output(FuzzExpr, TagSigns)
    case comment(String, TagSigns)
    case ifBlock(FuzzExpr, [FuzzNode], [FuzzNode], TagSigns)
    case forLoop(String, FuzzExpr, [FuzzNode], [FuzzNode], TagSigns)
    case set(String, FuzzExpr, TagSigns)
    case raw(String, TagSigns)
    case macro(String, [FuzzNode])
    case filterBlock(String, [FuzzNode])
    case with(String, FuzzExpr, [FuzzNode])
    /// Template text written as is (preludes building values, extends lines); never reduced.
    case verbatim(String)
    case block(String, [FuzzNode])
    case include(String)

    var text: String {
        switch self {
        case .text(let t): return t
        case .output(let e, let s): return "{{\(s.left) \(e.text) \(s.right == "+" ? "" : s.right)}}"
        case .comment(let c, let s): return "{#\(s.left) \(c) \(s.right)#}"
        case .ifBlock(let c, let body, let otherwise, let s):
            var t = "{%\(s.left) if \(c.text) \(s.right)%}" + body.map(\.text).joined()
            if !otherwise.isEmpty { t += "{%\(s.right) else \(s.left)%}" + otherwise.map(\.text).joined() }
            return t + "{%\(s.left) endif \(s.right)%}"
        case .forLoop(let v, let iter, let body, let otherwise, let s):
            var t = "{%\(s.left) for \(v) in \(iter.text) \(s.right)%}" + body.map(\.text).joined()
            if !otherwise.isEmpty { t += "{% else %}" + otherwise.map(\.text).joined() }
            return t + "{%\(s.right) endfor \(s.left)%}"
        case .set(let v, let e, let s): return "{%\(s.left) set \(v) = \(e.text) \(s.right)%}"
        case .raw(let r, let s): return "{%\(s.left) raw \(s.right)%}\(r){%\(s.left) endraw \(s.right)%}"
        case .macro(let name, let body): return "{% macro \(name)(p, q='dq') %}" + body.map(\.text).joined() + "{% endmacro %}"
        case .filterBlock(let f, let body): return "{% filter \(f) %}" + body.map(\.text).joined() + "{% endfilter %}"
        case .with(let v, let e, let body): return "{% with \(v) = \(e.text) %}" + body.map(\.text).joined() + "{% endwith %}"
        case .verbatim(let t): return t
        case .block(let name, let body): return "{% block \(name) %}" + body.map(\.text).joined() + "{% endblock %}"
        case .include(let name): return "{% include '\(name)' %}"
        }
    }

    var reductions: [[FuzzNode]] {
        var out: [[FuzzNode]] = [[]]
        switch self {
        case .text(let t): if t.count > 1 { out.append([.text(String(t.prefix(1)))]) }
        case .output(let e, let s):
            if s.left != "" || s.right != "" { out.append([.output(e, TagSigns())]) }
            out += e.reductions.map { [.output($0, s)] }
        case .comment, .raw, .verbatim, .include: break
        case .block(let name, let body):
            out.append(body)
            out += FuzzNode.reduce(body).map { [.block(name, $0)] }
        case .ifBlock(let c, let body, let otherwise, let s):
            out.append(body)
            out.append(otherwise)
            if s.left != "" || s.right != "" { out.append([.ifBlock(c, body, otherwise, TagSigns())]) }
            if !otherwise.isEmpty { out.append([.ifBlock(c, body, [], s)]) }
            out += c.reductions.map { [.ifBlock($0, body, otherwise, s)] }
            out += FuzzNode.reduce(body).map { [.ifBlock(c, $0, otherwise, s)] }
            out += FuzzNode.reduce(otherwise).map { [.ifBlock(c, body, $0, s)] }
        case .forLoop(let v, let iter, let body, let otherwise, let s):
            out.append(body)
            if s.left != "" || s.right != "" { out.append([.forLoop(v, iter, body, otherwise, TagSigns())]) }
            if !otherwise.isEmpty { out.append([.forLoop(v, iter, body, [], s)]) }
            out += iter.reductions.map { [.forLoop(v, $0, body, otherwise, s)] }
            out += FuzzNode.reduce(body).map { [.forLoop(v, iter, $0, otherwise, s)] }
            out += FuzzNode.reduce(otherwise).map { [.forLoop(v, iter, body, $0, s)] }
        case .set(let v, let e, let s):
            out += e.reductions.map { [.set(v, $0, s)] }
        case .macro(let name, let body):
            out += FuzzNode.reduce(body).map { [.macro(name, $0)] }
        case .filterBlock(let f, let body):
            out.append(body)
            out += FuzzNode.reduce(body).map { [.filterBlock(f, $0)] }
        case .with(let v, let e, let body):
            out.append(body)
            out += e.reductions.map { [.with(v, $0, body)] }
            out += FuzzNode.reduce(body).map { [.with(v, e, $0)] }
        }
        return out
    }

    /// One-step simplifications of a node list.
    static func reduce(_ nodes: [FuzzNode]) -> [[FuzzNode]] {
        var out: [[FuzzNode]] = []
        for i in nodes.indices {
            for replacement in nodes[i].reductions {
                var c = nodes
                c.replaceSubrange(i...i, with: replacement)
                out.append(c)
            }
        }
        return out
    }
}

/// A generated case: template tree, data and settings.
struct FuzzCase {
    var seed: UInt64
    var nodes: [FuzzNode]
    var data: String
    var trimBlocks: Bool
    var lstripBlocks: Bool
    var lenient: Bool
    var files: [String: String] = [:]
    /// Values as YAML (PyYAML typing, timestamps, anchors, big integers) instead of `data`.
    var yaml: String?

    var renderCase: RenderCase {
        var c = RenderCase(template: nodes.map(\.text).joined(), data: data, trimBlocks: trimBlocks, lstripBlocks: lstripBlocks,
                           lenient: lenient, files: files)
        c.yaml = yaml
        return c
    }
}

struct TemplateFuzzer {
    var rng: SeededGenerator
    let seed: UInt64
    private var loopVars: [String] = []
    private var setVars: [String] = []
    private var macros: [String] = []
    /// Names of values the prelude built (self-containing lists, deep nesting).
    private var builtNames: [String] = []
    /// pprint shows a self-containing value with its id(), which differs from run to run.
    private var selfReferencing = false

    /// Templates the generated ones include and extend: blocks with super(), an include that
    /// looks for `loop`, an inheritance loop.
    static let files: [String: String] = [
        "base.j2": "B[{% block a %}ba{{ s }}{% endblock %}|{% block b %}bb{% endblock %}]",
        "mid.j2": "{% extends 'base.j2' %}{% block a %}M({{ super() }}){% endblock %}",
        "inc.j2": "I({{ a }}{{ loop is defined }}{{ i is defined }})",
        "self.j2": "{% extends 'self.j2' %}",
        "ping.j2": "{% extends 'pong.j2' %}",
        "pong.j2": "{% extends 'ping.j2' %}",
    ]

    /// Unicode whitespace Python's str.isspace and re's \s know (and the Jinja lexer strips).
    static let unicodeSpaces = ["\u{a0}", "\u{2003}", "\u{2028}", "\u{3000}", "\u{85}", "\u{1c}"]

    init(seed: UInt64) {
        self.seed = seed
        rng = SeededGenerator(seed: seed)
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[Int(rng.next() % UInt64(items.count))] }
    private mutating func chance(_ percent: Int) -> Bool { Int(rng.next() % 100) < percent }
    private mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    static let stringPool = ["'a'", "'Hello World'", "''", "' pad '", "'x,y,,z'", "'ÄÖü'", "'it''s'", "\"q'\"", "'10'", "'2.5'", "'a-b_c'", "'line\\nbreak'",
                             "'\u{a0}nb\u{2003}sp\u{2028}'", "'ΑΣ ΟΔΟΣ'", "'e\u{301}'", "'\u{e9}'"]
    static let floatPool = ["0.5", "1.25", "2.0", "-3.5", "1e-05", "100.0", "0.1", "1e15", "3.14159"]

    mutating func makeCase() -> FuzzCase {
        let data = makeData()
        loopVars = []
        setVars = []
        macros = []
        builtNames = []
        selfReferencing = false
        var nodes: [FuzzNode] = []
        if chance(12) {
            selfReferencing = true
            builtNames += ["r", "rd"]
            nodes.append(.verbatim("{% set r = [1, 'a'] %}{% set _ = r.append(r) %}{% set rd = {'k': 1} %}{% set _ = rd.update({'me': rd, 'l': r}) %}"))
        }
        if chance(8) {
            // Printable depth (Python's pprint needs three frames a level under the oracle's limit of 3,000).
            nodes.append(.verbatim("{% set ns = namespace(deep=[]) %}{% for _ in range(\(int(1...200))) %}{% set ns.deep = [ns.deep] %}{% endfor %}"))
            builtNames.append("ns.deep")
        }
        if chance(3) {
            // Deep enough to crash a recursive release; never printed.
            nodes.append(.verbatim("{% set hidden = namespace(v=[]) %}{% for _ in range(20000) %}{% set hidden.v = [hidden.v] %}{% endfor %}"))
        }
        if chance(30) {
            // A macro using its parameters, outer names and (sometimes) variables set later.
            loopVars = ["p", "q"]
            let body = makeNodes(depth: 2, count: int(1...3))
            loopVars = []
            nodes.append(.macro("m", body))
            macros = ["m"]
        }
        let roll = int(0...99)
        if roll < 8 {
            // A child template: its blocks replace the parent's; top-level output is dropped.
            nodes.append(.verbatim("{% extends '\(pick(["base.j2", "mid.j2"]))' %}"))
            nodes.append(.block("a", makeNodes(depth: 1, count: int(1...3)) + (chance(50) ? [.verbatim("{{ super() }}")] : [])))
            if chance(50) { nodes.append(.block("b", makeNodes(depth: 1, count: int(1...2)))) }
            nodes += makeNodes(depth: 2, count: int(0...2))
        } else if roll < 10 {
            nodes.append(.verbatim("{% extends '\(pick(["self.j2", "ping.j2"]))' %}"))
            nodes += makeNodes(depth: 0, count: int(1...3))
        } else {
            nodes += makeNodes(depth: 0, count: int(1...6))
        }
        var yaml: String?
        if chance(25) {
            // The same data as YAML (JSON is flow YAML), plus what only YAML makes.
            let extras = ", \"ts\": \(pick(["2024-01-15", "1999-12-31"])), \"dt\": \(pick(["2001-12-14 21:59:43.10 -5", "2024-06-01T08:05:09Z", "2002-12-14 10:00:00"])), "
                + "\"anc\": &A [1, {\"q\": 2}], \"ali\": *A, \"big\": \(pick(["123456789012345678901234", "-9223372036854775809", "0x1ffffffffffffffff"]))"
            yaml = String(data.dropLast()) + extras + "}"
        }
        return FuzzCase(seed: seed, nodes: nodes, data: data, trimBlocks: chance(40), lstripBlocks: chance(40), lenient: chance(35),
                        files: Self.files, yaml: yaml)
    }

    private mutating func makeData() -> String {
        let a = int(-5...20)
        let b = pick(Self.floatPool)
        let s = pick(["\"abc\"", "\"Hello  World\"", "\"\"", "\"x y z\"", "\"MiXeD\"", "\"10\""])
        let l = (0..<int(0...4)).map { _ in String(int(-3...9)) }.joined(separator: ", ")
        let ls = (0..<int(0...3)).map { _ in pick(["\"b\"", "\"a\"", "\"B\"", "\"cc\"", "\"\""]) }.joined(separator: ", ")
        let nested = (0..<int(0...3)).map { _ in "{\"name\": \(pick(["\"n1\"", "\"n2\"", "\"n3\""])), \"v\": \(int(0...5)), \"on\": \(chance(50))}" }.joined(separator: ", ")
        return "{\"a\": \(a), \"b\": \(b), \"s\": \(s), \"l\": [\(l)], \"ls\": [\(ls)], \"d\": {\"x\": \(int(0...9)), \"y\": \"why\"}, \"n\": null, \"t\": \(chance(50)), \"e\": \"\", \"nested\": [\(nested)]}"
    }

    private mutating func signs() -> TagSigns {
        TagSigns(left: chance(25) ? pick(["-", "+"]) : "", right: chance(25) ? pick(["-", "+"]) : "")
    }

    private mutating func text() -> String {
        if chance(10) { return pick(Self.unicodeSpaces) + pick(["", "\n", " "]) + pick(Self.unicodeSpaces) }
        return pick(["x", " ", "\n", "  \n", "\n  ", "a b", "\t", "-", "\n\n", " y\n  ", "{", "}", "#"])
    }

    private mutating func makeNodes(depth: Int, count: Int) -> [FuzzNode] {
        (0..<count).map { _ in makeNode(depth: depth) }
    }

    private mutating func makeNode(depth: Int) -> FuzzNode {
        let roll = int(0...99)
        switch roll {
        case 0..<30: return .text(text())
        case 30..<60: return .output(expr(depth: 0), signs())
        case 60..<64: return .comment(pick(["c", "multi\nline"]), signs())
        case 64..<76 where depth < 3:
            return .ifBlock(expr(depth: 0), makeNodes(depth: depth + 1, count: int(0...3)),
                            chance(40) ? makeNodes(depth: depth + 1, count: int(1...2)) : [], signs())
        case 76..<88 where depth < 3:
            let v = pick(["i", "j", "k"])
            let iter = pick([FuzzExpr.name("l"), .name("ls"), .name("nested"), .name("s"), .literal("range(\(int(0...4)))"), .name("d"),
                             .list([expr(depth: 2), expr(depth: 2)]), .name("u"), .filter(.name("l"), "sort", [])])
            loopVars.append(v)
            defer { loopVars.removeLast() }
            var body = makeNodes(depth: depth + 1, count: int(1...3))
            if chance(40) { body.append(.output(pick([.attribute(.name("loop"), pick(["index", "index0", "first", "last", "length", "revindex"])), .method(.name("loop"), "cycle", [.literal("'o'"), .literal("'e'")])]), TagSigns())) }
            return .forLoop(v, iter, body, chance(20) ? [.text("none")] : [], signs())
        case 86..<88 where depth < 3:
            return .filterBlock(pick(["upper", "trim", "title", "replace('a', 'b')", "indent(2)", "lower | center(12)"]),
                                makeNodes(depth: depth + 1, count: int(1...3)))
        case 88..<90 where depth < 3:
            let v = pick(["v", "x2"])
            let e = expr(depth: 1)
            loopVars.append(v)
            defer { loopVars.removeLast() }
            return .with(v, e, makeNodes(depth: depth + 1, count: int(1...3)))
        case 90..<92:
            if chance(50) { return .include("inc.j2") }
            // Values only YAML makes, in the uses both engines share (arithmetic on big integers is not one).
            return .output(.literal(pick(["ts", "dt", "[ts, dt]", "ts.year", "dt.hour", "ts is string", "dt|string", "big", "[big]",
                                          "big is integer", "big|tojson", "anc", "ali is sameas anc", "anc|to_yaml"]) + " if ts is defined"), TagSigns())
        case 92..<96:
            let v = pick(["v", "w"])
            let e = expr(depth: 0)
            setVars.append(v)
            return .set(v, e, signs())
        default:
            return .raw(pick(["{{ raw }}", " {% x %} ", "plain"]), signs())
        }
    }

    private mutating func atom() -> FuzzExpr {
        var names = ["a", "b", "s", "l", "ls", "d", "n", "t", "e", "nested", "u"]
        names += loopVars + setVars + builtNames
        if !macros.isEmpty, chance(12) {
            return pick([FuzzExpr.literal("m(a)"), .literal("m(s, q=l)"), .literal("m(p=t)"), .literal("m()"), .literal("m(1, 2, 3)")])
        }
        switch int(0...9) {
        case 0...3: return .name(pick(names))
        case 4: return .literal(String(int(-3...12)))
        case 5: return .literal(pick(Self.floatPool))
        case 6: return .literal(pick(Self.stringPool))
        case 7: return .literal(pick(["true", "false", "none"]))
        case 8: return .attribute(.name(pick(["d", "nested", "l", "s"])), pick(["x", "y", "0", "name", "missing"]))
        default: return .index(.name(pick(["l", "ls", "s", "d", "nested"])), .literal(pick(["0", "-1", "1", "'x'", "5"])))
        }
    }

    static let filters: [(String, [String])] = [
        ("upper", []), ("lower", []), ("length", []), ("default", ["'dflt'"]), ("default", ["0", "true"]), ("join", ["','"]),
        ("first", []), ("last", []), ("sort", []), ("unique", []), ("reverse", []), ("list", []), ("int", []), ("float", []),
        ("string", []), ("abs", []), ("trim", []), ("capitalize", []), ("title", []), ("round", []), ("round", ["1", "'floor'"]),
        ("sum", []), ("replace", ["'a'", "'b'"]), ("tojson", []), ("wordcount", []), ("center", ["9"]), ("count", []),
        ("min", []), ("max", []), ("batch", ["2"]), ("indent", ["2"]), ("truncate", ["8", "true", "'.'", "0"]), ("dictsort", []),
        ("map", ["'upper'"]), ("select", ["'odd'"]), ("reject", ["'none'"]), ("selectattr", ["'on'"]), ("map", ["attribute='v'"]),
        ("groupby", ["'name'"]), ("items", []), ("e", []), ("format", ["1"]), ("pprint", []), ("slice", ["2"]), ("to_json", []),
        ("to_yaml", []), ("b64encode", []), ("quote", []), ("urlencode", []), ("striptags", []), ("xmlattr", []), ("filesizeformat", []),
        ("regex_replace", ["'\\\\s'", "'_'"]), ("regex_replace", ["'\\\\w+'", "'W'"]), ("to_nice_yaml", []), ("lower", []), ("split", []),
    ]

    static let generatorFilters: Set<String> = ["unique", "map", "select", "reject", "selectattr", "rejectattr", "reverse", "batch", "slice", "items"]

    static let tests = ["defined", "undefined", "none", "number", "string", "odd", "even", "divisibleby(2)", "iterable",
                        "sequence", "mapping", "integer", "float", "lower", "upper", "in([1, 'a'])", "eq(1)", "gt(2)", "true", "false", "boolean"]

    private mutating func expr(depth: Int) -> FuzzExpr {
        if depth >= 3 { return atom() }
        switch int(0...14) {
        case 0...4: return atom()
        case 5, 6:
            var f = pick(Self.filters)
            if selfReferencing, f.0 == "pprint" { f = ("string", []) }
            return .filter(expr(depth: depth + 1), f.0, f.1.map { .literal($0) })
        case 7:
            let op = pick(["+", "-", "*", "//", "%", "/", "~", "==", "!=", "<", ">=", "in", "and", "or"])
            return .binary(op, expr(depth: depth + 1), expr(depth: depth + 1))
        case 8:
            let t = pick(Self.tests)
            if let paren = t.firstIndex(of: "(") {
                return .test(expr(depth: depth + 1), String(t[..<paren]), [.literal(String(t[t.index(after: paren)...].dropLast()))])
            }
            return .test(expr(depth: depth + 1), t, [])
        case 9: return .conditional(expr(depth: depth + 1), expr(depth: depth + 1), chance(70) ? expr(depth: depth + 1) : nil)
        case 10: return .list((0..<int(0...3)).map { _ in expr(depth: depth + 1) })
        case 11: return .unary(pick(["not", "-"]), expr(depth: depth + 1))
        case 12:
            let m = pick([("split", []), ("split", ["','"]), ("upper", []), ("strip", []), ("startswith", ["'a'"]), ("replace", ["'l'", "'L'"]),
                          ("count", ["'l'"]), ("title", []), ("lstrip", []), ("find", ["'o'"]), ("join", ["ls"]), ("format", ["1"]),
                          ("split", ["None", "1"]), ("rsplit", ["None", "1"]), ("rsplit", ["' '", "1"]), ("find", ["'l'", "3"]), ("rfind", ["'l'", "0", "-2"]),
                          ("count", ["'l'", "1", "5"]), ("casefold", []), ("lower", []), ("expandtabs", ["4"]), ("index", ["''", "2"])])
            return .method(.literal(pick(Self.stringPool + ["s"])), m.0, m.1.map { .name($0) })
        case 13: return .method(.name("d"), pick(["get", "items", "keys", "values"]), chance(50) ? [.literal("'x'")] : [])
        default: return .literal("'%s-%d' % (s, a)")
        }
    }
}

enum Shrinker {
    /// Greedily applies one-step reductions that keep the engines disagreeing, batching each
    /// round's candidates into one Python call.
    static func shrink(_ start: FuzzCase, rounds: Int = 60) throws -> FuzzCase {
        var current = start
        for _ in 0..<rounds {
            let candidates = FuzzNode.reduce(current.nodes).prefix(400).map { nodes -> FuzzCase in
                var c = current
                c.nodes = nodes
                return c
            }
            var options: [FuzzCase] = Array(candidates)
            if current.trimBlocks { var c = current; c.trimBlocks = false; options.insert(c, at: 0) }
            if current.lstripBlocks { var c = current; c.lstripBlocks = false; options.insert(c, at: 0) }
            if options.isEmpty { break }
            let expected = try Oracle.python(options.map(\.renderCase))
            guard let index = options.indices.first(where: { !Oracle.swift(options[$0].renderCase).agrees(with: expected[$0]) }) else { break }
            current = options[index]
        }
        return current
    }
}
