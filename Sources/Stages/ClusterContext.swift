import FoundationEssentials
import Glibc

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

    public var name: String { FleetLayout.clusterName(id) }
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
        static let encryptedSecrets = "talsecret.sops.yaml"
        static let plaintextSecrets = "talsecret.yaml"

        var folder: URL
        var folderPath: String
        var talenv: URL
        var secrets: URL

        init(id: String, fleet: FleetLayout) {
            folder = fleet.clusterFolder(id)
            folderPath = folder.path
            talenv = folder.appendingPathComponent("talenv.yaml", isDirectory: false)
            secrets = folder.appendingPathComponent(Self.encryptedSecrets, isDirectory: false)
            // A plaintext bundle only under a name that does not promise encryption (and then with a
            // warning, see `GenconfigStage`); the encrypted name wins when both are there.
            if access(secrets.path, F_OK) != 0 {
                let plain = folder.appendingPathComponent(Self.plaintextSecrets, isDirectory: false)
                if access(plain.path, F_OK) == 0 { secrets = plain }
            }
        }
    }
}
