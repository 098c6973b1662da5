import Diagnostics
import FoundationEssentials
import Glibc
import Stages
import Talos
import YAML

/// A cluster's rendered talconfig as regen last wrote it: what the node configs on disk were generated from,
/// so commands about those configs (gencommand, mark-applied) read it rather than render anew.
enum RenderedTalconfig {
    static func load(_ cluster: ClusterContext) throws -> TalhelperConfig {
        let file = cluster.displayPath(of: RenderStage.talconfigOutput)
        guard let data = try readInputFile(cluster.folderPath + "/" + RenderStage.talconfigOutput) else {
            throw Diagnostic.error("\(file) does not exist; run `talos-batch regen \(cluster.id)` first")
        }
        let bytes = Array(data)
        let node = try YAML.parseDocument(bytes, file: file)
        var (config, _) = try TalhelperConfig.parse(node, file: file, strict: true)
        config.baseDirectory = cluster.folder
        config.attachSource(String(decoding: bytes, as: UTF8.self))
        return config
    }

    /// The folder the node configs and talosconfig are in, as lines and messages show it.
    static func outputFolder(_ cluster: ClusterContext) -> String {
        let folder = cluster.fleet.outputFolder.path
        return folder.isEmpty ? FleetLayout.displayPath(cluster.folderPath) : cluster.displayPath(of: folder)
    }
}
