import Diagnostics
import Jinja
import YAML

/// Renders the fleet's Jinja2 templates the way the `jinja2` CLI does (trailing newline kept, no
/// trim/lstrip), but with undefined names as errors, so a typo in a template fails loudly.
enum TemplateRendering {
    /// `templates` are what `include`/`import` can load (the files of talos/templates by relative name).
    static func render(source: String, name: String, templates: [String: String], values: YAMLNode) throws -> String {
        var options = RenderOptions()
        options.syntax.keepTrailingNewline = true
        options.undefined = .strict
        let environment = Environment(options: options, loader: DictionaryLoader(templates))
        guard case .mapping(let pairs) = values.content else {
            throw Diagnostic.error("the values of a template must be a mapping", at: values.location)
        }
        var context: [String: Value] = [:]
        for pair in pairs {
            context[pair.key.scalar?.text ?? ""] = value(pair.value)
        }
        do {
            return try environment.render(source: source, name: name, context: context)
        } catch let error as TemplateError {
            throw error.diagnostic
        }
    }

    /// A YAML node as the template sees it (as Python's yaml.safe_load would hand it to Jinja2).
    static func value(_ node: YAMLNode) -> Value {
        switch node.content {
        case .mapping(let pairs):
            return .dict(pairs.map { (value($0.key), value($0.value)) })
        case .sequence(let items):
            return .list(items.map(value))
        case .scalar(let scalar):
            switch scalar.kind {
            case .string: return .string(scalar.text)
            case .null: return .none
            case .bool: return .bool(scalar.text.lowercased() == "true")
            case .int: return CanonicalJSON.parseInt(scalar.text).map(Value.int) ?? .string(scalar.text)
            case .float: return Double(scalar.text).map(Value.float) ?? .string(scalar.text)
            }
        }
    }
}
