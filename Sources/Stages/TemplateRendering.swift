import Foundation
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
            return try compiled.template(source: source, name: name, templates: templates).render(context)
        } catch let error as TemplateError {
            throw error.diagnostic
        }
    }

    /// Every cluster of a fleet renders the same templates: each is compiled once per process, not once
    /// per cluster (a compiled template and its environment are immutable and shared across threads).
    private static let compiled = CompiledTemplates()
}

/// Compiled templates by their exact source, name and loadable templates; a few at most are live.
private final class CompiledTemplates: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: Template] = [:]

    func template(source: String, name: String, templates: [String: String]) throws -> Template {
        var key = name + "\u{0}" + source
        for (file, text) in templates.sorted(by: { $0.key < $1.key }) { key += "\u{0}" + file + "\u{0}" + text }
        if let known = lock.withLock({ entries[key] }) { return known }
        var options = RenderOptions()
        options.syntax.keepTrailingNewline = true
        options.undefined = .strict
        let environment = Environment(options: options, loader: DictionaryLoader(templates))
        let template = try environment.template(source: source, name: name)
        lock.withLock {
            // Templates change rarely within a run (never, for regen); a bound keeps an edit loop small.
            if entries.count >= 16 { entries.removeAll() }
            entries[key] = template
        }
        return template
    }
}
