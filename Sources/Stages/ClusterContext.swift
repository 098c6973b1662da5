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
        clusters.appendingPathComponent("cluster-\(id)", isDirectory: true)
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

/// One cluster of the fleet as stages see it.
public struct ClusterContext: Sendable, Hashable {
    /// The id from the folder name (`cluster-101` → "101").
    public var id: String { didSet { paths = Paths(id: id, fleet: fleet) } }
    public var fleet: FleetLayout { didSet { paths = Paths(id: id, fleet: fleet) } }
    /// Built once: every stage plan and check asks for these, and URL building is not free.
    private var paths: Paths

    public init(id: String, fleet: FleetLayout) {
        self.id = id
        self.fleet = fleet
        self.paths = Paths(id: id, fleet: fleet)
    }

    public var name: String { "cluster-\(id)" }
    public var folder: URL { paths.folder }
    public var talenv: URL { paths.talenv }
    public var secrets: URL { paths.secrets }
    /// `folder.path`.
    public var folderPath: String { paths.folderPath }

    /// A file of the cluster folder as messages show it (see `FleetLayout.displayPath`).
    public func displayPath(of file: String) -> String {
        FleetLayout.displayPath(paths.folderPath + "/" + file)
    }

    private struct Paths: Sendable, Hashable {
        var folder: URL
        var folderPath: String
        var talenv: URL
        var secrets: URL

        init(id: String, fleet: FleetLayout) {
            folder = fleet.clusterFolder(id)
            folderPath = folder.path
            talenv = folder.appendingPathComponent("talenv.yaml", isDirectory: false)
            secrets = folder.appendingPathComponent("talsecret.sops.yaml", isDirectory: false)
        }
    }
}

/// What stages may use besides their inputs: things that change how to read inputs, never what they mean.
public struct StageEnvironment: Sendable {
    /// Where age identities for SOPS decryption come from (environment variables, project key files).
    public let environment: [String: String]
    public let ageKeyFiles: [URL]
    /// The clock, for time-limited outputs (client certificates).
    public var now: Date
    private let identities = AgeIdentitiesOnce()

    public init(environment: [String: String], ageKeyFiles: [URL], now: Date) {
        self.environment = environment
        self.ageKeyFiles = ageKeyFiles
        self.now = now
    }

    /// The age identities `environment` and `ageKeyFiles` name, read once per environment (a run reads
    /// the key files once, not once per cluster).
    public func ageIdentities() throws -> [AgeIdentity] {
        try identities.value { try AgeKeyLocator.identities(environment: environment, extraKeyFiles: ageKeyFiles) }
    }
}

/// A value computed on first use and kept, failure included; thread-safe.
private final class AgeIdentitiesOnce: @unchecked Sendable {
    private let lock = NSLock()
    private var result: Result<[AgeIdentity], any Error>?

    func value(_ compute: () throws -> [AgeIdentity]) throws -> [AgeIdentity] {
        try lock.withLock {
            if result == nil { result = Result { try compute() } }
            return try result!.get()
        }
    }
}
