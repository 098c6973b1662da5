import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import YAML

/// `talos-batch.yaml` at the project root (optional): settings that must not depend on the environment.
/// The schema is strict — an unknown key or a value of the wrong type is an error at its line:col — and
/// `talos-batch.schema.json` at the repository root describes the same keys for editors (a test keeps the
/// two in step through `knownKeys`).
public struct ProjectSettings: Sendable, Hashable {
    public static let fileName = "talos-batch.yaml"

    /// Every key the file may hold, in the order the docs list them.
    public static let knownKeys = ["ageKeyFiles", "outputFolder", "clusters", "template", "schematic", "jobs", "cacheFolder"]

    /// Extra age identity files (absolute) tried after SOPS_AGE_KEY / SOPS_AGE_KEY_FILE / the user's keys.txt.
    public var ageKeyFiles: [URL] = []
    /// Where each cluster's machine configs, talosconfig and .gitignore go, relative to its folder:
    /// "" (the default, the seed's layout: next to talconfig.rendered.yaml) or e.g. "clusterconfig"
    /// (talhelper's layout). Always a plain relative path: no `..`, `.`, empty or absolute component.
    public var outputFolder: OutputFolder = OutputFolder()
    /// Where `outputFolder` is set (for errors about the folder it names); nil when it is not.
    public var outputFolderLocation: SourceLocation?
    /// The folder holding the `cluster-<id>` folders (absolute); nil: `<root>/talos/clusters`.
    public var clusters: URL?
    /// The talconfig template (absolute); nil: `<root>/talos/templates/talconfig.j2`. Every file of its
    /// folder may be included by it.
    public var template: URL?
    /// The common schematic template (absolute); nil: `<root>/talos/common/schematic.yaml.j2`.
    public var schematic: URL?
    /// Where each setting's value is written (for errors about what it names).
    public var locations: [String: SourceLocation] = [:]
    /// Default `regen -j`; nil: the number of cores. `--jobs` overrides it.
    public var jobs: Int?
    /// The cache folder (absolute); nil: `<root>/.talos-batch`. `--cache-dir` and `$TALOS_BATCH_CACHE_DIR`
    /// override it (flags, then the environment, then this file, as most tools order them).
    public var cacheFolder: URL?

    public init(ageKeyFiles: [URL] = []) {
        self.ageKeyFiles = ageKeyFiles
    }

    public static func load(root: URL) throws -> ProjectSettings {
        let url = root.appendingPathComponent(fileName, isDirectory: false)
        let file = FleetLayout.displayPath(url.path)
        // Absent is fine; anything else that is not a readable regular file (a folder, a FIFO) is an error
        // naming it, never silently ignored.
        let data: [UInt8]
        do {
            guard let bytes = try RegularFile.readIfPresent(url.path) else { return ProjectSettings() }
            data = bytes
        } catch let error as RegularFileError {
            throw Diagnostic.error("cannot read \(file): \(error.reason)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        return try parse(try YAML.parseDocument(data, file: file), root: root, file: file)
    }

    /// The settings a parsed `talos-batch.yaml` holds; relative paths are taken from `root`.
    public static func parse(_ document: YAMLNode, root: URL, file: String) throws -> ProjectSettings {
        var settings = ProjectSettings()
        let start = SourceLocation(file: file, line: 1, column: 1)
        if document.scalar?.kind == .null { return settings }  // an empty file (or only comments)
        guard let pairs = document.mappingPairs else {
            throw Diagnostic.error("\(fileName): expected a mapping of settings (\(knownKeys.joined(separator: ", ")))",
                                   at: document.location ?? start)
        }
        for pair in pairs {
            let location = pair.key.location ?? start
            guard let key = pair.key.scalar?.text, pair.key.scalar?.kind == .string, knownKeys.contains(key) else {
                let written = pair.key.scalar?.text ?? "a non-scalar key"
                throw Diagnostic.error("unknown setting `\(written)`; known settings: \(knownKeys.joined(separator: ", "))",
                                       at: location)
            }
            let value = pair.value
            settings.locations[key] = value.location ?? location
            switch key {
            case "ageKeyFiles":
                guard let items = value.sequenceItems else {
                    throw Diagnostic.error("`ageKeyFiles`: expected a list of paths", at: value.location ?? location)
                }
                settings.ageKeyFiles = try items.map { try path($0, key: key, root: root, fallback: location) }
            case "outputFolder":
                settings.outputFolder = try OutputFolder(setting: try string(value, key: key, fallback: location),
                                                         at: value.location ?? location)
                settings.outputFolderLocation = value.location ?? location
            case "clusters":
                settings.clusters = try path(value, key: key, root: root, fallback: location)
            case "template":
                settings.template = try path(value, key: key, root: root, fallback: location)
            case "schematic":
                settings.schematic = try path(value, key: key, root: root, fallback: location)
            case "jobs":
                guard let scalar = value.scalar, scalar.kind == .int, let jobs = Int(scalar.text), jobs >= 1 else {
                    throw Diagnostic.error("`jobs`: expected a whole number of at least 1", at: value.location ?? location)
                }
                settings.jobs = jobs
            default:  // "cacheFolder"
                settings.cacheFolder = try path(value, key: key, root: root, fallback: location)
            }
        }
        return settings
    }

    private static func string(_ node: YAMLNode, key: String, fallback: SourceLocation) throws -> String {
        guard let scalar = node.scalar, scalar.kind == .string else {
            throw Diagnostic.error("`\(key)`: expected a string", at: node.location ?? fallback)
        }
        return scalar.text
    }

    /// A path setting, absolute or relative to the project root.
    private static func path(_ node: YAMLNode, key: String, root: URL, fallback: SourceLocation) throws -> URL {
        guard let scalar = node.scalar, scalar.kind == .string, !scalar.text.isEmpty else {
            throw Diagnostic.error("`\(key)`: expected a path string", at: node.location ?? fallback)
        }
        return scalar.text.hasPrefix("/") ? URL(fileURLWithPath: scalar.text).standardizedFileURL
            : root.appendingPathComponent(scalar.text, isDirectory: false).standardizedFileURL
    }
}
