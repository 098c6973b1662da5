import Foundation
import Secrets

/// The fleet tree: `<root>/talos/{templates,common,clusters}`.
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

    public init(root: URL) {
        self.root = root.standardizedFileURL
        talos = self.root.appendingPathComponent("talos", isDirectory: true)
        templates = talos.appendingPathComponent("templates", isDirectory: true)
        common = talos.appendingPathComponent("common", isDirectory: true)
        clusters = talos.appendingPathComponent("clusters", isDirectory: true)
        talconfigTemplate = templates.appendingPathComponent("talconfig.j2", isDirectory: false)
        schematicTemplate = common.appendingPathComponent("schematic.yaml.j2", isDirectory: false)
        templatesPath = templates.path
        schematicTemplatePath = schematicTemplate.path
    }

    public static func == (lhs: FleetLayout, rhs: FleetLayout) -> Bool { lhs.root == rhs.root }
    public func hash(into hasher: inout Hasher) { hasher.combine(root) }

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
