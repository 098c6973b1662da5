import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import YAML

extension SecretsBundle {
    /// Loads and validates a talsecret file, SOPS-encrypted or plain. A missing file is an error: new secrets
    /// would make a cluster's existing nodes unreachable, so they are only ever made by `gensecret`.
    public static func load(fileAt url: URL, identities: [AgeIdentity]) throws -> SecretsBundle {
        try load(fileAt: url, identitiesIfEncrypted: { identities })
    }

    /// The same, finding the identities only when the file turns out to be encrypted (a plain bundle needs no
    /// key), from the one read of the file.
    public static func load(fileAt url: URL, identitiesIfEncrypted identities: () throws -> [AgeIdentity]) throws -> SecretsBundle {
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else {
            throw Diagnostic.error("\(path): secrets file not found (talos-batch never invents secrets for an existing cluster; create one with `talos-batch gensecret`)")
        }
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path)
        } catch let error as RegularFileError {
            throw Diagnostic.error("\(path): cannot read the secrets file: \(error.reason)")
        }
        if SOPSFile.isEncrypted(bytes) { return try decrypting(bytes, file: path, identities: try identities()) }
        let bundle = try parse(try YAML.parseDocument(bytes, file: path), file: path)
        try bundle.validate(file: path)
        return bundle
    }
}
