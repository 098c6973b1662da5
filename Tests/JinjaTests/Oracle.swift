// The differential-testing harness: renders cases with Python Jinja2 (one process per batch)
// and with the Swift engine, and reports where they disagree.
import Foundation
import Jinja
import TestSupport

/// One template + data + settings, rendered by both engines.
struct RenderCase: Sendable {
    var template: String
    /// The context as JSON text (kept as text so 1 and 1.0 stay distinct on both sides).
    var data: String = "{}"
    var trimBlocks = false
    var lstripBlocks = false
    var keepTrailingNewline = false
    var lenient = false
    /// block start/end, variable start/end, comment start/end.
    var delimiters: [String]?
    var files: [String: String] = [:]
    /// Values as YAML text, loaded by PyYAML's safe_load and by `Value.pyyamlDocument` (replaces `data`).
    var yaml: String?

    var description: String {
        var parts = ["template: \(jsonString(template))", yaml.map { "yaml: \(jsonString($0))" } ?? "data: \(data)"]
        if trimBlocks { parts.append("trim_blocks") }
        if lstripBlocks { parts.append("lstrip_blocks") }
        if keepTrailingNewline { parts.append("keep_trailing_newline") }
        if lenient { parts.append("lenient") }
        if let delimiters { parts.append("delimiters: \(delimiters)") }
        if !files.isEmpty { parts.append("files: \(files)") }
        return parts.joined(separator: "\n  ")
    }

    var requestJSON: String {
        var options: [String] = []
        if trimBlocks { options.append("\"trim_blocks\": true") }
        if lstripBlocks { options.append("\"lstrip_blocks\": true") }
        if keepTrailingNewline { options.append("\"keep_trailing_newline\": true") }
        if lenient { options.append("\"undefined\": \"lenient\"") }
        if let delimiters { options.append("\"delimiters\": [" + delimiters.map(jsonString).joined(separator: ", ") + "]") }
        let filesJSON = "{" + files.sorted { $0.key < $1.key }.map { jsonString($0.key) + ": " + jsonString($0.value) }.joined(separator: ", ") + "}"
        let yamlJSON = yaml.map { ", \"yaml\": " + jsonString($0) } ?? ""
        return "{\"template\": \(jsonString(template)), \"data\": \(data), \"options\": {\(options.joined(separator: ", "))}, \"files\": \(filesJSON)\(yamlJSON)}"
    }

    var options: RenderOptions {
        var o = RenderOptions()
        o.syntax.trimBlocks = trimBlocks
        o.syntax.lstripBlocks = lstripBlocks
        o.syntax.keepTrailingNewline = keepTrailingNewline
        if let d = delimiters, d.count == 6 {
            o.syntax.blockStart = d[0]; o.syntax.blockEnd = d[1]
            o.syntax.variableStart = d[2]; o.syntax.variableEnd = d[3]
            o.syntax.commentStart = d[4]; o.syntax.commentEnd = d[5]
        }
        o.undefined = lenient ? .lenient : .strict
        return o
    }
}

/// What one engine made of a case.
enum RenderOutcome: Equatable, CustomStringConvertible {
    case output(String)
    case error(String)

    var isError: Bool { if case .error = self { return true }; return false }

    /// Same bytes, or both failed (messages may differ).
    func agrees(with other: RenderOutcome) -> Bool {
        switch (self, other) {
        case (.output(let a), .output(let b)): return a == b
        case (.error, .error): return true
        default: return false
        }
    }

    var description: String {
        switch self {
        case .output(let s): return "output \(jsonString(s))"
        case .error(let e): return "error \(e)"
        }
    }
}

enum Oracle {
    static var script: URL { TestPaths.packageRoot.appendingPathComponent("Tests/Oracles/jinja_oracle.py") }

    /// Renders every case with Python Jinja2 in a single process.
    static func python(_ cases: [RenderCase]) throws -> [RenderOutcome] {
        let request = "{\"cases\": [" + cases.map(\.requestJSON).joined(separator: ",\n") + "]}"
        let result = try runProcess(TestPaths.venvTool("python"), [script.path], stdin: Data(request.utf8))
        guard result.status == 0 else {
            throw OracleError(message: "python oracle failed (\(result.status)): \(result.stderrString)")
        }
        guard let array = try JSONSerialization.jsonObject(with: result.stdout) as? [[String: Any]] else {
            throw OracleError(message: "python oracle returned unexpected JSON")
        }
        return array.map { item in
            if item["ok"] as? Bool == true { return .output(item["output"] as? String ?? "") }
            return .error(item["error"] as? String ?? "?")
        }
    }

    /// Renders one case with the Swift engine.
    static func swift(_ c: RenderCase) -> RenderOutcome {
        do {
            let env = Environment(options: c.options, loader: DictionaryLoader(c.files))
            let data = try c.yaml.map { try Value.pyyamlDocument($0, file: "values.yaml") } ?? JSONReader.parse(c.data)
            var context: [String: Value] = [:]
            if case .dict(let d) = data {
                for (k, v) in zip(d.keys, d.values) { if case .string(let key) = k { context[key] = v } }
            }
            return .output(try env.template(source: c.template).render(context))
        } catch {
            return .error("\(error)")
        }
    }

    /// Cases where the engines disagree, described for a test failure message.
    static func disagreements(_ cases: [RenderCase]) throws -> [String] {
        let expected = try python(cases)
        var failures: [String] = []
        for (c, want) in zip(cases, expected) {
            let got = swift(c)
            if !got.agrees(with: want) {
                failures.append("case:\n  \(c.description)\n  python: \(want)\n  swift:  \(got)")
            }
        }
        return failures
    }
}

struct OracleError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
