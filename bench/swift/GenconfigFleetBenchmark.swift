import Foundation
import Secrets
import Talos
import YAML

/// `genconfig-fleet FLEET AGE_KEY_FILE [CLUSTERS] [RUNS]`: the genconfig stage's own CPU per cluster, in
/// process, on a fleet regenerated once (every cluster folder holding a `talconfig.rendered.yaml` and a
/// `talsecret.sops.yaml`). Untimed: reading the files and decrypting the bundles. Timed, per cluster, as the
/// stage does it: parsing the rendered talconfig into talhelper's model and generating every node's config
/// and the `.gitignore`. Each run goes over the first CLUSTERS clusters (default all) once; prints the CPU
/// time (user + system) per cluster of each run, the median, and a checksum of the output bytes.
@Sendable func genconfigFleetBenchmark(_ arguments: [String]) -> Int32 {
    guard arguments.count >= 2 else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench genconfig-fleet FLEET AGE_KEY_FILE [CLUSTERS] [RUNS]\n".utf8))
        return 2
    }
    let limit = arguments.count > 2 ? max(1, Int(arguments[2]) ?? .max) : .max
    let runs = arguments.count > 3 ? max(1, Int(arguments[3]) ?? 3) : 3
    var clusters: [(folder: URL, talconfig: [UInt8], secrets: SecretsBundle)] = []
    do {
        let keyText = try String(contentsOfFile: arguments[1], encoding: .utf8)
        let identities = try AgeKeyLocator.parseKeys(keyText, source: arguments[1], multiplePerLine: false)
        var folders: [URL] = []
        let enumerator = FileManager.default.enumerator(at: URL(fileURLWithPath: arguments[0]), includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if url.lastPathComponent == "talconfig.rendered.yaml" { folders.append(url.deletingLastPathComponent()) }
        }
        folders.sort { $0.path < $1.path }
        for folder in folders.prefix(limit) {
            guard let talconfig = FileManager.default.contents(atPath: folder.appendingPathComponent("talconfig.rendered.yaml").path),
                  let bundle = FileManager.default.contents(atPath: folder.appendingPathComponent("talsecret.sops.yaml").path) else { continue }
            let path = folder.appendingPathComponent("talsecret.sops.yaml").path
            let secrets = SOPSFile.isEncrypted([UInt8](bundle))
                ? try SecretsBundle.decrypting([UInt8](bundle), file: path, identities: identities)
                : try SecretsBundle.parse(try YAML.parseDocument([UInt8](bundle), file: path), file: path)
            clusters.append((folder, [UInt8](talconfig), secrets))
        }
    } catch {
        FileHandle.standardError.write(Data("genconfig-fleet: \(error)\n".utf8))
        return 1
    }
    guard !clusters.isEmpty else {
        FileHandle.standardError.write(Data("genconfig-fleet: no cluster folder with a talconfig.rendered.yaml under \(arguments[0])\n".utf8))
        return 2
    }

    do {
        try reportCPUPerCluster(runs: runs, clusters: clusters.count) {
            var checksum = 0
            for cluster in clusters {
                let file = cluster.folder.appendingPathComponent("talconfig.rendered.yaml").path
                var (config, _) = try TalhelperConfig.parse(try YAML.parseDocument(cluster.talconfig, file: file), file: file, strict: true)
                config.baseDirectory = cluster.folder
                config.attachSource(String(decoding: cluster.talconfig, as: UTF8.self))
                config.files = [:]
                for generated in try TalhelperGenerator.generateNodeConfigs(config, secrets: cluster.secrets, alsoIgnored: [".talosconfig-admin.yaml"]) {
                    checksum &+= generated.contents.count
                    checksum = checksum &* 31 &+ Int(generated.contents.last ?? 0)
                }
            }
            return checksum
        }
    } catch {
        FileHandle.standardError.write(Data("genconfig-fleet: \(error)\n".utf8))
        return 1
    }
    return 0
}
