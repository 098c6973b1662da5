import Foundation
import Secrets

/// `secrets-path FLEET_OR_DIR AGE_KEY_FILE`: the secrets work a cold regen does per cluster, end to end and
/// once per distinct bundle — SOPS/age decryption, YAML parsing, strict parsing and validation of the bundle
/// (every key against its certificate), then issuing the admin certificate from its OS CA. Every
/// `talsecret.sops.yaml` under the folder is read into memory first (no disk I/O is timed); the first one
/// warms the process up (one-time algorithm fetches) and is not counted. Prints the CPU time (user + system)
/// and wall time per cluster. Each bundle is processed exactly once, so no per-bundle memo can help.
@Sendable func secretsPathBenchmark(_ arguments: [String]) -> Int32 {
    guard arguments.count == 2 else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench secrets-path FLEET_OR_DIR AGE_KEY_FILE\n".utf8))
        return 2
    }
    let root = URL(fileURLWithPath: arguments[0])
    var files: [(path: String, bytes: [UInt8])] = []
    let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
    while let url = enumerator?.nextObject() as? URL {
        guard url.lastPathComponent == "talsecret.sops.yaml", let data = FileManager.default.contents(atPath: url.path) else { continue }
        files.append((url.path, [UInt8](data)))
    }
    files.sort { $0.path < $1.path }
    guard files.count >= 2 else {
        FileHandle.standardError.write(Data("secrets-path: need at least two talsecret.sops.yaml files under \(root.path)\n".utf8))
        return 2
    }
    let identities: [AgeIdentity]
    do {
        let keyText = try String(contentsOfFile: arguments[1], encoding: .utf8)
        identities = try AgeKeyLocator.parseKeys(keyText, source: arguments[1], multiplePerLine: false)
    } catch {
        FileHandle.standardError.write(Data("secrets-path: \(error)\n".utf8))
        return 1
    }

    /// One cluster's secrets path, as the genconfig and admincert stages take it.
    func process(_ file: (path: String, bytes: [UInt8])) throws -> Int {
        guard SOPSFile.isEncrypted(file.bytes) else { throw SecretsPathFailure("\(file.path) is not SOPS-encrypted") }
        let bundle = try SecretsBundle.decrypting(file.bytes, file: file.path, identities: identities)
        let issued = try ClientCertificateIssuer.issue(caCertBase64PEM: bundle.os.crt, caKeyBase64PEM: bundle.os.key,
                                                       commonName: "admin", organizations: ["os:admin"], notBefore: Date(),
                                                       validity: 365 * 24 * 3600)
        return issued.certificatePEM.utf8.count + bundle.clusterID.utf8.count
    }

    do {
        var checksum = try process(files[0])
        let measured = files.dropFirst()
        let cpuStart = processCPUSeconds()
        let wallStart = ContinuousClock.now
        for file in measured { checksum &+= try process(file) }
        let wall = ContinuousClock.now - wallStart
        let cpu = processCPUSeconds() - cpuStart
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        print("clusters \(measured.count) (one more warmed up)")
        print(String(format: "cpu_ms_per_cluster %.3f", cpu * 1000 / Double(measured.count)))
        print(String(format: "wall_ms_per_cluster %.3f", wallSeconds * 1000 / Double(measured.count)))
        print("checksum \(checksum)")
        return 0
    } catch {
        FileHandle.standardError.write(Data("secrets-path: \(error)\n".utf8))
        return 1
    }
}

private struct SecretsPathFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
