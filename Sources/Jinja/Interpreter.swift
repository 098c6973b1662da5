// Walks the parsed template, writing output; one Interpreter per render.

/// Variables visible at one point of a template; lookups walk to the parent.
final class Scope {
    @exclusivity(unchecked) var vars: VarTable
    let parent: Scope?
    /// Names the template assigns at its top level that are not assigned yet. Jinja2 compiles such a
    /// name into a local that starts out missing, so a loop, macro, filter or with body that reads it
    /// before the assignment gets Undefined, even when the context has the name (Python's scoping).
    @exclusivity(unchecked) var pendingNames: Set<String>?
    /// The first scope of a template or block: Jinja2 resolves names there from the context afresh.
    var isFrameRoot = false

    init(_ vars: [String: Value] = [:], parent: Scope?) {
        self.vars = VarTable(vars)
        self.parent = parent
    }

    deinit {
        var values = vars.takeValues()
        ValueRelease.drain(&values)
    }

    func lookup(_ name: String) -> Value? {
        var s = self
        // Pending names hide only from frames nested in the same template body: past a template or
        // block root, Jinja2 resolves from the context, where a missing local is simply absent.
        var nested = false, pastRoot = false
        while true {
            if nested, !pastRoot, let pending = s.pendingNames, pending.contains(name) { return nil }
            if let v = s.vars[name] { return v }
            guard let p = s.parent else { return nil }
            if s.isFrameRoot { pastRoot = true } else { nested = true }
            s = p
        }
    }

    /// Records an assignment at this scope, ending the name's pending state.
    @inline(__always) func assigned(_ name: String) {
        if pendingNames != nil {
            pendingNames!.remove(name)
            if pendingNames!.isEmpty { pendingNames = nil }
        }
    }
}

/// The state of one render: output buffer, undefined mode, limits, inheritance chains.
public final class Interpreter {
    let environment: Environment
    let strict: Bool
    @exclusivity(unchecked) var output = ""
    @exclusivity(unchecked) private var suppressOutput = false
    /// Where each piece of the output came from, when asked for (`Template.renderTracingLines`); nil otherwise,
    /// so an ordinary render pays one nil check per output statement.
    @exclusivity(unchecked) var lineMarks: [RenderedLineMap.Mark]?
    /// Captures in progress (set blocks, filter blocks, macro bodies): their text is not the final output's.
    @exclusivity(unchecked) private var captureDepth = 0
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var steps = 0
    /// The template whose code is running, for error positions.
    @exclusivity(unchecked) var templateName: String
    /// Block name → overriding definitions, child-most first, with the template defining each.
    var blockChains: [String: [(BlockDefinition, Template)]] = [:]
    /// Blocks being rendered (name, index in chain) for super().
    var blockFrames: [(String, Int)] = []
    var rootScope: Scope?
    var currentTemplate: Template?
    /// The templates of the inheritance chain being rendered, child first: extending one of them
    /// again would never end (Python fails with RecursionError).
    var extendsChain: [String] = []
    var rngState: UInt64 = 0

    init(environment: Environment, templateName: String) {
        self.environment = environment
        self.strict = environment.options.undefined == .strict
        self.templateName = templateName
    }

    // MARK: errors

    func located(_ error: Error, _ position: Position) -> Error {
        if let e = error as? EvalError {
            var position = position
            if case .undefined(_, let p?) = e { position = p }
            var excerpt: String?
            if let t = currentTemplate, t.name == templateName { excerpt = t.source.excerpt(at: position) }
            return TemplateError(e.kind, e.message, template: templateName, position: position, excerpt: excerpt)
        }
        return error
    }

    /// Counts one unit of work (a loop iteration, a macro call) against `maxSteps`.
    @inline(__always) func step() throws {
        steps &+= 1
        if steps > environment.options.maxSteps {
            throw EvalError.limit("template exceeds the work limit of \(environment.options.maxSteps) loop iterations and macro calls")
        }
    }

    func enter() throws {
        try step()
        depth += 1
        if depth > environment.options.maxDepth {
            throw EvalError.limit("maximum recursion depth (\(environment.options.maxDepth)) exceeded")
        }
    }

    func leave() { depth -= 1 }

    // MARK: output

    /// Notes that the output from here on comes from `position` of the running template.
    func mark(_ position: Position, verbatim: Bool) {
        guard captureDepth == 0, !suppressOutput else { return }
        lineMarks?.append(RenderedLineMap.Mark(offset: output.utf8.count, template: templateName, line: position.line, verbatim: verbatim))
    }

    @inline(__always) func write(_ s: String) throws {
        if suppressOutput { return }
        output += s
        if output.utf8.count > environment.options.maxOutputBytes {
            throw EvalError.limit("output exceeds the limit of \(environment.options.maxOutputBytes) bytes")
        }
    }

    /// Runs `body` and returns what it wrote instead of writing it.
    func capture(_ body: () throws -> Void) throws -> String {
        let saved = output
        let savedSuppress = suppressOutput
        output = ""
        suppressOutput = false
        captureDepth += 1
        defer { output = saved; suppressOutput = savedSuppress; captureDepth -= 1 }
        try body()
        return output
    }

    // MARK: templates

    func renderTemplate(_ template: Template, scope: Scope) throws {
        let savedName = templateName, savedTemplate = currentTemplate, savedRoot = rootScope
        let savedChains = blockChains, savedSuppress = suppressOutput, savedExtends = extendsChain
        extendsChain = [template.name]
        templateName = template.name
        currentTemplate = template
        rootScope = scope
        scope.isFrameRoot = true
        if !template.rootAssignments.isEmpty { scope.pendingNames = template.rootAssignments }
        blockChains = [:]
        for (name, block) in template.blocks { blockChains[name] = [(block, template)] }
        defer {
            templateName = savedName; currentTemplate = savedTemplate; rootScope = savedRoot
            blockChains = savedChains; suppressOutput = savedSuppress; extendsChain = savedExtends
        }
        var current = template
        while true {
            var parent: Template?
            try execute(current.body, scope, extends: &parent)
            guard let next = parent else { break }
            current = next
            templateName = next.name
            currentTemplate = next
            suppressOutput = savedSuppress
        }
    }

    // MARK: statements

    func execute(_ stmts: [Stmt], _ scope: Scope) throws {
        var unused: Template?
        try execute(stmts, scope, extends: &unused)
    }

    private func execute(_ stmts: [Stmt], _ scope: Scope, extends parent: inout Template?) throws {
        for stmt in stmts {
            // After `extends`, a template's own output (and its block calls) is never produced.
            if suppressOutput {
                switch stmt {
                case .data, .output, .block, .callBlock, .filterBlock: continue
                case .include:
                    // Jinja2 renders a child template's top-level includes (before its parent).
                    suppressOutput = false
                    defer { suppressOutput = true }
                    try execute([stmt], scope)
                    continue
                default: break
                }
            }
            switch stmt {
            case .data(let text, let p):
                if lineMarks != nil { mark(p, verbatim: true) }
                try write(text)
            case .output(let expr, let p):
                if lineMarks != nil { mark(p, verbatim: false) }
                do {
                    let v = try eval(expr, scope)
                    switch v {
                    case .string(let s), .markup(let s): try write(s)
                    case .int(let i): try write(String(i))
                    default: try write(try str(v))
                    }
                } catch { throw located(error, p) }
            case .ifChain(let branches, let otherwise):
                var done = false
                for (test, body) in branches {
                    if try truthy(try eval(test, scope)) {
                        try execute(body, scope, extends: &parent)
                        done = true
                        break
                    }
                }
                if !done { try execute(otherwise, scope, extends: &parent) }
            case .forLoop(let loop):
                do {
                    try runLoop(loop, items: nil, scope: scope, depth0: 0)
                } catch { throw located(error, loop.position) }
            case .set(let target, let expr, let p):
                do { try assign(target, try eval(expr, scope), scope) } catch { throw located(error, p) }
            case .setBlock(let target, let filters, let body, let p):
                do {
                    var value: Value = .string(try capture { try execute(body, Scope(parent: scope)) })
                    if let filters { value = try applyFilterChain(filters, value, scope) }
                    try assign(target, value, scope)
                } catch { throw located(error, p) }
            case .macro(let def):
                scope.vars[def.name] = .object(MacroObject(def, closure: scope, template: currentTemplate))
                scope.assigned(def.name)
            case .callBlock(let call, let callerDef, let p):
                if lineMarks != nil { mark(p, verbatim: false) }
                do {
                    let caller = MacroObject(callerDef, closure: scope, template: currentTemplate)
                    guard case .call(let callee, let args, let cp) = call else { break }
                    let v = try evalCall(callee, args, cp, scope, extraKeywords: [("caller", .object(caller))])
                    try write(try str(v))
                } catch { throw located(error, p) }
            case .filterBlock(let filters, let body, let p):
                if lineMarks != nil { mark(p, verbatim: false) }
                do {
                    let text = try capture { try execute(body, Scope(parent: scope)) }
                    try write(try str(try applyFilterChain(filters, .string(text), scope)))
                } catch { throw located(error, p) }
            case .include(let nameExpr, let ignoreMissing, let withContext, let p):
                do { try include(nameExpr, ignoreMissing: ignoreMissing, withContext: withContext, scope) } catch { throw located(error, p) }
            case .importAs(let nameExpr, let alias, let withContext, let p):
                do {
                    let module = try importModule(nameExpr, withContext: withContext, scope)
                    scope.vars[alias] = .object(module)
                    scope.assigned(alias)
                } catch { throw located(error, p) }
            case .fromImport(let nameExpr, let names, let withContext, let p):
                do {
                    let module = try importModule(nameExpr, withContext: withContext, scope)
                    for (name, alias) in names {
                        scope.assigned(alias)
                        if let v = module.exports[name] {
                            scope.vars[alias] = v
                        } else {
                            scope.vars[alias] = .undefined(Undefined(hint: "the template \(PythonRepr.string(module.name)) (imported on line \(p.line)) does not export the requested name \(PythonRepr.string(name))"))
                        }
                    }
                } catch { throw located(error, p) }
            case .extends(let nameExpr, let p):
                do {
                    if parent != nil { throw EvalError.runtime("extended multiple times") }
                    let name = try templateNameValue(try eval(nameExpr, scope))
                    let t = try environment.loadTemplate(name, from: templateName)
                    if extendsChain.contains(t.name) {
                        let cycle = (extendsChain + [t.name]).map { PythonRepr.string($0) }.joined(separator: " -> ")
                        throw EvalError.runtime("template inheritance loops: \(cycle)")
                    }
                    extendsChain.append(t.name)
                    parent = t
                    for (blockName, block) in t.blocks { blockChains[blockName, default: []].append((block, t)) }
                    suppressOutput = true
                } catch { throw located(error, p) }
            case .block(let def):
                do { try renderBlock(def.name, index: 0, scope: scope) } catch { throw located(error, def.position) }
            case .with(let assigns, let body):
                let inner = Scope(parent: scope)
                var values: [Value] = []
                for (_, e) in assigns { values.append(try eval(e, scope)) }
                for ((target, _), v) in zip(assigns, values) { try assign(target, v, inner) }
                try execute(body, inner, extends: &parent)
            case .expression(let expr, let p):
                do { _ = try eval(expr, scope) } catch { throw located(error, p) }
            case .loopControl(let isBreak, _):
                throw isBreak ? LoopControl.breakLoop : LoopControl.continueLoop
            }
        }
    }

    func renderBlock(_ name: String, index: Int, scope: Scope) throws {
        guard let chain = blockChains[name], index < chain.count else {
            throw EvalError.runtime("no block named '\(name)'")
        }
        let (def, template) = chain[index]
        // A `required` block must be overridden: rendering the required definition itself is an error.
        // (Reached through super() it renders nothing, as in Jinja2.)
        if def.required, index == 0 { throw EvalError.runtime("Required block '\(name)' not found") }
        try enter()
        defer { leave() }
        let savedName = templateName, savedTemplate = currentTemplate
        templateName = template.name
        currentTemplate = template
        blockFrames.append((name, index))
        defer { blockFrames.removeLast(); templateName = savedName; currentTemplate = savedTemplate }
        let base = def.scoped ? scope : (rootScope ?? scope)
        let frame = Scope(parent: base)
        frame.isFrameRoot = true
        try execute(def.body, frame)
    }

    func templateNameValue(_ v: Value) throws -> String {
        switch v {
        case .string(let s), .markup(let s): return s
        case .undefined(let u): throw undefinedError(u)
        default: throw EvalError.type("template name must be a string, not \(v.typeName)")
        }
    }

    private func include(_ nameExpr: Expr, ignoreMissing: Bool, withContext: Bool, _ scope: Scope) throws {
        let nameValue = try eval(nameExpr, scope)
        var candidates: [String] = []
        switch nameValue {
        case .list, .tuple: candidates = try iterate(nameValue).map(templateNameValue)
        default: candidates = [try templateNameValue(nameValue)]
        }
        var template: Template?
        var lastError: Error?
        for name in candidates {
            do { template = try environment.loadTemplate(name, from: templateName); break } catch { lastError = error }
        }
        guard let template else {
            if ignoreMissing, let e = lastError as? EvalError, e.kind == .notFound { return }
            throw lastError ?? EvalError.notFound("no template given")
        }
        try enter()
        defer { leave() }
        let root = withContext ? Scope(parent: scope) : Scope(parent: environment.globalScope)
        // An included template sees the includer's variables, but `loop` only when the loop's body
        // names it (Jinja2 makes no LoopContext otherwise).
        if withContext, case .object(let o as LoopObject)? = scope.lookup("loop"), !o.loop.bodyUsesLoop {
            // An inner loop that does not name `loop` leaves the name to the nearest outer one that does.
            var visible: Value = .undefined(Undefined(name: "loop"))
            var s: Scope? = scope
            while let current = s {
                if case .object(let outer as LoopObject)? = current.vars["loop"], outer.loop.bodyUsesLoop {
                    visible = .object(outer)
                    break
                }
                s = current.parent
            }
            root.vars["loop"] = visible
        }
        try renderTemplate(template, scope: root)
    }

    func importModule(_ nameExpr: Expr, withContext: Bool, _ scope: Scope) throws -> ModuleObject {
        let name = try templateNameValue(try eval(nameExpr, scope))
        let template = try environment.loadTemplate(name, from: templateName)
        try enter()
        defer { leave() }
        let root = withContext ? Scope(parent: scope) : Scope(parent: environment.globalScope)
        let body = try capture { try renderTemplate(template, scope: root) }
        var exports: [String: Value] = [:]
        var order: [String] = []
        for (k, v) in root.vars where !k.hasPrefix("_") { exports[k] = v; order.append(k) }
        return ModuleObject(name: name, exports: exports, order: order.sorted(), body: body)
    }

    func assign(_ target: AssignTarget, _ value: Value, _ scope: Scope) throws {
        switch target {
        case .name(let n):
            scope.vars[n] = value
            scope.assigned(n)
        case .tuple(let targets):
            let items = try iterate(value)
            if items.count < targets.count {
                throw EvalError.runtime("not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            if items.count > targets.count {
                throw EvalError.runtime("too many values to unpack (expected \(targets.count))")
            }
            for (t, v) in zip(targets, items) { try assign(t, v, scope) }
        case .namespaceAttribute(let ns, let attr):
            guard case .object(let o)? = scope.lookup(ns), let namespace = o as? NamespaceObject else {
                throw EvalError.runtime("cannot assign attribute on non-namespace object")
            }
            namespace.values[string: attr] = value
        }
    }

    // MARK: loops

    /// Runs a for loop over its iterable (or, for `loop(...)` recursion, over `items`).
    func runLoop(_ loop: ForLoop, items given: [Value]?, scope: Scope, depth0: Int) throws {
        var items = try given ?? iterate(try eval(loop.iterable, scope))
        let body = Scope(parent: scope)
        if let condition = loop.condition {
            var kept: [Value] = []
            for item in items {
                body.vars.removeAll(keepingCapacity: true)
                try assign(loop.target, item, body)
                if try truthy(try eval(condition, body)) { kept.append(item) }
            }
            items = kept
        }
        if items.isEmpty {
            try execute(loop.otherwise, scope)
            return
        }
        try enter()
        defer { leave() }
        let context = LoopObject(items: items, depth0: depth0, loop: loop, scope: scope)
        let loopValue = Value.object(context)
        for (i, item) in items.enumerated() {
            try step()
            context.index0 = i
            body.vars.removeAll(keepingCapacity: true)
            body.vars["loop"] = loopValue
            try assign(loop.target, item, body)
            do {
                try execute(loop.body, body)
            } catch let control as LoopControl {
                if control == .breakLoop { break }
            }
        }
    }

    // MARK: expressions

    func eval(_ expr: Expr, _ scope: Scope) throws -> Value {
        switch expr {
        case .constant(let v):
            return v
        case .name(let n, let p):
            if let v = scope.lookup(n) { return v }
            return special(n) ?? .undefined(Undefined(name: n, position: p))
        case .getattr(let base, let attr, let p):
            let obj = try eval(base, scope)
            if case .dict(let d) = obj, let v = d.cachedLookup(attr) { return v }
            do { return Self.placed(try getattr(obj, attr.name), p) } catch { throw located(error, p) }
        case .getitem(let base, let index, let p):
            let obj = try eval(base, scope)
            if case .slice(let a, let b, let c) = index {
                do {
                    return try slice(obj, try a.map { try eval($0, scope) }, try b.map { try eval($0, scope) }, try c.map { try eval($0, scope) })
                } catch { throw located(error, p) }
            }
            let key = try eval(index, scope)
            do { return Self.placed(try getitem(obj, key), p) } catch { throw located(error, p) }
        case .slice:
            throw EvalError.runtime("slice outside subscript")
        case .call(let callee, let args, let p):
            do { return try evalCall(callee, args, p, scope, extraKeywords: []) } catch { throw located(error, p) }
        case .filter(let base, let name, let args, let p):
            let value = try base.map { try eval($0, scope) } ?? .none
            do { return try applyFilter(name, value, args, scope) } catch { throw located(error, p) }
        case .test(let base, let name, let args, let p):
            let value = try eval(base, scope)
            do {
                let a = try evalArgs(args, scope)
                return .bool(try Tests.apply(name, value, a, self))
            } catch { throw located(error, p) }
        case .unary(let op, let e, let p):
            let v = try eval(e, scope)
            do { return op == "-" ? try negate(v) : try positive(v) } catch { throw located(error, p) }
        case .binary(let op, let l, let r, let p):
            let a = try eval(l, scope)
            let b = try eval(r, scope)
            do { return try binary(op, a, b) } catch { throw located(error, p) }
        case .and(let l, let r):
            let a = try eval(l, scope)
            return try truthy(a) ? try eval(r, scope) : a
        case .or(let l, let r):
            let a = try eval(l, scope)
            return try truthy(a) ? a : try eval(r, scope)
        case .not(let e, let p):
            do { return .bool(!(try truthy(try eval(e, scope)))) } catch { throw located(error, p) }
        case .compare(let first, let ops, let p):
            var left = try eval(first, scope)
            do {
                for (op, e) in ops {
                    let right = try eval(e, scope)
                    if !(try compare(op, left, right)) { return .bool(false) }
                    left = right
                }
            } catch { throw located(error, p) }
            return .bool(true)
        case .concat(let items, let p):
            var s = ""
            do {
                for item in items {
                    s += try str(try eval(item, scope))
                    try Limits.stringSize(s.utf8.count, limit: environment.options.maxOutputBytes)
                }
            } catch { throw located(error, p) }
            return .string(s)
        case .conditional(let test, let then, let otherwise, let p):
            let t: Bool
            do { t = try truthy(try eval(test, scope)) } catch { throw located(error, p) }
            if t { return try eval(then, scope) }
            if let otherwise { return try eval(otherwise, scope) }
            return .undefined(Undefined(hint: "the inline if-expression on line \(p.line) evaluated to false and no else section was defined.", alwaysLenient: true))
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try eval(item, scope)) }
            return .list(values)
        case .tuple(let items):
            var values: [Value] = []
            for item in items { values.append(try eval(item, scope)) }
            return .tuple(values)
        case .dict(let pairs, let p):
            let d = DictStorage()
            for (k, v) in pairs {
                let key = try eval(k, scope)
                if case .undefined(let u) = key, strict, !u.alwaysLenient { throw located(undefinedError(u), p) }
                guard HashKey(key) != nil else { throw located(EvalError.type("unhashable type: '\(key.typeName)'"), p) }
                d[key] = try eval(v, scope)
            }
            return .dict(d)
        }
    }

    /// An Undefined from an attribute or item lookup remembers where that lookup was written.
    @inline(__always) static func placed(_ v: Value, _ p: Position) -> Value {
        guard case .undefined(let u) = v, u.position == nil else { return v }
        return .undefined(Undefined(name: u.name, owner: u.owner, isElement: u.isElement, hint: u.hint,
                                    alwaysLenient: u.alwaysLenient, position: p))
    }

    /// Names that only exist in context: `super` inside a block, `self` for block access.
    private func special(_ name: String) -> Value? {
        switch name {
        case "super":
            guard let (block, index) = blockFrames.last else { return nil }
            return .object(SuperObject(block: block, index: index + 1))
        case "self":
            return .object(SelfObject(names: Array(blockChains.keys)))
        default:
            return nil
        }
    }

    func evalArgs(_ args: CallArgs, _ scope: Scope) throws -> Arguments {
        var result = Arguments()
        result.positional.reserveCapacity(args.positional.count)
        for e in args.positional { result.positional.append(try eval(e, scope)) }
        for (k, e) in args.keywords { result.keywords.append((k, try eval(e, scope))) }
        if let star = args.starArgs { result.positional += try iterate(try eval(star, scope)) }
        if let star = args.starKwargs {
            guard case .dict(let d) = try eval(star, scope) else { throw EvalError.type("argument after ** must be a mapping") }
            for (k, v) in zip(d.keys, d.values) {
                guard let key = k.asString else { throw EvalError.type("keywords must be strings") }
                result.keywords.append((key, v))
            }
        }
        return result
    }

    func evalCall(_ callee: Expr, _ args: CallArgs, _ p: Position, _ scope: Scope, extraKeywords: [(String, Value)]) throws -> Value {
        if case .getattr(let base, let methodName, let gp) = callee {
            let method = methodName.name
            let receiver = try eval(base, scope)
            var a = try evalArgs(args, scope)
            a.keywords += extraKeywords
            do {
                if let result = try Methods.call(receiver, method, a, self) { return result }
            } catch { throw located(error, gp) }
            let f = try getattr(receiver, method)
            return try call(f, a)
        }
        let f = try eval(callee, scope)
        var a = try evalArgs(args, scope)
        a.keywords += extraKeywords
        return try call(f, a)
    }

    func call(_ f: Value, _ args: Arguments) throws -> Value {
        switch f {
        case .object(let o): return try o.call(args, self)
        case .undefined(let u): throw undefinedError(u)
        default: throw EvalError.type("'\(f.typeName)' object is not callable")
        }
    }

    // MARK: attribute and item access

    func getattr(_ obj: Value, _ attr: String) throws -> Value {
        switch obj {
        case .undefined(let u):
            throw undefinedError(u)
        case .dict(let d):
            if let v = d[string: attr] {
                return Methods.isDictMethod(attr) ? .object(BoundMethod(receiver: obj, name: attr)) : v
            }
            if Methods.isDictMethod(attr) { return .object(BoundMethod(receiver: obj, name: attr)) }
        case .object(let o):
            if let v = o.attribute(attr) { return v }
        case .string, .markup:
            if Methods.isStringMethod(attr) { return .object(BoundMethod(receiver: obj, name: attr)) }
        case .list:
            if Methods.isListMethod(attr) { return .object(BoundMethod(receiver: obj, name: attr)) }
        default:
            break
        }
        return .undefined(Undefined(name: attr, owner: obj.objectTypeRepr))
    }

    func getitem(_ obj: Value, _ key: Value) throws -> Value {
        switch obj {
        case .undefined(let u):
            throw undefinedError(u)
        case .dict(let d):
            if let v = d[key] { return v }
        case .list, .tuple, .string, .markup:
            if let i = Self.intIndex(key) {
                switch obj {
                case .list(let l): if let v = Self.index(l.items, i) { return v }
                case .tuple(let t): if let v = Self.index(t, i) { return v }
                case .string(let s), .markup(let s): if let c = Self.index(Array(s.unicodeScalars), i) { return .string(String(c)) }
                default: break
                }
            }
        case .object(let o):
            if let k = key.asString, let v = o.attribute(k) { return v }
            if case .int(let i) = key, let items = o.iterate(), let v = Self.index(items, i) { return v }
        default:
            break
        }
        if let attr = key.asString {
            let v = try getattr(obj, attr)
            if !v.isUndefined { return v }
            return .undefined(Undefined(name: attr, owner: obj.objectTypeRepr))
        }
        return .undefined(Undefined(name: PythonRepr.repr(key), owner: obj.objectTypeRepr, isElement: true))
    }

    static func intIndex(_ v: Value) -> Int? {
        switch v {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    static func index<T>(_ items: [T], _ i: Int) -> T? {
        let j = i < 0 ? items.count + i : i
        return j >= 0 && j < items.count ? items[j] : nil
    }

    func slice(_ obj: Value, _ start: Value?, _ stop: Value?, _ step: Value?) throws -> Value {
        func bound(_ v: Value?) throws -> Int? {
            guard let v, !v.isNone else { return nil }
            guard let i = Self.intIndex(v) else {
                if case .undefined(let u) = v { throw undefinedError(u) }
                throw EvalError.type("slice indices must be integers or None or have an __index__ method")
            }
            return i
        }
        let st = try bound(step) ?? 1
        if st == 0 { throw EvalError.runtime("slice step cannot be zero") }
        let a = try bound(start), b = try bound(stop)
        func indices(_ count: Int) -> [Int] {
            func clamp(_ v: Int?, _ dflt: Int, _ lo: Int, _ hi: Int) -> Int {
                guard var x = v else { return dflt }
                if x < 0 { x += count }
                return min(max(x, lo), hi)
            }
            var result: [Int] = []
            if st > 0 {
                var i = clamp(a, 0, 0, count)
                let end = clamp(b, count, 0, count)
                while i < end {
                    result.append(i)
                    let (next, overflow) = i.addingReportingOverflow(st)
                    if overflow { break }
                    i = next
                }
            } else {
                var i = clamp(a, count - 1, -1, count - 1)
                let end = clamp(b, -1, -1, count - 1)
                while i > end {
                    result.append(i)
                    let (next, overflow) = i.addingReportingOverflow(st)
                    if overflow { break }
                    i = next
                }
            }
            return result
        }
        switch obj {
        case .list(let l): return .list(indices(l.items.count).map { l.items[$0] })
        case .tuple(let t): return .tuple(indices(t.count).map { t[$0] })
        case .string(let s):
            let chars = Array(s.unicodeScalars)
            return .string(PyString.string(indices(chars.count).map { chars[$0] }))
        case .markup(let s):
            let chars = Array(s.unicodeScalars)
            return .markup(PyString.string(indices(chars.count).map { chars[$0] }))
        case .undefined(let u): throw undefinedError(u)
        case .object(let o):
            if let items = o.iterate() { return .list(indices(items.count).map { items[$0] }) }
            fallthrough
        default:
            return .undefined(Undefined(name: "slice", owner: obj.objectTypeRepr, isElement: true))
        }
    }

    // MARK: filters

    func applyFilter(_ filter: FilterReference, _ value: Value, _ args: CallArgs, _ scope: Scope) throws -> Value {
        let a = try evalArgs(args, scope)
        guard let f = filter.function else { throw EvalError.runtime("No filter named '\(filter.name)' found.") }
        return try f(value, a, self)
    }

    /// Applies a filter chain parsed with a nil base (block set / filter block) to `value`.
    func applyFilterChain(_ chain: Expr, _ value: Value, _ scope: Scope) throws -> Value {
        guard case .filter(let base, let name, let args, let p) = chain else { return value }
        let input = try base.map { try applyFilterChain($0, value, scope) } ?? value
        do { return try applyFilter(name, input, args, scope) } catch { throw located(error, p) }
    }
}
