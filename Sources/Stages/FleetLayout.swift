import FoundationEssentials
import Glibc
import Secrets

/// The fleet tree: `<root>/talos/{templates,common,clusters}` by default, each place movable by
/// `talos-batch.yaml` (`clusters`, `template`, `schematic`), and where a cluster's outputs go (`outputFolder`).
public struct FleetLayout: Sendable, Hashable {
    /// The project root (the folder holding `talos/clusters`).
    public let root: URL
    // Built once: every cluster's stage plans ask for them, and URL building is not free.
    public let talos: URL
    public let templates: URL
    public let common: URL
    public let clusters: URL
    public let talconfigTemplate: URL
    public let schematicTemplate: URL
    /// `templates.path` and `schematicTemplate.path`.
    public let templatesPath: String
    public let schematicTemplatePath: String
    /// The talconfig template's file name inside `templates` ("talconfig.j2").
    public let talconfigTemplateName: String
    /// Where each cluster's generated files go, relative to its folder.
    public let outputFolder: OutputFolder

    /// The default layout (no `talos-batch.yaml` settings).
    public init(root: URL) {
        self.init(root: root, settings: ProjectSettings())
    }

    public init(root: URL, settings: ProjectSettings) {
        self.root = root.standardizedFileURL
        talos = self.root.appendingPathComponent("talos", isDirectory: true)
        talconfigTemplate = settings.template
            ?? talos.appendingPathComponent("templates", isDirectory: true).appendingPathComponent("talconfig.j2", isDirectory: false)
        templates = talconfigTemplate.deletingLastPathComponent()
        talconfigTemplateName = talconfigTemplate.lastPathComponent
        schematicTemplate = settings.schematic
            ?? talos.appendingPathComponent("common", isDirectory: true).appendingPathComponent("schematic.yaml.j2", isDirectory: false)
        common = schematicTemplate.deletingLastPathComponent()
        clusters = settings.clusters ?? talos.appendingPathComponent("clusters", isDirectory: true)
        templatesPath = templates.path
        schematicTemplatePath = schematicTemplate.path
        outputFolder = settings.outputFolder
    }

    public static func == (lhs: FleetLayout, rhs: FleetLayout) -> Bool {
        lhs.root == rhs.root && lhs.clusters == rhs.clusters && lhs.talconfigTemplate == rhs.talconfigTemplate
            && lhs.schematicTemplate == rhs.schematicTemplate && lhs.outputFolder == rhs.outputFolder
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(root) }

    /// What of the layout decides the stages' outputs besides the files' bytes (part of each cluster's
    /// stamp, so a changed setting ends every stamp): the templates' places and the output folder.
    public var stampConfiguration: String {
        "template \(talconfigTemplate.path)\nschematic \(schematicTemplate.path)\noutput folder \(outputFolder.path)\n"
    }

    /// The folder of cluster `id` ("101" → talos/clusters/cluster-101).
    public func clusterFolder(_ id: String) -> URL {
        clusters.appendingPathComponent(Self.clusterName(id), isDirectory: true)
    }

    // MARK: - Cluster naming (the one place that knows a cluster's folder is "cluster-<id>")

    /// A cluster folder's name starts with this; the rest is the cluster's id.
    public static let clusterFolderPrefix = "cluster-"

    /// The cluster's name, which is also its folder's name: "101" → "cluster-101".
    public static func clusterName(_ id: String) -> String { clusterFolderPrefix + id }

    /// The id in a cluster folder's name ("cluster-101" → "101"); nil for any other name.
    public static func clusterID(folderName name: String) -> String? {
        guard name.hasPrefix(clusterFolderPrefix), name.count > clusterFolderPrefix.count else { return nil }
        return String(name.dropFirst(clusterFolderPrefix.count))
    }

    /// A path as messages show it: relative to the current directory when inside it, else absolute.
    public static func displayPath(_ path: String) -> String {
        path.hasPrefix(workingDirectoryPrefix) ? String(path.dropFirst(workingDirectoryPrefix.count)) : path
    }

    private static let workingDirectoryPrefix: String = {
        let cwd = FileManager.default.currentDirectoryPath
        return cwd.hasSuffix("/") ? cwd : cwd + "/"
    }()
}
