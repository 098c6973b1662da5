// The public API: an Environment (settings + loader) compiles Templates, which render a context.
import FileAccess
import FoundationEssentials
import Glibc
import SystemKit

/// How a template is lexed and rendered.
public struct RenderOptions: Sendable {
    public enum UndefinedMode: String, Sendable {
        /// An undefined name is an error (Jinja2's StrictUndefined); talos-batch's default.
        case strict
        /// Jinja2's default Undefined: prints as "", is falsy, iterates as empty.
        case lenient
    }

    public var syntax = Syntax()
    public var undefined: UndefinedMode = .strict
    /// Nested macro calls, includes, imports, blocks and loops allowed before giving up.
    public var maxDepth = 200
    /// The largest output a render may produce.
    public var maxOutputBytes = 256 << 20
    /// Loop iterations plus macro calls a render may perform, so nested loops or exponentially
    /// recursive macros end with an error instead of running for hours.
    public var maxSteps = 50_000_000
    /// Seed for the `random` filter, so renders are reproducible.
    public var randomSeed: UInt64 = 0
    /// Jinja2 extensions: `do` (jinja2.ext.do) and `loopcontrols` (jinja2.ext.loopcontrols), which the
    /// jinja2 CLI loads by default. Off by default, as in a plain Jinja2 Environment.
    public var extensions: Set<Extension> = []

    public enum Extension: String, Sendable, Hashable {
        case `do`, loopControls
    }

    public init() {}
}

/// Where `include`, `import` and `extends` find templates.
public protocol TemplateLoader: Sendable {
    /// The source of `name`, or nil when there is no such template.
    func source(for name: String) throws -> String?
}

/// Loads templates from one directory and never from outside it (no `..`, no absolute paths,
/// no symlinks leading out).
public struct FileSystemLoader: TemplateLoader {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public func source(for name: String) throws -> String? {
        var pieces: [String] = []
        for piece in name.split(separator: "/", omittingEmptySubsequences: true) {
            if piece == ".." { throw EvalError.security("template name \(PythonRepr.string(name)) points outside the template directory") }
            if piece != "." { pieces.append(String(piece)) }
        }
        guard !pieces.isEmpty else { return nil }
        let url = pieces.reduce(root) { $0.appendingPathComponent($1) }
        let realRoot = root.resolvingSymlinksInPath().path
        let realPath = url.resolvingSymlinksInPath().path
        guard realPath == realRoot || realPath.hasPrefix(realRoot.hasSuffix("/") ? realRoot : realRoot + "/") else {
            throw EvalError.security("template \(PythonRepr.string(name)) resolves outside the template directory")
        }
        var isDir = false
        guard FileManager.default.fileExists(atPath: realPath, isDirectory: &isDir), !isDir else { return nil }
        // The checked reader (issue 19): a FIFO or device in the template folder is an error, not a hang.
        let data: [UInt8]
        do {
            data = try RegularFile.read(realPath)
        } catch let error as RegularFileError {
            throw EvalError.runtime("cannot read template \(PythonRepr.string(name)): \(error.reason)")
        }
        guard let text = String(bytes: data, encoding: .utf8) else {
            throw EvalError.runtime("template \(PythonRepr.string(name)) is not valid UTF-8")
        }
        return text
    }
}

/// Templates held in memory, by name.
public struct DictionaryLoader: TemplateLoader {
    public let templates: [String: String]
    public init(_ templates: [String: String]) { self.templates = templates }
    public func source(for name: String) throws -> String? { templates[name] }
}

/// Settings, loader and a cache of compiled templates. Thread-safe.
public final class Environment: @unchecked Sendable {
    public let options: RenderOptions
    public let loader: TemplateLoader?
    private let lock = Lock()
    private var cache: [String: Template] = [:]
    let filterNames: Set<String>
    let testNames: Set<String>
    let globalScope: Scope

    public init(options: RenderOptions = RenderOptions(), loader: TemplateLoader? = nil) {
        self.options = options
        self.loader = loader
        filterNames = Filters.names
        testNames = Tests.names
        globalScope = Scope(Globals.make(), parent: nil)
    }

    /// Compiles template source. Throws a TemplateError (syntax) naming line and column.
    public func template(source: String, name: String = "<template>") throws -> Template {
        let lexer = Lexer(source, template: name, syntax: options.syntax)
        let tokens = try lexer.tokenize()
        var parser = Parser(tokens: tokens, template: name, source: lexer.source, filters: filterNames, tests: testNames,
                            extensions: options.extensions)
        let body = try parser.parseTemplate()
        return Template(name: name, body: body, source: lexer.source, environment: self)
    }

    /// Loads and compiles a template through the loader (cached).
    public func template(named name: String) throws -> Template {
        do {
            return try loadTemplate(name, from: name)
        } catch let e as EvalError {
            throw TemplateError(e.kind, e.message, template: name, position: nil)
        }
    }

    func loadTemplate(_ name: String, from: String) throws -> Template {
        lock.lock()
        if let t = cache[name] { lock.unlock(); return t }
        lock.unlock()
        guard let loader else { throw EvalError.notFound("template \(PythonRepr.string(name)) not found (no template loader)") }
        guard let text = try loader.source(for: name) else { throw EvalError.notFound("template \(PythonRepr.string(name)) not found") }
        let t = try template(source: text, name: name)
        lock.lock()
        cache[name] = t
        lock.unlock()
        return t
    }

    /// Compiles and renders in one step.
    public func render(source: String, name: String = "<template>", context: [String: Value]) throws -> String {
        try template(source: source, name: name).render(context)
    }
}

/// A compiled template, reusable across renders and threads.
public final class Template: @unchecked Sendable {
    public let name: String
    let body: [Stmt]
    let blocks: [String: BlockDefinition]
    /// Names assigned at the top level (outside loops, macros, blocks…), which Jinja2 compiles into
    /// root-frame locals; see `Scope.pendingNames`.
    let rootAssignments: Set<String>
    /// The (newline-normalised) source, for the excerpt under runtime errors.
    let source: SourceText
    // Strong: a template must stay renderable after the caller drops its Environment.
    let environment: Environment

    init(name: String, body: [Stmt], source: SourceText, environment: Environment) {
        self.name = name
        self.body = body
        self.source = source
        self.environment = environment
        var blocks: [String: BlockDefinition] = [:]
        Template.collectBlocks(body, into: &blocks)
        self.blocks = blocks
        var names = Set<String>()
        Template.collectRootAssignments(body, into: &names)
        self.rootAssignments = names
    }

    private static func collectRootAssignments(_ stmts: [Stmt], into names: inout Set<String>) {
        func targetNames(_ target: AssignTarget) {
            switch target {
            case .name(let n): names.insert(n)
            case .tuple(let targets): for t in targets { targetNames(t) }
            case .namespaceAttribute: break
            }
        }
        for stmt in stmts {
            switch stmt {
            case .set(let target, _, _), .setBlock(let target, _, _, _): targetNames(target)
            case .macro(let m): names.insert(m.name)
            case .importAs(_, let alias, _, _): names.insert(alias)
            case .fromImport(_, let imported, _, _): for (_, alias) in imported { names.insert(alias) }
            case .ifChain(let branches, let otherwise):
                for (_, body) in branches { collectRootAssignments(body, into: &names) }
                collectRootAssignments(otherwise, into: &names)
            default: break
            }
        }
    }

    private static func collectBlocks(_ stmts: [Stmt], into blocks: inout [String: BlockDefinition]) {
        for stmt in stmts {
            switch stmt {
            case .block(let b):
                blocks[b.name] = b
                collectBlocks(b.body, into: &blocks)
            case .ifChain(let branches, let otherwise):
                for (_, body) in branches { collectBlocks(body, into: &blocks) }
                collectBlocks(otherwise, into: &blocks)
            case .forLoop(let f):
                collectBlocks(f.body, into: &blocks)
                collectBlocks(f.otherwise, into: &blocks)
            case .with(_, let body), .filterBlock(_, let body, _), .setBlock(_, _, let body, _):
                collectBlocks(body, into: &blocks)
            default:
                break
            }
        }
    }

    /// Renders with the given variables. Throws TemplateError naming template, line and column.
    public func render(_ context: [String: Value]) throws -> String {
        try RenderThread.run { try renderOnThisThread(context) }
    }

    /// Renders as `render` does (the same bytes) and also returns, for every piece of the output, the
    /// template line that wrote it, so an error found later in the output can name its template line.
    public func renderTracingLines(_ context: [String: Value]) throws -> (text: String, lines: RenderedLineMap) {
        try RenderThread.run {
            var marks: [RenderedLineMap.Mark] = []
            let text = try renderOnThisThread(context, marks: &marks, tracing: true)
            return (text, RenderedLineMap(text: text, marks: marks))
        }
    }

    private func renderOnThisThread(_ context: [String: Value]) throws -> String {
        var unused: [RenderedLineMap.Mark] = []
        return try renderOnThisThread(context, marks: &unused, tracing: false)
    }

    private func renderOnThisThread(_ context: [String: Value], marks: inout [RenderedLineMap.Mark], tracing: Bool) throws -> String {
        let interpreter = Interpreter(environment: environment, templateName: name)
        if tracing { interpreter.lineMarks = [] }
        defer { if tracing { marks = interpreter.lineMarks ?? [] } }
        interpreter.output.reserveCapacity(sizeHint.value)
        let root = Scope(context, parent: environment.globalScope)
        do {
            try interpreter.renderTemplate(self, scope: root)
        } catch let e as EvalError {
            throw TemplateError(e.kind, e.message, template: interpreter.templateName, position: nil)
        }
        sizeHint.value = interpreter.output.utf8.count
        return interpreter.output
    }

    /// The size of the last render, to reserve the output buffer once instead of growing it.
    private let sizeHint = SizeHint()
}

/// A lock-protected Int shared by concurrent renders of one template.
final class SizeHint: @unchecked Sendable {
    private let lock = Lock()
    private var stored = 4096
    var value: Int {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = min(newValue + newValue / 8, 64 << 20) } }
    }
}

extension Interpreter {
    /// A small deterministic generator for the `random` filter (xorshift over the seed).
    func nextRandom(_ bound: Int) -> Int {
        if rngState == 0 { rngState = environment.options.randomSeed &+ 0x9E37_79B9_7F4A_7C15 }
        rngState ^= rngState << 13
        rngState ^= rngState >> 7
        rngState ^= rngState << 17
        return Int(rngState % UInt64(max(bound, 1)))
    }
}

/// The global names every template sees.
enum Globals {
    static func make() -> [String: Value] {
        var g: [String: Value] = [:]
        g["range"] = .object(BuiltinFunction("range") { args, _ in
            let ints = try args.positional.map { v -> BigInt in
                if case .object(let o as PyBigInt) = v { return o.value }
                guard let i = Interpreter.intIndex(v).map(BigInt.init) else {
                    if case .undefined(let u) = v { throw EvalError.undefined(u.message, u.position) }
                    throw EvalError.type("'\(v.typeName)' object cannot be interpreted as an integer")
                }
                return i
            }
            let r: RangeObject
            switch ints.count {
            case 1: r = RangeObject(start: BigInt(0), stop: ints[0], step: BigInt(1))
            case 2: r = RangeObject(start: ints[0], stop: ints[1], step: BigInt(1))
            case 3:
                guard !ints[2].isZero else { throw EvalError.runtime("range() arg 3 must not be zero") }
                r = RangeObject(start: ints[0], stop: ints[1], step: ints[2])
            default: throw EvalError.type("range expected at most 3 arguments, got \(ints.count)")
            }
            if r.count > 10_000_000 { throw EvalError.limit("range too big") }
            return .object(r)
        })
        g["dict"] = .object(BuiltinFunction("dict") { args, interp in
            let d = DictStorage()
            if let first = args.positional.first {
                if case .dict(let o) = first { for (k, v) in zip(o.keys, o.values) { d[k] = v } } else {
                    for item in try interp.iterate(first) {
                        let pair = try interp.iterate(item)
                        guard pair.count == 2 else { throw EvalError.runtime("dictionary update sequence element has wrong length") }
                        d[pair[0]] = pair[1]
                    }
                }
            }
            for (k, v) in args.keywords { d[string: k] = v }
            return .dict(d)
        })
        g["namespace"] = .object(BuiltinFunction("namespace") { args, _ in
            let d = DictStorage()
            if let first = args.positional.first, case .dict(let o) = first { for (k, v) in zip(o.keys, o.values) { d[k] = v } }
            for (k, v) in args.keywords { d[string: k] = v }
            return .object(NamespaceObject(d))
        })
        g["cycler"] = .object(BuiltinFunction("cycler") { args, _ in
            guard !args.positional.isEmpty else { throw EvalError.runtime("at least one item has to be provided") }
            return .object(CyclerObject(args.positional))
        })
        g["joiner"] = .object(BuiltinFunction("joiner") { args, interp in
            .object(JoinerObject(try args.positional.first.map { try interp.str($0) } ?? ", "))
        })
        return g
    }
}

extension Environment {
    /// Renders the template file at `url` with `context`; includes, imports and extends resolve inside
    /// the file's directory. The convenience the render stage and `talos-batch render` share.
    public static func renderFile(at url: URL, context: [String: Value], options: RenderOptions = RenderOptions(),
                                  name: String? = nil) throws -> String {
        let data: [UInt8]
        do {
            data = try RegularFile.read(url.path)
        } catch let error as RegularFileError {
            throw TemplateError(error.isMissing ? .notFound : .runtime, "cannot read template \(url.path): \(error.reason)",
                                template: name ?? url.path, position: nil)
        }
        guard let source = String(bytes: data, encoding: .utf8) else {
            throw TemplateError(.syntax, "template is not valid UTF-8", template: name ?? url.path, position: nil)
        }
        let environment = Environment(options: options, loader: FileSystemLoader(root: url.deletingLastPathComponent()))
        return try environment.template(source: source, name: name ?? url.path).render(context)
    }
}
