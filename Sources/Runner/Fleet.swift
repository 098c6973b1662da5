import Diagnostics
import FoundationEssentials
import Glibc
import Stages
import SystemKit

/// The fleet on disk: where its root is, which clusters it has, and the project settings.
public struct Fleet: Sendable {
    public var layout: FleetLayout
    /// Cluster ids, sorted numerically where they are numbers ("9" before "10").
    public var clusterIDs: [String]
    public var settings: ProjectSettings
    /// `layout.clusters` as a path, built once.
    private let clustersPath: String

    public init(root: URL) throws {
        let settings = try ProjectSettings.load(root: root.standardizedFileURL)
        let layout = FleetLayout(root: root, settings: settings)
        self.layout = layout
        self.settings = settings
        clustersPath = layout.clusters.path
        try Fleet.checkNamedPaths(settings)
        clusterIDs = Fleet.sortedIDs(Fleet.clusterFolderNames(in: clustersPath).compactMap(FleetLayout.clusterID(folderName:)))
    }

    /// A folder or template `talos-batch.yaml` names must be there: a misspelt `clusters` would otherwise
    /// be a fleet of no clusters that regenerates nothing and succeeds.
    static func checkNamedPaths(_ settings: ProjectSettings) throws {
        let named: [(key: String, url: URL?, folder: Bool, what: String)] = [
            ("clusters", settings.clusters, true, "the folder holding the cluster-<id> folders"),
            ("template", settings.template, false, "the talconfig template"),
            ("schematic", settings.schematic, false, "the common schematic template"),
        ]
        for (key, url, folder, what) in named {
            guard let url else { continue }
            var info = stat()
            let found = stat(url.path, &info) == 0
            let kind = info.st_mode & S_IFMT
            guard !found || (folder ? kind == S_IFDIR : kind == S_IFREG) else {
                throw Diagnostic.error("`\(key)`: \(FleetLayout.displayPath(url.path)) is not a \(folder ? "folder" : "regular file") (expected \(what))",
                                       at: settings.locations[key])
            }
            if !found {
                throw Diagnostic.error("`\(key)`: \(FleetLayout.displayPath(url.path)) does not exist (expected \(what))",
                                       at: settings.locations[key])
            }
        }
    }

    /// Refuses an output folder that is a symbolic link (or runs through one) in any of `ids`' folders:
    /// outputs would land wherever it points. The error is at the setting, naming the link.
    public func checkOutputFolder(of ids: [String]) throws {
        let folder = layout.outputFolder
        guard !folder.path.isEmpty else { return }
        for id in ids {
            var path = folderPath(id)
            for component in folder.path.split(separator: "/") {
                path += "/" + component
                var info = stat()
                guard lstat(path, &info) == 0 else { break }
                if info.st_mode & S_IFMT == S_IFLNK {
                    throw Diagnostic.error("`outputFolder`: \(FleetLayout.displayPath(path)) is a symbolic link; outputs are never "
                                           + "written through one (make it a plain folder, or remove it)",
                                           at: settings.outputFolderLocation)
                }
            }
        }
    }

    /// The `cluster-*` folders (or symlinks to folders) in `clusters`. The directory entry's type answers
    /// for plain folders; only symlinks and file systems that give no type cost a `stat`.
    static func clusterFolderNames(in clusters: String) -> [String] {
        guard let directory = opendir(clusters) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            guard FleetLayout.clusterID(folderName: name) != nil else { continue }
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR):
                names.append(name)
            case Int32(DT_LNK), Int32(DT_UNKNOWN):
                var info = stat()
                if stat(clusters + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { names.append(name) }
            default:
                continue
            }
        }
        return names
    }

    /// The nearest folder at or above `start` that holds `talos/clusters` or a `talos-batch.yaml` (which
    /// may place the clusters elsewhere).
    public static func locateRoot(from start: URL) -> URL? {
        var folder = start.standardizedFileURL
        // Only an absolute path reaches "/" by walking up; a relative one (a deleted working folder makes
        // Foundation's current path "") would never end.
        while folder.path.hasPrefix("/") {
            var isDirectory = false
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("talos/clusters", isDirectory: false).path, isDirectory: &isDirectory),
               isDirectory {
                return folder
            }
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(ProjectSettings.fileName, isDirectory: false).path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
        return nil
    }

    public func context(_ id: String) -> ClusterContext {
        ClusterContext(id: id, fleet: layout)
    }

    /// The folder of cluster `id` as a path, equal to `context(id).folder.path` without building URLs
    /// (which cost more than the stats a no-op makes per cluster).
    public func folderPath(_ id: String) -> String {
        clustersPath + "/" + FleetLayout.clusterName(id)
    }

    /// "101" or "cluster-101" or a path to the cluster folder → "101", if such a cluster exists.
    public func resolve(_ argument: String) -> String? {
        var id = argument
        if id.hasSuffix("/") { id.removeLast() }
        id = id.pathLastComponent
        if let named = FleetLayout.clusterID(folderName: id) { id = named }
        return clusterIDs.contains(id) ? id : nil
    }

    /// Cluster ids in fleet order: numeric ids by value first, then the others by text. Each id is
    /// parsed once, not once per comparison.
    static func sortedIDs(_ ids: [String]) -> [String] {
        ids.map { (number: Int($0), id: $0) }
            .sorted { lhs, rhs in
                switch (lhs.number, rhs.number) {
                case let (l?, r?): return l < r
                case (_?, nil): return true
                case (nil, _?): return false
                default: return lhs.id < rhs.id
                }
            }
            .map(\.id)
    }
}
