// The non-data objects templates handle: macros, the loop object, namespaces, methods, modules.

/// A `{% macro %}` (or a call block's `caller`) closed over the scope it was defined in.
final class MacroObject: TemplateObject {
    let definition: MacroDefinition
    let closure: Scope
    let template: Template?

    init(_ definition: MacroDefinition, closure: Scope, template: Template?) {
        self.definition = definition
        self.closure = closure
        self.template = template
    }

    var typeName: String { "Macro" }
    var repr: String { "<Macro \(PythonRepr.string(definition.name))>" }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "name": return .string(definition.name)
        case "arguments": return .tuple(definition.parameters.map { .string($0) })
        case "catch_kwargs": return .bool(definition.catchesKwargs)
        case "catch_varargs": return .bool(definition.catchesVarargs)
        case "caller": return .bool(definition.callsCaller)
        default: return nil
        }
    }

    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let def = definition
        let scope = Scope(parent: closure)
        var positional = args.positional
        var bound = [Bool](repeating: false, count: def.parameters.count)
        for (i, name) in def.parameters.enumerated() where i < positional.count {
            scope.vars[name] = positional[i]
            bound[i] = true
        }
        let extra = positional.count > def.parameters.count ? Array(positional[def.parameters.count...]) : []
        positional = []
        var kwargs: [(String, Value)] = []
        var callerGiven = false
        for (k, v) in args.keywords {
            if let i = def.parameters.firstIndex(of: k) {
                if bound[i] { throw EvalError.type("macro '\(def.name)' got multiple values for argument '\(k)'") }
                scope.vars[k] = v
                bound[i] = true
            } else if k == "caller", def.callsCaller {
                scope.vars["caller"] = v
                callerGiven = true
            } else {
                kwargs.append((k, v))
            }
        }
        if !extra.isEmpty, !def.catchesVarargs {
            throw EvalError.type("macro '\(def.name)' takes not more than \(def.parameters.count) argument(s)")
        }
        if let first = kwargs.first, !def.catchesKwargs {
            throw EvalError.type("macro '\(def.name)' takes no keyword argument '\(first.0)'")
        }
        // Defaults are evaluated in the macro's own scope, so they can refer to earlier parameters.
        let savedName = interpreter.templateName, savedTemplate = interpreter.currentTemplate
        if let template {
            interpreter.templateName = template.name
            interpreter.currentTemplate = template
        }
        defer {
            interpreter.templateName = savedName
            interpreter.currentTemplate = savedTemplate
        }
        for (i, name) in def.parameters.enumerated() where !bound[i] {
            if let d = def.defaults[i] {
                scope.vars[name] = try interpreter.eval(d, scope)
            } else {
                scope.vars[name] = .undefined(Undefined(hint: "parameter \(PythonRepr.string(name)) was not provided"))
            }
        }
        if def.callsCaller, !callerGiven {
            scope.vars["caller"] = .undefined(Undefined(hint: "No caller defined"))
        }
        if def.catchesVarargs { scope.vars["varargs"] = .tuple(extra) }
        if def.catchesKwargs {
            let d = DictStorage()
            for (k, v) in kwargs { d[string: k] = v }
            scope.vars["kwargs"] = .dict(d)
        }
        try interpreter.enter()
        defer { interpreter.leave() }
        let text = try interpreter.capture { try interpreter.execute(def.body, scope) }
        return .string(text)
    }
}

/// The `loop` variable inside a for loop.
final class LoopObject: TemplateObject {
    let items: [Value]
    let depth0: Int
    let loop: ForLoop
    let scope: Scope
    @exclusivity(unchecked) var index0 = 0
    private var lastChanged: [Value]?

    init(items: [Value], depth0: Int, loop: ForLoop, scope: Scope) {
        self.items = items
        self.depth0 = depth0
        self.loop = loop
        self.scope = scope
    }

    var typeName: String { "LoopContext" }
    var repr: String { "<LoopContext \(index0 + 1)/\(items.count)>" }

    func attribute(_ name: String) -> Value? {
        let n = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(n - index0)
        case "revindex0": return .int(n - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == n - 1)
        case "length": return .int(n)
        case "depth": return .int(depth0 + 1)
        case "depth0": return .int(depth0)
        case "previtem":
            return index0 > 0 ? items[index0 - 1] : .undefined(Undefined(hint: "there is no previous item"))
        case "nextitem":
            return index0 + 1 < n ? items[index0 + 1] : .undefined(Undefined(hint: "there is no next item"))
        case "cycle", "changed": return .object(BoundMethod(receiver: .object(self), name: name))
        default: return nil
        }
    }

    func callMethod(_ name: String, _ args: Arguments, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "cycle":
            guard !args.positional.isEmpty else { throw EvalError.type("no items for cycling given") }
            return args.positional[index0 % args.positional.count]
        case "changed":
            if let last = lastChanged, last.count == args.positional.count,
               try zip(last, args.positional).allSatisfy({ try Interpreter.pyEquals($0, $1) }) {
                return .bool(false)
            }
            lastChanged = args.positional
            return .bool(true)
        default:
            return nil
        }
    }

    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        guard loop.recursive else {
            throw EvalError.type("The loop must have the 'recursive' marker to be called recursively.")
        }
        guard args.positional.count == 1 else { throw EvalError.type("loop() takes exactly one argument") }
        let items = try interpreter.iterate(args.positional[0])
        let text = try interpreter.capture {
            try interpreter.runLoop(loop, items: items, scope: scope, depth0: depth0 + 1)
        }
        return .string(text)
    }
}

/// `namespace(...)`: attributes assignable with `{% set ns.attr = … %}` from any scope.
final class NamespaceObject: TemplateObject {
    let values: DictStorage
    init(_ values: DictStorage) { self.values = values }
    var typeName: String { "Namespace" }
    var repr: String { "<Namespace \(PythonRepr.repr(.dict(values)))>" }
    func attribute(_ name: String) -> Value? { values[string: name] }
}

/// A method looked up but not yet called (`s.upper`), callable later.
final class BoundMethod: TemplateObject {
    let receiver: Value
    let name: String
    init(receiver: Value, name: String) {
        self.receiver = receiver
        self.name = name
    }
    var typeName: String { "builtin_function_or_method" }
    var repr: String { "<built-in method \(name) of \(receiver.typeName) object>" }
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        if let v = try Methods.call(receiver, name, args, interpreter) { return v }
        throw EvalError.type("'\(receiver.typeName)' object has no attribute '\(name)'")
    }
}

/// An imported template: its top-level macros and variables.
final class ModuleObject: TemplateObject {
    let name: String
    let exports: [String: Value]
    let order: [String]
    let body: String
    init(name: String, exports: [String: Value], order: [String], body: String) {
        self.name = name
        self.exports = exports
        self.order = order
        self.body = body
    }
    var typeName: String { "TemplateModule" }
    var repr: String { "<Template \(PythonRepr.string(name))>" }
    func attribute(_ name: String) -> Value? { exports[name] }
}

/// `super()` inside a block: renders the next definition in the inheritance chain.
final class SuperObject: TemplateObject {
    let block: String
    let index: Int
    init(block: String, index: Int) {
        self.block = block
        self.index = index
    }
    var typeName: String { "BlockReference" }
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        guard let chain = interpreter.blockChains[block], index < chain.count else {
            throw EvalError.runtime("no parent block called '\(block)'")
        }
        let scope = interpreter.rootScope ?? Scope(parent: nil)
        return .string(try interpreter.capture { try interpreter.renderBlock(block, index: index, scope: scope) })
    }
}

/// `self`: `self.blockname()` renders a block of the current template.
final class SelfObject: TemplateObject {
    let names: [String]
    init(names: [String]) { self.names = names }
    var typeName: String { "TemplateReference" }
    func attribute(_ name: String) -> Value? {
        names.contains(name) ? .object(BlockCaller(block: name)) : nil
    }
}

final class BlockCaller: TemplateObject {
    let block: String
    init(block: String) { self.block = block }
    var typeName: String { "BlockReference" }
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        let scope = interpreter.rootScope ?? Scope(parent: nil)
        return .string(try interpreter.capture { try interpreter.renderBlock(block, index: 0, scope: scope) })
    }
}

/// `dict.items()`, `.keys()`, `.values()`: iterable views printed like CPython's.
final class DictView: TemplateObject {
    enum Kind: String { case items = "dict_items", keys = "dict_keys", values = "dict_values" }
    let kind: Kind
    let dict: DictStorage
    init(_ kind: Kind, _ dict: DictStorage) {
        self.kind = kind
        self.dict = dict
    }
    var typeName: String { kind.rawValue }
    func iterate() -> [Value]? {
        switch kind {
        case .items: return zip(dict.keys, dict.values).map { .tuple([$0, $1]) }
        case .keys: return dict.keys
        case .values: return dict.values
        }
    }
    var repr: String { "\(kind.rawValue)(\(PythonRepr.repr(.list(iterate() ?? []))))" }
}

/// `range(...)`.
final class RangeObject: TemplateObject {
    /// Python's range takes ints of any size (`range(2**64, 2**64 + 2)`); step is never zero.
    let start: BigInt, stop: BigInt, step: BigInt
    /// The number of items, saturating at Int.max.
    let count: Int
    init(start: BigInt, stop: BigInt, step: BigInt) {
        self.start = start
        self.stop = stop
        self.step = step
        let span = step.negative ? start - stop : stop - start
        if span.negative || span.isZero {
            count = 0
        } else {
            let (q, r) = BigInt.floorDivMod(span, step.magnitude)
            count = (r.isZero ? q : q + BigInt(1)).asInt ?? Int.max
        }
    }
    var typeName: String { "range" }
    func iterate() -> [Value]? {
        if let s = start.asInt, let t = step.asInt,
           !(count > 0 && t.multipliedReportingOverflow(by: count - 1).overflow) {
            return (0..<count).map { .int(s + $0 * t) }
        }
        return (0..<count).map { .integer(start + BigInt($0) * step) }
    }
    var repr: String {
        step == BigInt(1) ? "range(\(start.decimal), \(stop.decimal))" : "range(\(start.decimal), \(stop.decimal), \(step.decimal))"
    }
}

/// `cycler(...)`.
final class CyclerObject: TemplateObject {
    let items: [Value]
    var position = 0
    init(_ items: [Value]) { self.items = items }
    var typeName: String { "Cycler" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "current": return items[position]
        case "next", "reset": return .object(BoundMethod(receiver: .object(self), name: name))
        default: return nil
        }
    }
    func callMethod(_ name: String, _ args: Arguments, _ interpreter: Interpreter) throws -> Value? {
        switch name {
        case "next":
            let v = items[position]
            position = (position + 1) % items.count
            return v
        case "reset":
            position = 0
            return Value.none
        default: return nil
        }
    }
}

/// `joiner(sep)`: returns "" the first time, then sep.
final class JoinerObject: TemplateObject {
    let separator: String
    var used = false
    init(_ separator: String) { self.separator = separator }
    var typeName: String { "Joiner" }
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value {
        if !used { used = true; return .string("") }
        return .string(separator)
    }
}

/// A global function (`range`, `dict`, `namespace`, …).
final class BuiltinFunction: TemplateObject {
    let name: String
    let body: (Arguments, Interpreter) throws -> Value
    init(_ name: String, _ body: @escaping (Arguments, Interpreter) throws -> Value) {
        self.name = name
        self.body = body
    }
    var typeName: String { "builtin_function_or_method" }
    var repr: String { "<built-in function \(name)>" }
    func call(_ args: Arguments, _ interpreter: Interpreter) throws -> Value { try body(args, interpreter) }
}
