import Diagnostics
import FoundationEssentials
import Glibc
import Jinja
import SystemKit
import YAML

/// Traces an error found in a cluster's rendered talconfig back to what the user wrote: the template line
/// that produced the line (talos/templates/talconfig.j2:LINE, or an included template's), and, when the text
/// at the error came from a value of talenv.yaml, that value's position. Runs only on the error path.
public enum RenderedTalconfigTrace {
    /// Notes for each error located in the rendered talconfig, keyed by the index of the error in `diagnostics`.
    /// `renderInputs` are the render stage's inputs (values and templates). Tracing problems are swallowed:
    /// a note is a help, never a new failure.
    public static func notes(for diagnostics: [Diagnostic], cluster: ClusterContext, renderInputs: StageInputs,
                             environment: StageEnvironment) -> [Int: [Diagnostic]] {
        let rendered = cluster.displayPath(of: RenderStage.talconfigOutput)
        let located = diagnostics.indices.filter { diagnostics[$0].severity == .error && diagnostics[$0].location?.file == rendered }
        guard !located.isEmpty,
              let traced = try? RenderStage.traceTalconfig(cluster: cluster, inputs: renderInputs, memos: environment.memos) else { return [:] }
        let talenvFile = cluster.displayPath(of: "talenv.yaml")
        let talenv = FileManager.default.contents(atPath: cluster.talenv.path).flatMap { try? YAML.parseDocument(Array($0), file: talenvFile) }
        var notes: [Int: [Diagnostic]] = [:]
        for index in located {
            guard let location = diagnostics[index].location,
                  let origin = traced.lines.origin(line: location.line, column: location.column) else { continue }
            var found = [Diagnostic(.note, at: SourceLocation(file: templatePath(origin.template, cluster: cluster), line: origin.line, column: 1),
                                    "\(rendered):\(location.line) was written by this template line")]
            // The value at the error, else the first value printed after it on that line, that is exactly one
            // scalar of talenv.yaml.
            let candidates = (origin.value.map { [$0] } ?? []) + traced.lines.expressionValues(line: location.line, from: location.column)
            for candidate in candidates {
                let value = candidate.trimming(.whitespacesAndNewlines)
                guard !value.isEmpty, let talenv, let source = uniqueScalar(value, in: talenv) else { continue }
                let shown = value.count > 60 ? String(value.prefix(57)) + "..." : value
                found.append(Diagnostic(.note, at: source, "the value '\(shown)' comes from here"))
                break
            }
            notes[index] = found
        }
        return notes
    }

    /// Included templates are named relative to the templates folder; show them from the project root.
    static func templatePath(_ name: String, cluster: ClusterContext) -> String {
        name.contains("/") ? name : FleetLayout.displayPath(cluster.fleet.templatesPath + "/" + name)
    }

    /// Where the one scalar of `node` whose text is `value` is; nil when none or several are.
    static func uniqueScalar(_ value: String, in node: YAMLNode) -> SourceLocation? {
        var matches: [SourceLocation] = []
        func walk(_ node: YAMLNode) {
            switch node.content {
            case .scalar(let scalar):
                if scalar.text == value, let location = node.location { matches.append(location) }
            case .sequence(let items): items.forEach(walk)
            case .mapping(let pairs): pairs.forEach { walk($0.value) }
            }
        }
        walk(node)
        return matches.count == 1 ? matches[0] : nil
    }
}
