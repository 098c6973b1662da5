// Recursive-descent parser following Jinja2's grammar and operator precedence.

struct Parser {
    private var tokens: [Token]
    private var index = 0
    private let template: String
    private let source: SourceText
    private let knownFilters: Set<String>
    private let knownTests: Set<String>
    private var blockNames = Set<String>()
    /// Open statements, innermost last, for "unexpected end of template" messages.
    private var openTags: [String] = []
    /// Current nesting of expressions and statements; bounded so hostile input cannot exhaust the stack.
    private var nesting = 0
    static let maxNesting = 100
    /// For each for-loop body being parsed, innermost last: whether it names `loop` so far.
    private var loopBodiesNamingLoop: [Bool] = []

    private mutating func nest() throws {
        nesting += 1
        if nesting > Parser.maxNesting { throw fail("template nested too deeply (more than \(Parser.maxNesting) levels)") }
    }

    /// The enabled extensions' tags (`do`, `break`, `continue`).
    let extensions: Set<RenderOptions.Extension>

    init(tokens: [Token], template: String, source: SourceText, filters: Set<String>, tests: Set<String>,
         extensions: Set<RenderOptions.Extension> = []) {
        self.extensions = extensions
        self.tokens = tokens
        self.template = template
        self.source = source
        knownFilters = filters
        knownTests = tests
    }

    // MARK: token stream

    private var current: Token { tokens[index] }
    private func look(_ n: Int = 1) -> Token { tokens[min(index + n, tokens.count - 1)] }
    @discardableResult private mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    private func fail(_ message: String, _ position: Position? = nil) -> TemplateError {
        let p = position ?? current.position
        return TemplateError(.syntax, message, template: template, position: p, excerpt: source.excerpt(at: p))
    }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .name(let n): return n
        case .string(let s): return PythonRepr.string(s)
        case .integer(let i): return String(i)
        case .float(let d): return PythonRepr.float(d)
        default: return t.kind.description
        }
    }

    private mutating func expectOp(_ op: String) throws {
        guard current.isOp(op) else {
            if case .eof = current.kind { throw fail("unexpected end of template, expected '\(op)'.") }
            throw fail("expected token '\(op)', got '\(describe(current))'")
        }
        advance()
    }

    private mutating func expectName() throws -> Token {
        guard case .name = current.kind else {
            if case .eof = current.kind { throw fail("unexpected end of template, expected 'name'.") }
            throw fail("expected token 'name', got '\(describe(current))'")
        }
        return advance()
    }

    private mutating func expectName(_ n: String) throws {
        guard current.isName(n) else {
            if case .eof = current.kind { throw fail("unexpected end of template, expected '\(n)'.") }
            throw fail("expected token '\(n)', got '\(describe(current))'")
        }
        advance()
    }

    private mutating func expectBlockEnd() throws {
        guard case .blockEnd = current.kind else {
            if case .eof = current.kind { throw fail("unexpected end of template, expected 'end of statement block'.") }
            throw fail("expected token 'end of statement block', got '\(describe(current))'")
        }
        advance()
    }

    private func name(of t: Token) -> String { if case .name(let n) = t.kind { return n }; return "" }

    // MARK: statements

    mutating func parseTemplate() throws -> [Stmt] {
        let body = try subparse(endTokens: nil)
        guard case .eof = current.kind else { throw fail("unexpected '\(describe(current))'") }
        try NameCheck(filters: knownFilters, tests: knownTests, template: template, source: source).checkTemplate(body)
        return body
    }

    /// Parses until a block whose first name is one of `endTokens` (left as the current token).
    private mutating func subparse(endTokens: [String]?) throws -> [Stmt] {
        var body: [Stmt] = []
        while true {
            let token = current
            switch token.kind {
            case .data(let text):
                body.append(.data(text, token.position))
                advance()
            case .variableBegin:
                advance()
                let expr = try parseTuple(withCondexpr: true)
                guard case .variableEnd = current.kind else {
                    if case .eof = current.kind { throw fail("unexpected end of template, expected 'end of print statement'.") }
                    throw fail("expected token 'end of print statement', got '\(describe(current))'")
                }
                advance()
                body.append(.output(expr, token.position))
            case .blockBegin:
                advance()
                if let endTokens, case .name(let n) = current.kind, endTokens.contains(n) { return body }
                body.append(contentsOf: try parseStatement())
                try expectBlockEnd()
            case .eof:
                if let endTokens {
                    var message = "Unexpected end of template. Jinja was looking for the following tags: "
                    message += endTokens.map { "'\($0)'" }.joined(separator: " or ") + "."
                    if let open = openTags.last { message += " The innermost block that needs to be closed is '\(open)'." }
                    throw fail(message)
                }
                return body
            default:
                throw fail("unexpected '\(describe(token))'")
            }
        }
    }

    /// A statement's body: `:`?, the end of the opening tag, then statements up to an end tag.
    private mutating func parseStatements(_ endTokens: [String]) throws -> [Stmt] {
        if current.isOp(":") { advance() }
        try expectBlockEnd()
        return try subparse(endTokens: endTokens)
    }

    private mutating func subparseDropping(_ endTokens: [String]) throws -> [Stmt] {
        let body = try parseStatements(endTokens)
        advance()
        return body
    }

    private mutating func parseStatement() throws -> [Stmt] {
        let token = current
        guard case .name(let keyword) = token.kind else {
            if case .eof = token.kind { throw fail("Unexpected end of template.") }
            throw fail("tag name expected")
        }
        openTags.append(keyword)
        try nest()
        defer { openTags.removeLast(); nesting -= 1 }
        switch keyword {
        case "if": return [try parseIf()]
        case "for": return [try parseFor()]
        case "set": return [try parseSet()]
        case "macro": return [try parseMacro()]
        case "call": return [try parseCallBlock()]
        case "filter": return [try parseFilterBlock()]
        case "include": return [try parseInclude()]
        case "import": return [try parseImport()]
        case "from": return [try parseFrom()]
        case "extends":
            advance()
            return [.extends(try parseExpression(), token.position)]
        case "block": return [try parseBlock()]
        case "do" where extensions.contains(.do):
            advance()
            return [.expression(try parseTuple(withCondexpr: true), token.position)]
        case "break" where extensions.contains(.loopControls), "continue" where extensions.contains(.loopControls):
            // As in Python's compiled template: only inside a loop of the same macro (or top level).
            let enclosing = openTags.dropLast()
            let loop = enclosing.lastIndex(of: "for")
            if loop == nil || enclosing[loop!...].contains(where: { $0 == "macro" || $0 == "call" }) {
                throw fail(keyword == "break" ? "'break' outside loop" : "'continue' not properly in loop", token.position)
            }
            advance()
            return [.loopControl(isBreak: keyword == "break", token.position)]
        case "with": return [try parseWith()]
        case "print":
            advance()
            var out: [Stmt] = []
            while true {
                if case .blockEnd = current.kind { break }
                if !out.isEmpty { try expectOp(",") }
                let p = current.position
                out.append(.output(try parseExpression(), p))
            }
            return out
        default:
            var message = "Encountered unknown tag '\(keyword)'."
            if let open = openTags.dropLast().last { message += " The innermost block that needs to be closed is '\(open)'." }
            throw fail(message, token.position)
        }
    }

    private mutating func parseIf() throws -> Stmt {
        advance()
        var branches: [(Expr, [Stmt])] = []
        var otherwise: [Stmt] = []
        while true {
            let test = try parseTuple(withCondexpr: false)
            let body = try parseStatements(["elif", "else", "endif"])
            branches.append((test, body))
            let t = advance()
            if t.isName("elif") { continue }
            if t.isName("else") { otherwise = try subparseDropping(["endif"]) }
            break
        }
        return .ifChain(branches, otherwise: otherwise)
    }

    private mutating func parseFor() throws -> Stmt {
        let start = advance().position
        let target = try parseAssignTarget(extraEnd: ["in"])
        try expectName("in")
        let iterable = try parseTuple(withCondexpr: false, extraEnd: ["recursive"])
        var condition: Expr?
        if current.isName("if") {
            advance()
            condition = try parseExpression()
        }
        var recursive = false
        if current.isName("recursive") { advance(); recursive = true }
        loopBodiesNamingLoop.append(false)
        let body = try parseStatements(["endfor", "else"])
        let bodyUsesLoop = loopBodiesNamingLoop.removeLast()
        var otherwise: [Stmt] = []
        if advance().isName("else") { otherwise = try subparseDropping(["endfor"]) }
        return .forLoop(ForLoop(target: target, iterable: iterable, condition: condition, body: body,
                                otherwise: otherwise, recursive: recursive, position: start, bodyUsesLoop: bodyUsesLoop || recursive))
    }

    private mutating func parseSet() throws -> Stmt {
        let start = advance().position
        let target = try parseAssignTarget(withNamespace: true)
        if current.isOp("=") {
            advance()
            return .set(target, try parseTuple(withCondexpr: true), start)
        }
        let filters = try parseFilter(nil, startInline: false)
        let body = try subparseDropping(["endset"])
        return .setBlock(target, filters: filters, body: body, start)
    }

    private mutating func parseSignature() throws -> ([String], [Expr?]) {
        try expectOp("(")
        var names: [String] = []
        var defaults: [Expr?] = []
        var sawDefault = false
        while !current.isOp(")") {
            if !names.isEmpty { try expectOp(",") }
            let namePosition = current.position
            let n = name(of: try expectName())
            // Python refuses the function Jinja2 compiles the macro into.
            if names.contains(n) { throw fail("duplicate argument '\(n)' in function definition", namePosition) }
            if current.isOp("=") {
                advance()
                defaults.append(try parseExpression())
                sawDefault = true
            } else if sawDefault {
                throw fail("non-default argument follows default argument")
            } else {
                defaults.append(nil)
            }
            names.append(n)
        }
        try expectOp(")")
        return (names, defaults)
    }

    private mutating func parseMacro() throws -> Stmt {
        let start = advance().position
        let macroName = name(of: try expectName())
        let (names, defaults) = try parseSignature()
        let body = try subparseDropping(["endmacro"])
        return .macro(MacroDefinition(name: macroName, parameters: names, defaults: defaults, body: body, position: start))
    }

    private mutating func parseCallBlock() throws -> Stmt {
        let start = advance().position
        var names: [String] = [], defaults: [Expr?] = []
        if current.isOp("(") { (names, defaults) = try parseSignature() }
        let call = try parseExpression()
        guard case .call = call else { throw fail("expected call", start) }
        let body = try subparseDropping(["endcall"])
        return .callBlock(call: call, caller: MacroDefinition(name: "caller", parameters: names, defaults: defaults, body: body, position: start), start)
    }

    private mutating func parseFilterBlock() throws -> Stmt {
        let start = advance().position
        guard let filters = try parseFilter(nil, startInline: true) else { throw fail("expected filter") }
        let body = try subparseDropping(["endfilter"])
        return .filterBlock(filters: filters, body: body, start)
    }

    private mutating func parseImportContext(default value: Bool) -> Bool {
        if current.isName("with") || current.isName("without"), look().isName("context") {
            let with = current.isName("with")
            advance(); advance()
            return with
        }
        return value
    }

    private mutating func parseInclude() throws -> Stmt {
        let start = advance().position
        let template = try parseExpression()
        var ignoreMissing = false
        if current.isName("ignore"), look().isName("missing") { advance(); advance(); ignoreMissing = true }
        let withContext = parseImportContext(default: true)
        return .include(template, ignoreMissing: ignoreMissing, withContext: withContext, start)
    }

    private mutating func parseImport() throws -> Stmt {
        let start = advance().position
        let template = try parseExpression()
        try expectName("as")
        let alias = name(of: try expectName())
        return .importAs(template, name: alias, withContext: parseImportContext(default: false), start)
    }

    private mutating func parseFrom() throws -> Stmt {
        let start = advance().position
        let template = try parseExpression()
        try expectName("import")
        var names: [(String, String)] = []
        var withContext = false
        func isContext(_ p: Parser) -> Bool {
            (p.current.isName("with") || p.current.isName("without")) && p.look().isName("context")
        }
        while true {
            if !names.isEmpty { try expectOp(",") }
            guard case .name = current.kind else { _ = try expectName(); break }
            if isContext(self) { withContext = parseImportContext(default: false); break }
            let t = try expectName()
            let n = name(of: t)
            if n.hasPrefix("_") { throw fail("names starting with an underline can not be imported", t.position) }
            if current.isName("as") {
                advance()
                names.append((n, name(of: try expectName())))
            } else {
                names.append((n, n))
            }
            if isContext(self) { withContext = parseImportContext(default: false); break }
            if !current.isOp(",") { break }
        }
        return .fromImport(template, names: names, withContext: withContext, start)
    }

    private mutating func parseBlock() throws -> Stmt {
        let start = advance().position
        let blockName = name(of: try expectName())
        if blockNames.contains(blockName) { throw fail("block '\(blockName)' defined twice", start) }
        blockNames.insert(blockName)
        var scoped = false, required = false
        if current.isName("scoped") { advance(); scoped = true }
        if current.isName("required") { advance(); required = true }
        if current.isOp("-") { throw fail("Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.") }
        let body = try subparseDropping(["endblock"])
        if required {
            for stmt in body {
                if case .data(let text, _) = stmt, text.allSatisfy(\.isWhitespace) { continue }
                throw fail("Required blocks can only contain comments or whitespace", start)
            }
        }
        if current.isName(blockName) { advance() }
        return .block(BlockDefinition(name: blockName, body: body, scoped: scoped, required: required, position: start))
    }

    private mutating func parseWith() throws -> Stmt {
        advance()
        var assigns: [(AssignTarget, Expr)] = []
        while true {
            if case .blockEnd = current.kind { break }
            if !assigns.isEmpty { try expectOp(",") }
            let target = try parseAssignTarget()
            try expectOp("=")
            assigns.append((target, try parseExpression()))
        }
        let body = try subparseDropping(["endwith"])
        return .with(assigns, body: body)
    }

    private mutating func parseAssignTarget(extraEnd: [String] = [], withNamespace: Bool = false) throws -> AssignTarget {
        if withNamespace, look().isOp(".") {
            let ns = name(of: try expectName())
            advance()
            let attr = name(of: try expectName())
            return .namespaceAttribute(ns, attr)
        }
        let p = current.position
        let expr = try parseTuple(simplified: true, withCondexpr: true, extraEnd: extraEnd)
        func convert(_ e: Expr) throws -> AssignTarget {
            switch e {
            case .name(let n, _): return .name(n)
            case .tuple(let items): return .tuple(try items.map(convert))
            case .constant:
                throw fail("can't assign to 'const'", p)
            default: throw fail("can't assign to expression", p)
            }
        }
        return try convert(expr)
    }

    // MARK: expressions

    mutating func parseExpression(withCondexpr: Bool = true) throws -> Expr {
        try nest()
        defer { nesting -= 1 }
        return withCondexpr ? try parseCondexpr() : try parseOr()
    }

    private mutating func parseCondexpr() throws -> Expr {
        var p = current.position
        var expr = try parseOr()
        while current.isName("if") {
            advance()
            let test = try parseOr()
            var otherwise: Expr?
            if current.isName("else") {
                advance()
                otherwise = try parseCondexpr()
            }
            expr = .conditional(test: test, then: expr, otherwise: otherwise, p)
            p = current.position
        }
        return expr
    }

    private mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while current.isName("or") {
            advance()
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while current.isName("and") {
            advance()
            left = .and(left, try parseNot())
        }
        return left
    }

    private mutating func parseNot() throws -> Expr {
        try nest()
        defer { nesting -= 1 }
        if current.isName("not") {
            let p = advance().position
            return .not(try parseNot(), p)
        }
        return try parseCompare()
    }

    private mutating func parseCompare() throws -> Expr {
        let p = current.position
        let expr = try parseMath1()
        var ops: [(String, Expr)] = []
        while true {
            if case .op(let o) = current.kind, ["==", "!=", "<", "<=", ">", ">="].contains(o) {
                advance()
                ops.append((o, try parseMath1()))
            } else if current.isName("in") {
                advance()
                ops.append(("in", try parseMath1()))
            } else if current.isName("not"), look().isName("in") {
                advance(); advance()
                ops.append(("notin", try parseMath1()))
            } else {
                break
            }
        }
        return ops.isEmpty ? expr : .compare(expr, ops, p)
    }

    private mutating func parseMath1() throws -> Expr {
        var left = try parseConcat()
        while case .op(let o) = current.kind, o == "+" || o == "-" {
            let p = advance().position
            left = .binary(o, left, try parseConcat(), p)
        }
        return left
    }

    private mutating func parseConcat() throws -> Expr {
        let p = current.position
        var items = [try parseMath2()]
        while current.isOp("~") {
            advance()
            items.append(try parseMath2())
        }
        return items.count == 1 ? items[0] : .concat(items, p)
    }

    private mutating func parseMath2() throws -> Expr {
        var left = try parsePow()
        while case .op(let o) = current.kind, ["*", "/", "//", "%"].contains(o) {
            let p = advance().position
            left = .binary(o, left, try parsePow(), p)
        }
        return left
    }

    private mutating func parsePow() throws -> Expr {
        var left = try parseUnary()
        while current.isOp("**") {
            let p = advance().position
            left = .binary("**", left, try parseUnary(), p)
        }
        return left
    }

    private mutating func parseUnary(withFilter: Bool = true) throws -> Expr {
        try nest()
        defer { nesting -= 1 }
        var node: Expr
        if current.isOp("-") || current.isOp("+") {
            let t = advance()
            node = .unary(t.isOp("-") ? "-" : "+", try parseUnary(withFilter: false), t.position)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpr(node) }
        return node
    }

    private mutating func parsePrimary() throws -> Expr {
        let token = current
        switch token.kind {
        case .name(let n):
            advance()
            switch n {
            case "true", "True": return .constant(.bool(true))
            case "false", "False": return .constant(.bool(false))
            case "none", "None": return .constant(.none)
            default:
                if n == "loop" { for i in loopBodiesNamingLoop.indices { loopBodiesNamingLoop[i] = true } }
                return .name(n, token.position)
            }
        case .string(let s):
            advance()
            var text = s
            while case .string(let more) = current.kind { text += more; advance() }
            return .constant(.string(text))
        case .integer(let i):
            advance()
            return .constant(.int(i))
        case .bigInteger(let b):
            advance()
            return .constant(.integer(b))
        case .float(let d):
            advance()
            return .constant(.float(d))
        case .op("("):
            advance()
            let e = try parseTuple(withCondexpr: true, explicitParentheses: true)
            try expectOp(")")
            return e
        case .op("["):
            advance()
            var items: [Expr] = []
            while !current.isOp("]") {
                if !items.isEmpty { try expectOp(",") }
                if current.isOp("]") { break }
                items.append(try parseExpression())
            }
            try expectOp("]")
            return .list(items)
        case .op("{"):
            advance()
            var pairs: [(Expr, Expr)] = []
            while !current.isOp("}") {
                if !pairs.isEmpty { try expectOp(",") }
                if current.isOp("}") { break }
                let k = try parseExpression()
                try expectOp(":")
                pairs.append((k, try parseExpression()))
            }
            try expectOp("}")
            return .dict(pairs, token.position)
        case .eof:
            throw fail("unexpected end of template")
        default:
            throw fail("unexpected '\(describe(token))'")
        }
    }

    private func isTupleEnd(_ extraEnd: [String]) -> Bool {
        switch current.kind {
        case .variableEnd, .blockEnd, .op(")"): return true
        case .name(let n): return extraEnd.contains(n)
        default: return false
        }
    }

    private mutating func parseTuple(simplified: Bool = false, withCondexpr: Bool, extraEnd: [String] = [],
                                     explicitParentheses: Bool = false) throws -> Expr {
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expectOp(",") }
            if isTupleEnd(extraEnd) { break }
            if simplified { items.append(try parsePrimary()) } else { items.append(try parseExpression(withCondexpr: withCondexpr)) }
            if current.isOp(",") { isTuple = true } else { break }
        }
        if !isTuple {
            if let first = items.first { return first }
            if !explicitParentheses { throw fail("Expected an expression, got '\(describe(current))'") }
        }
        return .tuple(items)
    }

    private mutating func parsePostfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if current.isOp(".") || current.isOp("[") {
                node = try parseSubscript(node)
            } else if current.isOp("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    private mutating func parseFilterExpr(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if current.isOp("|") {
                node = try parseFilter(node, startInline: false)!
            } else if current.isName("is") {
                node = try parseTest(node)
            } else if current.isOp("(") {
                node = try parseCall(node)
            } else {
                return node
            }
        }
    }

    private mutating func parseSubscript(_ node: Expr) throws -> Expr {
        let token = advance()
        if token.isOp(".") {
            let attr = advance()
            switch attr.kind {
            case .name(let n): return .getattr(node, AttributeName(n), attr.position)
            case .integer(let i): return .getitem(node, .constant(.int(i)), token.position)
            default: throw fail("expected name or number", attr.position)
            }
        }
        var args: [Expr] = []
        while !current.isOp("]") {
            if !args.isEmpty { try expectOp(",") }
            args.append(try parseSubscribed())
        }
        try expectOp("]")
        return .getitem(node, args.count == 1 ? args[0] : .tuple(args), token.position)
    }

    private mutating func parseSubscribed() throws -> Expr {
        var parts: [Expr?] = []
        if current.isOp(":") {
            advance()
            parts = [nil]
        } else {
            let e = try parseExpression()
            guard current.isOp(":") else { return e }
            advance()
            parts = [e]
        }
        if current.isOp(":") {
            parts.append(nil)
        } else if !current.isOp("]") && !current.isOp(",") {
            parts.append(try parseExpression())
        } else {
            parts.append(nil)
        }
        if current.isOp(":") {
            advance()
            if !current.isOp("]") && !current.isOp(",") { parts.append(try parseExpression()) } else { parts.append(nil) }
        } else {
            parts.append(nil)
        }
        return .slice(parts[0], parts[1], parts[2])
    }

    private mutating func parseCallArgs() throws -> CallArgs {
        let open = current.position
        try expectOp("(")
        var args = CallArgs()
        var requireComma = false
        while !current.isOp(")") {
            if requireComma {
                try expectOp(",")
                if current.isOp(")") { break }
            }
            if current.isOp("*") {
                guard args.starArgs == nil, args.starKwargs == nil else { throw fail("invalid syntax for function call expression", open) }
                advance()
                args.starArgs = try parseExpression()
            } else if current.isOp("**") {
                guard args.starKwargs == nil else { throw fail("invalid syntax for function call expression", open) }
                advance()
                args.starKwargs = try parseExpression()
            } else if case .name(let key) = current.kind, look().isOp("=") {
                guard args.starKwargs == nil else { throw fail("invalid syntax for function call expression", open) }
                advance(); advance()
                args.keywords.append((key, try parseExpression()))
            } else {
                guard args.starArgs == nil, args.starKwargs == nil, args.keywords.isEmpty else {
                    throw fail("invalid syntax for function call expression", open)
                }
                args.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expectOp(")")
        return args
    }

    private mutating func parseCall(_ node: Expr) throws -> Expr {
        let p = current.position
        return .call(node, try parseCallArgs(), p)
    }

    private mutating func parseDottedName() throws -> (String, Position) {
        let t = try expectName()
        var n = name(of: t)
        while current.isOp(".") {
            advance()
            n += "." + name(of: try expectName())
        }
        return (n, t.position)
    }

    private mutating func parseFilter(_ start: Expr?, startInline: Bool) throws -> Expr? {
        var node = start
        var inline = startInline
        while current.isOp("|") || inline {
            if !inline { advance() }
            let (filterName, p) = try parseDottedName()
            let args = current.isOp("(") ? try parseCallArgs() : CallArgs()
            node = .filter(node, FilterReference(filterName), args, p)
            inline = false
        }
        return node
    }

    private mutating func parseTest(_ node: Expr) throws -> Expr {
        let isToken = advance()
        var negated = false
        if current.isName("not") { advance(); negated = true }
        let (testName, p) = try parseDottedName()
        var args = CallArgs()
        if current.isOp("(") {
            args = try parseCallArgs()
        } else {
            var startsArg = false
            switch current.kind {
            case .name(let n): startsArg = !["else", "or", "and"].contains(n)
            case .string, .integer, .float, .op("["), .op("{"): startsArg = true
            case .op("("): startsArg = true
            default: break
            }
            if startsArg {
                if current.isName("is") { throw fail("You cannot chain multiple tests with is") }
                args.positional = [try parsePostfix(try parsePrimary())]
            }
        }
        let test: Expr = .test(node, testName, args, p)
        return negated ? .not(test, isToken.position) : test
    }
}
