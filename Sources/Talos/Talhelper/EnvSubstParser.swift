import Diagnostics

/// a8m/envsubst's parser and evaluation (`parse/parse.go`, `parse/node.go`) with its strict restrictions
/// (no unset, no empty), over one line's tokens.
struct EnvSubstParser {
    private enum Node {
        case text(String)
        case variable(name: String, position: Int)
        indirect case substitution(operator: EnvSubstLexer.Kind?, variable: Node, fallback: Node?)
    }

    private let items: [EnvSubstLexer.Item]
    private let environment: [String: String]
    private var index = 0

    init(items: [EnvSubstLexer.Item], environment: [String: String]) {
        self.items = items
        self.environment = environment
    }

    /// The line substituted; every error (a lexer error, or an unset/empty variable) is added to `errors`.
    func evaluate(file: String, line: Int, errors: inout [Diagnostic]) -> String {
        var parser = self
        let nodes: [Node]
        do {
            nodes = try parser.parse()
        } catch let failure as ParseFailure {
            errors.append(.error(failure.message, at: SourceLocation(file: file, line: line, column: failure.position + 1)))
            return ""
        } catch {
            return ""
        }
        var output = ""
        for node in nodes {
            do {
                output += try string(node)
            } catch let failure as ParseFailure {
                errors.append(.error(failure.message, at: SourceLocation(file: file, line: line, column: failure.position + 1)))
            } catch {}
        }
        return output
    }

    private struct ParseFailure: Error {
        let message: String
        let position: Int
    }

    private mutating func next() -> EnvSubstLexer.Item {
        guard index < items.count else { return EnvSubstLexer.Item(kind: .eof, value: "", position: 0) }
        index += 1
        return items[index - 1]
    }

    private func peek() -> EnvSubstLexer.Item {
        index < items.count ? items[index] : EnvSubstLexer.Item(kind: .eof, value: "", position: 0)
    }

    private static func variable(_ item: EnvSubstLexer.Item) -> Node {
        .variable(name: item.value.hasPrefix("$") ? String(item.value.dropFirst()) : item.value, position: item.position)
    }

    private mutating func parse() throws -> [Node] {
        var nodes: [Node] = []
        while true {
            let item = next()
            switch item.kind {
            case .eof:
                return nodes
            case .error:
                throw ParseFailure(message: item.value, position: item.position)
            case .variable:
                nodes.append(Self.variable(item))
            case .leftDelim where peek().kind == .variable:
                nodes.append(try action())
            default:
                nodes.append(.text(item.value))
            }
        }
    }

    /// `${` followed by a variable: an optional operator and a default, up to `}`.
    private mutating func action() throws -> Node {
        let name = next()
        // Errors point at the `$` of `${`.
        let variable = Node.variable(name: name.value, position: max(0, name.position - 2))
        var op: EnvSubstLexer.Kind?
        var fallback: Node?
        loop: while true {
            let item = next()
            switch item.kind {
            case .rightDelim, .eof:
                break loop
            case .error:
                throw ParseFailure(message: item.value, position: item.position)
            case .variable:
                fallback = Self.variable(item)
            case .text:
                var text = item.value
                while ![.rightDelim, .error, .eof].contains(peek().kind) { text += next().value }
                fallback = .text(text)
            default:
                op = item.kind
            }
        }
        return .substitution(operator: op, variable: variable, fallback: fallback)
    }

    private func isSet(_ node: Node) -> Bool {
        if case .variable(let name, _) = node { return environment[name] != nil }
        return false
    }

    private func string(_ node: Node) throws -> String {
        switch node {
        case .text(let text):
            return text
        case .variable(let name, let position):
            guard let value = environment[name] else {
                throw ParseFailure(message: "variable ${\(name)} not set", position: position)
            }
            if value.isEmpty { throw ParseFailure(message: "variable ${\(name)} set but empty", position: position) }
            return value
        case .substitution(let op, let variable, let fallback):
            if let op, op >= .plus, let fallback {
                switch op {
                case .colonDash, .colonEquals:
                    if let value = try? string(variable), !value.isEmpty { return value }
                    return try string(fallback)
                case .plus, .colonPlus:
                    return isSet(variable) ? try string(fallback) : ""
                default:
                    if !isSet(variable) { return try string(fallback) }
                }
            }
            return try string(variable)
        }
    }
}
