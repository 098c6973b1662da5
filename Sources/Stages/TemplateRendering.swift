import Diagnostics
import Hashing
import Jinja
import YAML

/// Renders the fleet's Jinja2 templates the way the `jinja2` CLI does (trailing newline kept, no
/// trim/lstrip, the `do` and `loopcontrols` extensions), but with undefined names as errors, so a typo in a template fails loudly.
enum TemplateRendering {
    /// The render stage's input names of the templates `include`/`import` can load (the files of
    /// talos/templates, by relative name after this prefix).
    static let templatesPrefix = "templates/"

    /// The values a template sees, from validate's output: read straight from the canonical JSON when it is
    /// in the form validate writes, else as YAML (`Value(yaml:)`, PyYAML's reading: the same values).
    static func context(values bytes: [UInt8], file: String) throws -> [String: Value] {
        if let values = CanonicalJSONValues.read(bytes), let context = Value.context(from: values) { return context }
        let node = try YAML.parseDocument(bytes, file: file)
        guard let context = Value.context(from: Value(yaml: node)) else {
            throw Diagnostic.error("the values of a template must be a mapping", at: node.location)
        }
        return context
    }

    /// The template read from input `sourceInput` of `inputs`, compiled once per run
    /// (`StageMemos.compiledTemplates`), not once per cluster: keyed by its name, the digest of its source
    /// and `templatesDigest` (every template it can load, see `digest(ofTemplatesIn:)`).
    static func template(name: String, sourceInput: String, inputs: StageInputs, templatesDigest: Digest,
                         memos: StageMemos) throws -> Template {
        var hasher = SHA256Hasher()
        try inputs.digest(sourceInput).withUnsafeBytes { hasher.update($0) }
        templatesDigest.withUnsafeBytes { hasher.update($0) }
        return try memos.compiledTemplates.value(for: name, digest: hasher.finalize()) {
            // Decoded only on a miss: once per run.
            var templates: [String: String] = [:]
            for (input, bytes) in inputs.contents where input.hasPrefix(templatesPrefix) {
                templates[String(input.dropFirst(templatesPrefix.count))] = String(decoding: bytes, as: UTF8.self)
            }
            var options = RenderOptions()
            options.syntax.keepTrailingNewline = true
            options.undefined = .strict
            options.extensions = [.do, .loopControls]  // as the jinja2 CLI loads them
            let source = String(decoding: try inputs.bytes(sourceInput), as: UTF8.self)
            return try Environment(options: options, loader: DictionaryLoader(templates)).template(source: source, name: name)
        }
    }

    /// The templates' names and contents as one digest, from the digests the runner already took of each
    /// input file (so a cluster's render hashes no template text): each as 0, name, 0, digest, sorted by name.
    static func digest(ofTemplatesIn inputs: StageInputs) throws -> Digest {
        var hasher = SHA256Hasher()
        for name in inputs.contents.keys.filter({ $0.hasPrefix(templatesPrefix) }).sorted() {
            hasher.update([0])
            var name = name
            name.withUTF8 { hasher.update(UnsafeRawBufferPointer($0)) }
            hasher.update([0])
            try inputs.digest(name).withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalize()
    }

    /// Renders `template` with `context`; a template error becomes a positioned diagnostic.
    static func render(_ template: Template, context: [String: Value]) throws -> String {
        do {
            return try template.render(context)
        } catch let error as TemplateError {
            throw error.diagnostic
        }
    }

    /// `render`'s bytes, with the template line behind each output position (for error notes only).
    static func renderTracingLines(_ template: Template, context: [String: Value]) throws -> (text: String, lines: RenderedLineMap) {
        do {
            return try template.renderTracingLines(context)
        } catch let error as TemplateError {
            throw error.diagnostic
        }
    }
}
