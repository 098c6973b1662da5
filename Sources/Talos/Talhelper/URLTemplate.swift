import Diagnostics
import FoundationEssentials
import Glibc
import SystemKit

/// The part of Go's text/template (with sprig's string functions) that talhelper's templates use (Image
/// Factory URL templates, Go-templated node labels/annotations): text, `{{ .Field }}` and `{{ .A.B.C }}`,
/// `{{ if … }}…{{ else }}…{{ end }}`, `{{- -}}` trimming, pipelines and `( … )`, string and bool literals,
/// and `trim lower upper print or and not eq ne contains hasPrefix hasSuffix trimPrefix trimSuffix replace default`.
/// Anything else is an error naming it, never a silently different URL.
struct URLTemplate {
    enum Value: Equatable {
        case string(String)
        case bool(Bool)

        var truthy: Bool {
            switch self {
            case .string(let text): return !text.isEmpty
            case .bool(let flag): return flag
            }
        }

        var text: String {
            switch self {
            case .string(let text): return text
            case .bool(let flag): return flag ? "true" : "false"
            }
        }
    }

    private indirect enum Node {
        case text(String)
        case action([String])
        case conditional(condition: [String], then: [Node], otherwise: [Node])
    }

    private let nodes: [Node]

    init(_ source: String) throws {
        var pieces: [(isAction: Bool, text: String)] = []
        var rest = Substring(source)
        while let open = rest.firstRange(of: "{{") {
            var text = String(rest[..<open.lowerBound])
            rest = rest[open.upperBound...]
            guard let close = rest.firstRange(of: "}}") else { throw Diagnostic.error("template: unclosed action") }
            var action = String(rest[..<close.lowerBound])
            rest = rest[close.upperBound...]
            if action.hasPrefix("-") {
                action.removeFirst()
                while text.last?.isWhitespace == true { text.removeLast() }
            }
            if action.hasSuffix("-") {
                action.removeLast()
                rest = rest.drop { $0.isWhitespace }
            }
            pieces.append((false, text))
            pieces.append((true, action))
        }
        pieces.append((false, String(rest)))
        var index = 0
        nodes = try Self.parse(pieces, &index, until: [])
    }

    private static func parse(_ pieces: [(isAction: Bool, text: String)], _ index: inout Int, until stops: Set<String>) throws -> [Node] {
        var nodes: [Node] = []
        while index < pieces.count {
            let piece = pieces[index]
            index += 1
            guard piece.isAction else {
                if !piece.text.isEmpty { nodes.append(.text(piece.text)) }
                continue
            }
            let words = try tokens(piece.text)
            guard let head = words.first else { throw Diagnostic.error("template: empty action") }
            if stops.contains(head) {
                index -= 1
                return nodes
            }
            if head == "if" {
                let then = try parse(pieces, &index, until: ["else", "end"])
                var otherwise: [Node] = []
                if index < pieces.count, try tokens(pieces[index].text).first == "else" {
                    index += 1
                    otherwise = try parse(pieces, &index, until: ["end"])
                }
                guard index < pieces.count, try tokens(pieces[index].text).first == "end" else {
                    throw Diagnostic.error("template: unexpected EOF (an `if` without `end`)")
                }
                index += 1
                nodes.append(.conditional(condition: Array(words.dropFirst()), then: then, otherwise: otherwise))
            } else if ["else", "end", "range", "with", "define", "template", "block"].contains(head) {
                throw Diagnostic.error("template: `\(head)` is not supported by talos-batch")
            } else {
                nodes.append(.action(words))
            }
        }
        if !stops.isEmpty { throw Diagnostic.error("template: unexpected EOF") }
        return nodes
    }

    /// Words of an action: identifiers, `.Field`, quoted strings (kept with their quotes), `(`, `)`, `|`.
    private static func tokens(_ action: String) throws -> [String] {
        var words: [String] = []
        var chars = Array(action)[...]
        while let c = chars.first {
            if c.isWhitespace { chars = chars.dropFirst(); continue }
            if c == "(" || c == ")" || c == "|" { words.append(String(c)); chars = chars.dropFirst(); continue }
            if c == "\"" || c == "`" {
                var word = String(c)
                chars = chars.dropFirst()
                var closed = false
                while let d = chars.first {
                    chars = chars.dropFirst()
                    if d == "\\" && c == "\"", let e = chars.first { word.append(d); word.append(e); chars = chars.dropFirst(); continue }
                    word.append(d)
                    if d == c { closed = true; break }
                }
                if !closed { throw Diagnostic.error("template: unterminated quoted string") }
                words.append(word)
                continue
            }
            let word = chars.prefix { !$0.isWhitespace && $0 != "(" && $0 != ")" && $0 != "|" }
            words.append(String(word))
            chars = chars.dropFirst(word.count)
        }
        return words
    }

    /// talhelper's `IsStringATemplate`.
    static func isTemplate(_ text: String) -> Bool { contains(text, "{{") || contains(text, "}}") }

    /// Foundation's `contains`, skipped when the text has no byte of the brace pair (most values, per node).
    static func contains(_ text: String, _ braces: String) -> Bool {
        guard let brace = braces.utf8.first, text.utf8.contains(brace) else { return false }
        return text.contains(braces)
    }

    /// Field paths (`.A.B`) looked up by the caller.
    typealias Lookup = ([String]) throws -> Value?

    func render(_ data: [String: Value]) throws -> String {
        try Self.render(nodes) { path in path.count == 1 ? data[path[0]] : nil }
    }

    func render(lookup: Lookup) throws -> String {
        try Self.render(nodes, lookup)
    }

    private static func render(_ nodes: [Node], _ data: Lookup) throws -> String {
        var out = ""
        for node in nodes {
            switch node {
            case .text(let text): out += text
            case .action(let words):
                var slice = words[...]
                out += try pipeline(&slice, data).text
            case .conditional(let condition, let then, let otherwise):
                var slice = condition[...]
                out += try render(try pipeline(&slice, data).truthy ? then : otherwise, data)
            }
        }
        return out
    }

    private static func pipeline(_ words: inout ArraySlice<String>, _ data: Lookup) throws -> Value {
        var value = try command(&words, data, piped: nil)
        while words.first == "|" {
            words = words.dropFirst()
            value = try command(&words, data, piped: value)
        }
        return value
    }

    private static func command(_ words: inout ArraySlice<String>, _ data: Lookup, piped: Value?) throws -> Value {
        guard let head = words.first else { throw Diagnostic.error("template: missing value") }
        var arguments: [Value] = []
        let isFunction = !(head.hasPrefix(".") || head.hasPrefix("\"") || head.hasPrefix("`") || head == "(" || head == "true" || head == "false")
        if isFunction { words = words.dropFirst() }
        while let word = words.first, word != "|", word != ")" {
            arguments.append(try operand(&words, data))
        }
        if let piped { arguments.append(piped) }
        guard isFunction else {
            guard arguments.count == 1 else { throw Diagnostic.error("template: can't give arguments to a non-function") }
            return arguments[0]
        }
        return try call(head, arguments)
    }

    private static func operand(_ words: inout ArraySlice<String>, _ data: Lookup) throws -> Value {
        let word = words.removeFirst()
        if word == "(" {
            let value = try pipeline(&words, data)
            guard words.first == ")" else { throw Diagnostic.error("template: unclosed `(`") }
            words = words.dropFirst()
            return value
        }
        if word == "true" || word == "false" { return .bool(word == "true") }
        if word.hasPrefix("\"") || word.hasPrefix("`") {
            var inner = String(word.dropFirst().dropLast())
            if word.hasPrefix("\"") {
                inner = inner.replacingAll("\\\"", with: "\"").replacingAll("\\\\", with: "\\")
            }
            return .string(inner)
        }
        if word.hasPrefix(".") {
            let path = word.dropFirst().split(separator: ".").map(String.init)
            guard let value = try data(path) else { throw Diagnostic.error("template: can't evaluate field \(path.joined(separator: "."))") }
            return value
        }
        throw Diagnostic.error("template: `\(word)` is not supported by talos-batch")
    }

    private static func call(_ name: String, _ args: [Value]) throws -> Value {
        func arity(_ count: Int) throws {
            if args.count != count { throw Diagnostic.error("template: wrong number of args for \(name): want \(count) got \(args.count)") }
        }
        let strip: (String) -> String = { String($0.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed()) }
        switch name {
        case "trim": try arity(1); return .string(strip(args[0].text))
        case "lower": try arity(1); return .string(args[0].text.lowercased())
        case "upper": try arity(1); return .string(args[0].text.uppercased())
        case "print": return .string(args.map(\.text).joined())
        case "or": return args.first(where: \.truthy) ?? args.last ?? .string("")
        case "and": return args.first(where: { !$0.truthy }) ?? args.last ?? .string("")
        case "not": try arity(1); return .bool(!args[0].truthy)
        case "eq": try arity(2); return .bool(args[0] == args[1])
        case "ne": try arity(2); return .bool(args[0] != args[1])
        case "contains": try arity(2); return .bool(args[1].text.contains(args[0].text))
        case "hasPrefix": try arity(2); return .bool(args[1].text.hasPrefix(args[0].text))
        case "hasSuffix": try arity(2); return .bool(args[1].text.hasSuffix(args[0].text))
        case "trimPrefix":
            try arity(2)
            let text = args[1].text
            return .string(text.hasPrefix(args[0].text) ? String(text.dropFirst(args[0].text.count)) : text)
        case "trimSuffix":
            try arity(2)
            let text = args[1].text
            return .string(text.hasSuffix(args[0].text) ? String(text.dropLast(args[0].text.count)) : text)
        case "replace":
            try arity(3)
            return .string(args[2].text.replacingAll(args[0].text, with: args[1].text))
        case "default":
            try arity(2)
            return args[1].truthy ? args[1] : args[0]
        default:
            throw Diagnostic.error("template: function \"\(name)\" is not supported by talos-batch")
        }
    }
}
