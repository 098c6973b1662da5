import Diagnostics
import Jinja
import YAML

/// Renders the fleet's Jinja2 templates the way the `jinja2` CLI does (trailing newline kept, no
/// trim/lstrip), but with undefined names as errors, so a typo in a template fails loudly.
enum TemplateRendering {
    /// `templates` are what `include`/`import` can load (the files of talos/templates by relative name).
    static func render(source: String, name: String, templates: [String: String], values: YAMLNode) throws -> String {
        guard let context = Value.context(from: Value(yaml: values)) else {
            throw Diagnostic.error("the values of a template must be a mapping", at: values.location)
        }
        do {
            return try template(source: source, name: name, templates: templates).render(context)
        } catch let error as TemplateError {
            throw error.diagnostic
        }
    }

    /// Every cluster of a fleet renders the same templates: each is compiled once per process, not once
    /// per cluster (a compiled template and its environment are immutable and shared across threads),
    /// keyed by its name, its source and every template it can load.
    private static let compiled = RecentResults<Template>(capacity: 16)

    private static func template(source: String, name: String, templates: [String: String]) throws -> Template {
        var key = Array(source.utf8)
        for (file, text) in templates.sorted(by: { $0.key < $1.key }) {
            key += [0] + Array(file.utf8) + [0] + Array(text.utf8)
        }
        return try compiled.value(for: name, key) {
            var options = RenderOptions()
            options.syntax.keepTrailingNewline = true
            options.undefined = .strict
            return try Environment(options: options, loader: DictionaryLoader(templates)).template(source: source, name: name)
        }
    }
}
