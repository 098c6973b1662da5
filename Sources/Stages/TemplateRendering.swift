import Diagnostics
import Hashing
import Jinja
import YAML

/// Renders the fleet's Jinja2 templates the way the `jinja2` CLI does (trailing newline kept, no
/// trim/lstrip, the `do` and `loopcontrols` extensions), but with undefined names as errors, so a typo in a template fails loudly.
enum TemplateRendering {
    /// `templates` are what `include`/`import` can load (the files of talos/templates by relative name).
    static func render(source: String, name: String, templates: [String: String], values: YAMLNode,
                       memos: StageMemos) throws -> String {
        guard let context = Value.context(from: Value(yaml: values)) else {
            throw Diagnostic.error("the values of a template must be a mapping", at: values.location)
        }
        do {
            return try template(source: source, name: name, templates: templates, memos: memos).render(context)
        } catch let error as TemplateError {
            throw error.diagnostic
        }
    }

    /// `render`'s bytes, with the template line behind each output position (for error notes only).
    static func renderTracingLines(source: String, name: String, templates: [String: String], values: YAMLNode,
                                   memos: StageMemos) throws -> (text: String, lines: RenderedLineMap) {
        guard let context = Value.context(from: Value(yaml: values)) else {
            throw Diagnostic.error("the values of a template must be a mapping", at: values.location)
        }
        do {
            return try template(source: source, name: name, templates: templates, memos: memos).renderTracingLines(context)
        } catch let error as TemplateError {
            throw error.diagnostic
        }
    }

    /// Compiled once per run (`StageMemos.compiledTemplates`), not once per cluster.
    private static func template(source: String, name: String, templates: [String: String], memos: StageMemos) throws -> Template {
        // The key's bytes (the source, then each template as 0, name, 0, text) hashed in place, not copied
        // into one array first: every cluster's render asks twice.
        var hasher = SHA256Hasher()
        update(&hasher, source)
        for (file, text) in templates.sorted(by: { $0.key < $1.key }) {
            hasher.update([0])
            update(&hasher, file)
            hasher.update([0])
            update(&hasher, text)
        }
        return try memos.compiledTemplates.value(for: name, digest: hasher.finalize()) {
            var options = RenderOptions()
            options.syntax.keepTrailingNewline = true
            options.undefined = .strict
            options.extensions = [.do, .loopControls]  // as the jinja2 CLI loads them
            return try Environment(options: options, loader: DictionaryLoader(templates)).template(source: source, name: name)
        }
    }

    private static func update(_ hasher: inout SHA256Hasher, _ text: String) {
        var text = text
        text.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
    }
}
