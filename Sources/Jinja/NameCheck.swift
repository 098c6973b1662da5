// Jinja2 rejects unknown filters and tests when compiling, except inside `if` statements and
// conditional expressions, where they only fail if actually used. This pass does the same.

struct NameCheck {
    let filters: Set<String>
    let tests: Set<String>
    let template: String
    let source: SourceText
    /// Set after a top-level `extends`: Jinja2 then compiles no output statements outside blocks and
    /// macros, so their unknown filters are never reported.
    private let outputDropped = Flag()

    private final class Flag { var isSet = false }

    /// Checks a template body, following Jinja2's rule for output after `extends`.
    func checkTemplate(_ body: [Stmt]) throws {
        for stmt in body {
            try check(stmt, soft: false)
            if case .extends = stmt { outputDropped.isSet = true }
        }
    }

    /// Runs `body` for a macro or block body, whose output is always compiled.
    private func compilingOutput(_ body: () throws -> Void) rethrows {
        let saved = outputDropped.isSet
        outputDropped.isSet = false
        defer { outputDropped.isSet = saved }
        try body()
    }

    private func fail(_ kind: String, _ name: String, _ p: Position) -> TemplateError {
        TemplateError(.syntax, "No \(kind) named '\(name)'.", template: template, position: p, excerpt: source.excerpt(at: p))
    }

    func check(_ stmts: [Stmt], soft: Bool) throws {
        for stmt in stmts { try check(stmt, soft: soft) }
    }

    func check(_ stmt: Stmt, soft: Bool) throws {
        switch stmt {
        case .data: break
        case .output(let e, _): if !outputDropped.isSet { try check(e, soft: soft) }
        case .ifChain(let branches, let otherwise):
            for (test, body) in branches {
                try check(test, soft: true)
                try check(body, soft: true)
            }
            try check(otherwise, soft: true)
        case .forLoop(let f):
            try check(f.iterable, soft: soft)
            if let c = f.condition { try check(c, soft: false) }
            try check(f.body, soft: false)
            try check(f.otherwise, soft: false)
        case .set(_, let e, _): try check(e, soft: soft)
        case .setBlock(_, let filters, let body, _):
            if let filters { try check(filters, soft: false) }
            try check(body, soft: false)
        case .macro(let m):
            for d in m.defaults { if let d { try check(d, soft: false) } }
            try compilingOutput { try check(m.body, soft: false) }
        case .callBlock(let call, let caller, _):
            try check(call, soft: soft)
            try check(caller.body, soft: false)
        case .filterBlock(let filters, let body, _):
            try check(filters, soft: false)
            try check(body, soft: false)
        case .include(let e, _, _, _), .importAs(let e, _, _, _), .fromImport(let e, _, _, _), .extends(let e, _):
            try check(e, soft: soft)
        case .block(let b): try compilingOutput { try check(b.body, soft: false) }
        case .with(let assigns, let body):
            for (_, e) in assigns { try check(e, soft: soft) }
            try check(body, soft: false)
        case .expression(let e, _): try check(e, soft: soft)
        case .loopControl: break
        }
    }

    func check(_ expr: Expr, soft: Bool) throws {
        switch expr {
        case .constant, .name: break
        case .getattr(let e, _, _), .unary(_, let e, _), .not(let e, _): try check(e, soft: soft)
        case .getitem(let a, let b, _), .binary(_, let a, let b, _), .and(let a, let b), .or(let a, let b):
            try check(a, soft: soft)
            try check(b, soft: soft)
        case .slice(let a, let b, let c):
            for e in [a, b, c] { if let e { try check(e, soft: soft) } }
        case .call(let f, let args, _):
            try check(f, soft: soft)
            try check(args, soft: soft)
        case .filter(let base, let filter, let args, let p):
            if !soft, filter.function == nil { throw fail("filter", filter.name, p) }
            if let base { try check(base, soft: soft) }
            try check(args, soft: soft)
        case .test(let base, let name, let args, let p):
            if !soft, !tests.contains(name) { throw fail("test", name, p) }
            try check(base, soft: soft)
            try check(args, soft: soft)
        case .compare(let e, let ops, _):
            try check(e, soft: soft)
            for (_, o) in ops { try check(o, soft: soft) }
        case .concat(let items, _), .list(let items), .tuple(let items):
            for e in items { try check(e, soft: soft) }
        case .conditional(let t, let a, let b, _):
            try check(t, soft: true)
            try check(a, soft: true)
            if let b { try check(b, soft: true) }
        case .dict(let pairs, _):
            for (k, v) in pairs {
                try check(k, soft: soft)
                try check(v, soft: soft)
            }
        }
    }

    func check(_ args: CallArgs, soft: Bool) throws {
        for e in args.positional { try check(e, soft: soft) }
        for (_, e) in args.keywords { try check(e, soft: soft) }
        if let e = args.starArgs { try check(e, soft: soft) }
        if let e = args.starKwargs { try check(e, soft: soft) }
    }
}
