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
        guard let context = Value.context(from: Value(yaml: values)) else {
            throw Diagnostic.error("the values of a template must be a mapping", at: values.location)
        }
        do {
            return try environment.render(source: source, name: name, context: context)
        } catch let error as TemplateError {
            throw error.diagnostic
        }
    }
}
