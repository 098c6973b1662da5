import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import Hashing
import Jinja
import Talos
import YAML

/// Values → `schematic.yaml` (from talos/common/schematic.yaml.j2) and `talconfig.rendered.yaml`
/// (from talos/templates/talconfig.j2, with `schematicID` added to the values), each checked to parse.
public struct RenderStage: Stage {
    public static let talconfigOutput = "talconfig.rendered.yaml"
    public static let schematicOutput = "schematic.yaml"
    static let valuesInput = "values"
    static let schematicTemplateInput = "common/schematic.yaml.j2"
    /// The talconfig template's default name; another one (`template` in talos-batch.yaml) is a parameter
    /// of the key, since the same folder of templates then renders differently.
    static let defaultTemplateName = "talconfig.j2"

    public init() {}

    public var name: String { "render" }
    public var version: String { "1" }
    public var upstream: [String] { ["validate"] }

    /// Every file under talos/templates is an input (templates may include or import each other).
    public func plan(for cluster: ClusterContext) -> StagePlan {
        var inputs = [StageInput(name: Self.valuesInput, source: .upstream(stage: "validate", output: ValidateStage.output))]
        for name in Self.templateFiles(in: cluster.fleet.templates) {
            inputs.append(StageInput(name: "templates/\(name)", source: .file(path: cluster.fleet.templatesPath + "/" + name)))
        }
        inputs.append(StageInput(name: Self.schematicTemplateInput, source: .file(path: cluster.fleet.schematicTemplatePath)))
        let name = cluster.fleet.talconfigTemplateName
        return StagePlan(inputs: inputs, parameters: name == Self.defaultTemplateName ? [] : [StageParameter(name: "template", value: name)])
    }

    public func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
        let rendered = try Self.render(cluster: cluster, inputs: inputs, memos: environment.memos)
        return StageResult(outputs: [
            GeneratedOutput(path: Self.schematicOutput, contents: Array(rendered.schematic.utf8)),
            GeneratedOutput(path: Self.talconfigOutput, contents: Array(rendered.talconfig.utf8)),
        ])
    }

    /// The rendered schematic, its Image Factory ID and the rendered talconfig.
    static func render(cluster: ClusterContext, inputs: StageInputs, memos: StageMemos) throws
        -> (schematic: String, schematicID: String, talconfig: String) {
        let prepared = try Prepared(cluster: cluster, inputs: inputs, memos: memos)
        let fleet = cluster.fleet
        // Each render gets values of its own, as if loaded afresh: a template may change a list or dict
        // (`do`), which the other template must not see. A deep copy costs less than reading them twice;
        // the talconfig render, the last, takes the values read. The traces (error path only) read afresh.
        let schematicContext = prepared.context.mapValues { $0.deepCopy() }
        let schematic = try TemplateRendering.render(prepared.schematicTemplate, context: schematicContext)
        let schematicFile = cluster.displayPath(of: schematicOutput)
        let schematicNode = try parseRendered(schematic, file: schematicFile, template: fleet.schematicTemplate,
                                              templatesFolder: fleet.templatesPath, memos: memos) {
            try TemplateRendering.renderTracingLines(prepared.schematicTemplate,
                                                     context: try Prepared(cluster: cluster, inputs: inputs, memos: memos).context).lines
        }
        let schematicID = try SchematicID.compute(schematicNode)

        let context = prepared.talconfigContext(schematicID: schematicID)
        let talconfig = try TemplateRendering.render(try prepared.talconfigTemplate(), context: context)
        let talconfigFile = cluster.displayPath(of: talconfigOutput)
        _ = try parseRendered(talconfig, file: talconfigFile, template: fleet.talconfigTemplate,
                              templatesFolder: fleet.templatesPath, memos: memos) {
            let fresh = try Prepared(cluster: cluster, inputs: inputs, memos: memos)
            return try TemplateRendering.renderTracingLines(try fresh.talconfigTemplate(), context: fresh.talconfigContext(schematicID: schematicID)).lines
        }
        return (schematic, schematicID, talconfig)
    }

    /// The rendered talconfig again (the same bytes), with the template line behind each output position:
    /// only when an error found in it is reported, so the ordinary render records nothing.
    static func traceTalconfig(cluster: ClusterContext, inputs: StageInputs, memos: StageMemos) throws
        -> (text: String, lines: RenderedLineMap) {
        let schematicID = try render(cluster: cluster, inputs: inputs, memos: memos).schematicID
        let prepared = try Prepared(cluster: cluster, inputs: inputs, memos: memos)
        return try TemplateRendering.renderTracingLines(try prepared.talconfigTemplate(), context: prepared.talconfigContext(schematicID: schematicID))
    }

    /// What both renders of a cluster start from: the values, read once, and the compiled templates.
    private struct Prepared {
        let cluster: ClusterContext
        let inputs: StageInputs
        let memos: StageMemos
        /// The values as a template sees them.
        let context: [String: Value]
        let templatesDigest: Digest
        let schematicTemplate: Template

        init(cluster: ClusterContext, inputs: StageInputs, memos: StageMemos) throws {
            self.cluster = cluster
            self.inputs = inputs
            self.memos = memos
            context = try TemplateRendering.context(values: try inputs.bytes(valuesInput), file: cluster.displayPath(of: ValidateStage.output))
            templatesDigest = try TemplateRendering.digest(ofTemplatesIn: inputs)
            schematicTemplate = try TemplateRendering.template(
                name: FleetLayout.displayPath(cluster.fleet.schematicTemplatePath), sourceInput: schematicTemplateInput,
                inputs: inputs, templatesDigest: templatesDigest, memos: memos)
        }

        func talconfigTemplate() throws -> Template {
            let fleet = cluster.fleet
            let input = TemplateRendering.templatesPrefix + fleet.talconfigTemplateName
            guard inputs.contents[input] != nil else {
                throw Diagnostic.error("missing template \(FleetLayout.displayPath(fleet.talconfigTemplate.path))")
            }
            return try TemplateRendering.template(name: FleetLayout.displayPath(fleet.talconfigTemplate.path), sourceInput: input,
                                                  inputs: inputs, templatesDigest: templatesDigest, memos: memos)
        }

        /// The values with `schematicID` added (replacing one of talenv.yaml), typed as the YAML reading of
        /// a plain scalar would type it, as when the ID was a pair appended to the values tree.
        func talconfigContext(schematicID: String) -> [String: Value] {
            var context = context
            context["schematicID"] = Value(yaml: .string(schematicID))
            return context
        }
    }

    /// A rendered file must be YAML; a parse error names the rendered file's position and the template line
    /// that wrote it (`trace` renders again with a line map, on this error path only).
    static func parseRendered(_ text: String, file: String, template: URL, templatesFolder: String, memos: StageMemos,
                              trace: () throws -> RenderedLineMap) throws -> YAMLNode {
        do {
            let bytes = Array(text.utf8)
            return try memos.parsedRenders.value(for: file, bytes) { try YAML.parseDocument(bytes, file: file) }
        } catch let diagnostic as Diagnostic {
            var note = Diagnostic(.note, at: SourceLocation(file: FleetLayout.displayPath(template.path), line: 1, column: 1),
                                  "the rendered output of this template does not parse as YAML")
            if let location = diagnostic.location, let origin = try? trace().origin(line: location.line, column: location.column) {
                let name = origin.template.contains("/") ? origin.template
                    : FleetLayout.displayPath(templatesFolder + "/" + origin.template)
                note = Diagnostic(.note, at: SourceLocation(file: name, line: origin.line, column: 1),
                                  "\(file):\(location.line), which does not parse as YAML, was written by this template line")
            }
            throw DiagnosticList([diagnostic, note])
        }
    }

    /// Files under the templates folder, relative, sorted (hidden files skipped). Listed once per
    /// process and folder state (every cluster's plan asks): process-wide rather than per run because a
    /// plan has no environment, and safe because the key is the folder's path and mtime.
    static func templateFiles(in folder: URL) -> [String] {
        var info = stat()
        let path = folder.path
        let stamp = stat(path, &info) == 0 ? "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)" : "missing"
        let key = path + "\u{0}" + stamp
        if let cached = templateListings.withLock({ $0[key] }) { return cached }
        let names = listTemplateFiles(in: folder)
        templateListings.withLock { $0[key] = names }
        return names
    }

    private static let templateListings = Locked<[String: [String]]>([:])

    /// The regular files under `folder`, relative paths, hidden names (and what is under them) skipped and
    /// symbolic links neither listed nor followed, as FileManager's enumerator with `.skipsHiddenFiles` did.
    private static func listTemplateFiles(in folder: URL) -> [String] {
        var names: [String] = []
        func walk(_ path: String, _ prefix: String) {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where !name.hasPrefix(".") {
                var status = stat()
                guard lstat(path + "/" + name, &status) == 0 else { continue }
                switch status.st_mode & S_IFMT {
                case S_IFREG: names.append(prefix + name)
                case S_IFDIR: walk(path + "/" + name, prefix + name + "/")
                default: continue
                }
            }
        }
        walk(folder.standardizedFileURL.path, "")
        return names.sorted()
    }
}
