import FoundationEssentials
import Glibc
import Secrets
import Stages

/// The age identities a command decrypts with: found as sops finds them, then every `--age-key-file`,
/// then the key files `talos-batch.yaml` lists for the fleet the command runs in (as regen uses them) and,
/// when the file lies in another fleet, that fleet's too.
enum CommandKeys {
    static func identities(extraKeyFiles: [String], near path: String? = nil) throws -> [AgeIdentity] {
        var files = extraKeyFiles.map { URL(fileURLWithPath: $0) }
        var roots = [try ProjectRoot.locate()]
        if let path, path != "-", !path.hasPrefix("/dev/") {
            let folder = URL(fileURLWithPath: path, relativeTo: try WorkingDirectory.url()).deletingLastPathComponent()
            roots.append(ProjectRoot.locate(from: folder))
        }
        var seenRoots = Set<String>()
        for root in roots where seenRoots.insert(root.path).inserted {
            for file in try ProjectSettings.load(root: root).ageKeyFiles where !files.contains(file) {
                files.append(file)
            }
        }
        return try AgeKeyLocator.identities(environment: ProcessInfo.processInfo.environment, extraKeyFiles: files)
    }
}
