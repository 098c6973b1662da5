import Diagnostics
import FoundationEssentials
import Glibc
import Jinja
import SystemKit

/// The variables of a `render`, gathered as jinja2-cli 1.0 gathers them: each data file (or standard
/// input) parsed in its format and deep-merged in order, then `--section`, then `-D key=value` merged on top;
/// plus jinja2-cli's two globals, `environ(name)` and `get_context()`.
struct RenderData {
    /// jinja2-cli's formats that talos-batch reads (querystring, xml, hjson and json5 are not).
    enum Format: String, CaseIterable {
        case yaml, yml, json, env, ini, toml

        static let names = "yaml, json, env, ini, toml"

        /// `--format` as given: `auto` (nil) or one of ours; jinja2-cli formats we do not read say so.
        static func parse(_ text: String) throws -> Format? {
            if text == "auto" { return nil }
            if let format = Format(rawValue: text) { return format }
            if ["querystring", "xml", "hjson", "json5"].contains(text) {
                throw CLIError("--format \(text) is a jinja2-cli format talos-batch does not read (it reads \(names))")
            }
            throw CLIError("unknown --format '\(text)' (expected auto, \(names))")
        }

        /// The format a data file's extension names, as jinja2-cli's `auto` picks it.
        static func of(path: String) throws -> Format {
            let ext = URL(fileURLWithPath: path).pathExtension
            if let format = Format(rawValue: ext) { return format }
            throw CLIError("cannot tell the format of \(path) from its extension\(ext.isEmpty ? "" : " '.\(ext)'"); pass --format (\(names))")
        }

        func read(_ text: String, file: String) throws -> Value {
            switch self {
            case .yaml, .yml: return try Value.pyyamlDocument(text, file: file)
            case .json: return try JSONReader.parse(text, file: file)
            case .env: return try DotenvReader.parse(text, file: file)
            case .ini: return try INIReader.parse(text, file: file)
            case .toml: return try TOMLReader.parse(text, file: file)
            }
        }
    }

    /// Reads the data files (`-` is standard input; no file reads standard input unless it is a terminal).
    static func load(files: [String], format formatName: String, section: String?, defines: [String],
                     readStandardInput: () -> Data = { StandardStream.standardInput.readDataToEndOfFile() }) throws -> DictStorage {
        let format = try Format.parse(formatName)
        let sources = files.isEmpty ? [""] : files
        if sources.contains(where: { $0 == "-" || $0.isEmpty }) && sources.count > 1 {
            throw CLIError("cannot mix standard input (-) with data files")
        }
        let data = DictStorage()
        for source in sources {
            let text: String
            let name: String
            let chosen: Format
            if source == "-" || source.isEmpty {
                name = "<stdin>"
                // Without a data argument jinja2-cli reads standard input only when it is not a terminal.
                if source.isEmpty && isatty(STDIN_FILENO) == 1 { continue }
                text = try decode(readStandardInput(), name)
                chosen = format ?? .yaml
            } else {
                name = source
                chosen = try format ?? Format.of(path: source)
                guard let bytes = try readInputFile(source) else { throw CLIError("cannot read data file \(source)") }
                text = try decode(bytes, source)
            }
            if text.isEmpty { continue }
            let parsed = try chosen.read(text, file: name)
            switch parsed {
            case .none: continue
            case .dict(let d): merge(d, into: data)
            default:
                // jinja2-cli takes an empty value as no data (`parsed or {}`) and fails on anything else.
                if !parsed.isTruthyEmpty {
                    throw Diagnostic.error("the data must be a mapping at the top level, not \(parsed.typeDescription)",
                                           at: SourceLocation(file: name, line: 1, column: 1))
                }
            }
        }
        var context = data
        if let section {
            guard case .dict(let chosen)? = data[string: section] else {
                throw CLIError("unknown section '\(section)' (the data's top-level keys are the sections)")
            }
            context = chosen
        }
        merge(definitions(defines), into: context)
        return context
    }

    /// The template context: the data, then jinja2-cli's globals where the data does not name them
    /// (`environ('HOME')`: an environment variable, None when unset, an error under --strict;
    /// `get_context()`: the data as one mapping).
    static func context(_ data: DictStorage, strict: Bool,
                        environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: Value] {
        var context = Value.context(from: .dict(data)) ?? [:]
        if context["environ"] == nil {
            context["environ"] = .function("environ") { arguments in
                guard case .string(let name)? = arguments.first else { return .none }
                if let value = environment[name] { return .string(value) }
                if strict { throw HostFunctionError("environment variable '\(name)' is not defined") }
                return .none
            }
        }
        if context["get_context"] == nil {
            context["get_context"] = .function("get_context") { _ in .dict(data) }
        }
        return context
    }

    /// `-D key=value` as jinja2-cli reads it: a string value (none without `=`), dots in the key nest mappings.
    static func definitions(_ defines: [String]) -> DictStorage {
        let root = DictStorage()
        for define in defines {
            let key: Substring
            let value: Value
            if let equals = define.firstIndex(of: "=") {
                key = define[..<equals]
                value = .string(String(define[define.index(after: equals)...]))
            } else {
                key = Substring(define)
                value = .none
            }
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            var current = root
            for part in parts.dropLast() {
                if case .dict(let inner)? = current[string: part] { current = inner; continue }
                let inner = DictStorage()
                current[string: part] = .dict(inner)
                current = inner
            }
            current[string: parts[parts.count - 1]] = value
        }
        return root
    }

    /// jinja2-cli's deep_merge: mappings merge key by key, anything else replaces.
    static func merge(_ source: DictStorage, into target: DictStorage) {
        for (key, value) in zip(source.keys, source.values) {
            if case .dict(let existing)? = target[key], case .dict(let incoming) = value {
                merge(incoming, into: existing)
            } else {
                target[key] = value
            }
        }
    }

    private static func decode(_ data: Data, _ name: String) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(name) is not valid UTF-8") }
        return text
    }
}

private extension Value {
    /// Python's falsiness for a parsed document: an empty list, string or false is "no data".
    var isTruthyEmpty: Bool {
        switch self {
        case .none: return true
        case .bool(let b): return !b
        case .string(let s): return s.isEmpty
        case .list(let l): return l.items.isEmpty
        case .int(let i): return i == 0
        default: return false
        }
    }

    var typeDescription: String {
        switch self {
        case .list: return "a list"
        case .string: return "a string"
        case .int, .float: return "a number"
        case .bool: return "a boolean"
        default: return "a scalar"
        }
    }
}
