// The parsed template: statements and expressions with their source positions.

indirect enum Expr {
    case constant(Value)
    case name(String, Position)
    case getattr(Expr, AttributeName, Position)
    case getitem(Expr, Expr, Position)
    case slice(Expr?, Expr?, Expr?)
    case call(Expr, CallArgs, Position)
    /// A filter applied to `base` (nil inside `{% filter %}` and block-set filter chains).
    case filter(Expr?, FilterReference, CallArgs, Position)
    case test(Expr, String, CallArgs, Position)
    case unary(String, Expr, Position)
    case binary(String, Expr, Expr, Position)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case not(Expr, Position)
    case compare(Expr, [(String, Expr)], Position)
    case concat([Expr], Position)
    case conditional(test: Expr, then: Expr, otherwise: Expr?, Position)
    case list([Expr])
    case tuple([Expr])
    case dict([(Expr, Expr)], Position)
}

/// An attribute name with an inline cache: the slot where it was last found in a dict. Rendering
/// a list of similar mappings (nodes from YAML) finds every key at the same slot each time.
/// Concurrent renders may race on `slot`; that is harmless because a hit is always verified
/// against the key itself, so a stale slot only costs a regular lookup.
final class AttributeName {
    let name: String
    /// Dict methods (`items`, `get`…) win over keys of the same name, so they are never cached.
    let isDictMethod: Bool
    @exclusivity(unchecked) var slot = 0
    init(_ name: String) {
        self.name = name
        isDictMethod = Methods.isDictMethod(name)
    }
}

/// A filter name with its implementation looked up once, when parsing (nil: unknown filter).
final class FilterReference {
    let name: String
    let function: Filters.Filter?
    init(_ name: String) {
        self.name = name
        function = Filters.table[name]
    }
}

struct CallArgs {
    var positional: [Expr] = []
    var keywords: [(String, Expr)] = []
    var starArgs: Expr?
    var starKwargs: Expr?
}

/// The left side of `set`, `for` and `with`.
indirect enum AssignTarget {
    case name(String)
    case tuple([AssignTarget])
    case namespaceAttribute(String, String)
}

final class MacroDefinition {
    let name: String
    let parameters: [String]
    let defaults: [Expr?]
    let body: [Stmt]
    let position: Position
    let catchesVarargs: Bool
    let catchesKwargs: Bool
    let callsCaller: Bool

    init(name: String, parameters: [String], defaults: [Expr?], body: [Stmt], position: Position) {
        self.name = name
        self.parameters = parameters
        self.defaults = defaults
        self.body = body
        self.position = position
        var names = Set<String>()
        for stmt in body { NameCollector.collect(stmt, into: &names) }
        catchesVarargs = names.contains("varargs")
        catchesKwargs = names.contains("kwargs")
        callsCaller = names.contains("caller")
    }
}

final class BlockDefinition {
    let name: String
    let body: [Stmt]
    let scoped: Bool
    let required: Bool
    let position: Position
    init(name: String, body: [Stmt], scoped: Bool, required: Bool, position: Position) {
        self.name = name
        self.body = body
        self.scoped = scoped
        self.required = required
        self.position = position
    }
}

indirect enum Stmt {
    /// Template text, and where it starts in the template (for `RenderedLineMap`).
    case data(String, Position)
    case output(Expr, Position)
    case ifChain([(Expr, [Stmt])], otherwise: [Stmt])
    case forLoop(ForLoop)
    case set(AssignTarget, Expr, Position)
    case setBlock(AssignTarget, filters: Expr?, body: [Stmt], Position)
    case macro(MacroDefinition)
    case callBlock(call: Expr, caller: MacroDefinition, Position)
    case filterBlock(filters: Expr, body: [Stmt], Position)
    case include(Expr, ignoreMissing: Bool, withContext: Bool, Position)
    case importAs(Expr, name: String, withContext: Bool, Position)
    case fromImport(Expr, names: [(String, String)], withContext: Bool, Position)
    case extends(Expr, Position)
    case block(BlockDefinition)
    case with([(AssignTarget, Expr)], body: [Stmt])
    /// `{% do expr %}` (jinja2.ext.do): evaluated, nothing written.
    case expression(Expr, Position)
    /// `{% break %}` / `{% continue %}` (jinja2.ext.loopcontrols).
    case loopControl(isBreak: Bool, Position)
}

/// Thrown by `{% break %}` / `{% continue %}` up to the innermost running loop.
enum LoopControl: Error {
    case breakLoop, continueLoop
}

final class ForLoop {
    let target: AssignTarget
    let iterable: Expr
    let condition: Expr?
    let body: [Stmt]
    let otherwise: [Stmt]
    let recursive: Bool
    let position: Position
    /// The body names `loop` (Jinja2 then builds a LoopContext, which an included template sees).
    let bodyUsesLoop: Bool
    init(target: AssignTarget, iterable: Expr, condition: Expr?, body: [Stmt], otherwise: [Stmt], recursive: Bool, position: Position,
         bodyUsesLoop: Bool = true) {
        self.bodyUsesLoop = bodyUsesLoop
        self.target = target
        self.iterable = iterable
        self.condition = condition
        self.body = body
        self.otherwise = otherwise
        self.recursive = recursive
        self.position = position
    }
}

/// Names a macro body refers to (to know whether it takes varargs/kwargs/caller).
enum NameCollector {
    static func collect(_ stmt: Stmt, into names: inout Set<String>) {
        switch stmt {
        case .data: break
        case .output(let e, _): collect(e, into: &names)
        case .ifChain(let branches, let otherwise):
            for (c, b) in branches { collect(c, into: &names); b.forEach { collect($0, into: &names) } }
            otherwise.forEach { collect($0, into: &names) }
        case .forLoop(let f):
            collect(f.iterable, into: &names)
            if let c = f.condition { collect(c, into: &names) }
            f.body.forEach { collect($0, into: &names) }
            f.otherwise.forEach { collect($0, into: &names) }
        case .set(_, let e, _): collect(e, into: &names)
        case .setBlock(_, let f, let body, _):
            if let f { collect(f, into: &names) }
            body.forEach { collect($0, into: &names) }
        case .macro(let m):
            // A nested macro's defaults are evaluated in the outer scope; its body has its own.
            m.defaults.forEach { if let d = $0 { collect(d, into: &names) } }
        case .callBlock(let call, let caller, _):
            collect(call, into: &names)
            caller.body.forEach { collect($0, into: &names) }
        case .filterBlock(let f, let body, _):
            collect(f, into: &names)
            body.forEach { collect($0, into: &names) }
        case .include(let e, _, _, _), .importAs(let e, _, _, _), .fromImport(let e, _, _, _), .extends(let e, _):
            collect(e, into: &names)
        case .block(let b): b.body.forEach { collect($0, into: &names) }
        case .with(let assigns, let body):
            assigns.forEach { collect($0.1, into: &names) }
            body.forEach { collect($0, into: &names) }
        case .expression(let e, _): collect(e, into: &names)
        case .loopControl: break
        }
    }

    static func collect(_ expr: Expr, into names: inout Set<String>) {
        switch expr {
        case .constant: break
        case .name(let n, _): names.insert(n)
        case .getattr(let e, _, _): collect(e, into: &names)
        case .getitem(let a, let b, _): collect(a, into: &names); collect(b, into: &names)
        case .slice(let a, let b, let c): [a, b, c].forEach { if let e = $0 { collect(e, into: &names) } }
        case .call(let f, let args, _): collect(f, into: &names); collect(args, into: &names)
        case .filter(let base, _, let args, _):
            if let base { collect(base, into: &names) }
            collect(args, into: &names)
        case .test(let e, _, let args, _): collect(e, into: &names); collect(args, into: &names)
        case .unary(_, let e, _), .not(let e, _): collect(e, into: &names)
        case .binary(_, let a, let b, _), .and(let a, let b), .or(let a, let b): collect(a, into: &names); collect(b, into: &names)
        case .compare(let e, let ops, _): collect(e, into: &names); ops.forEach { collect($0.1, into: &names) }
        case .concat(let items, _), .list(let items), .tuple(let items): items.forEach { collect($0, into: &names) }
        case .conditional(let t, let a, let b, _):
            collect(t, into: &names); collect(a, into: &names)
            if let b { collect(b, into: &names) }
        case .dict(let pairs, _): pairs.forEach { collect($0.0, into: &names); collect($0.1, into: &names) }
        }
    }

    static func collect(_ args: CallArgs, into names: inout Set<String>) {
        args.positional.forEach { collect($0, into: &names) }
        args.keywords.forEach { collect($0.1, into: &names) }
        if let s = args.starArgs { collect(s, into: &names) }
        if let s = args.starKwargs { collect(s, into: &names) }
    }
}
