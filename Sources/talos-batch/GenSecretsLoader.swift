import FoundationEssentials
import Glibc
import Secrets

/// Reads inputs that may be SOPS-encrypted (age keys found as sops finds them, plus `--age-key-file` and the fleet's key files).
enum GenSecretsLoader {
    static func identities(_ ageKeyFiles: [String], near path: String? = nil) throws -> [AgeIdentity] {
        try CommandKeys.identities(extraKeyFiles: ageKeyFiles, near: path)
    }

    /// The YAML text of a file, decrypted first when it is SOPS-encrypted.
    static func plaintext(path: String, ageKeyFiles: [String]) throws -> [UInt8] {
        guard let data = try readInputFile(path) else {
            throw CLIError("cannot read \(path)")
        }
        let bytes = Array(data)
        guard SOPSFile.isEncrypted(bytes) else { return bytes }
        return Array(try SOPSFile.decrypt(bytes, file: path, identities: identities(ageKeyFiles, near: path)).utf8)
    }

    /// The secrets bundle, strictly parsed and validated by the Secrets module.
    static func load(path: String, ageKeyFiles: [String] = []) throws -> SecretsBundle {
        try SecretsBundle.load(fileAt: URL(fileURLWithPath: path), identitiesIfEncrypted: { try identities(ageKeyFiles, near: path) })
    }
}
