import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc

/// Finds age identities the way sops does, so a user's existing set-up works unchanged.
public enum AgeKeyLocator {
    /// Loads every identity from `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `SOPS_AGE_KEY_CMD` (its standard
    /// output), `$XDG_CONFIG_HOME/sops/age/keys.txt` (else `~/.config/sops/age/keys.txt`), each extra key
    /// file, then SSH keys as sops finds them (`SOPS_AGE_SSH_PRIVATE_KEY_FILE`, `SOPS_AGE_SSH_PRIVATE_KEY_CMD`,
    /// `~/.ssh/id_ed25519`, `~/.ssh/id_rsa`). Sources that are not set or do not exist are skipped (except
    /// extra key files and `SOPS_AGE_KEY_FILE`, which must exist); a malformed line is an error naming the
    /// file and line, never echoing the key material. An SSH key that cannot be used (passphrase-protected,
    /// another type) does not stop the others: it becomes an identity that says why, as sops defers it.
    public static func identities(environment: [String: String], extraKeyFiles: [URL]) throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        if let inline = environment["SOPS_AGE_KEY"] {
            identities += try parseKeys(inline, source: "SOPS_AGE_KEY", multiplePerLine: true)
        }
        if let path = environment["SOPS_AGE_KEY_FILE"] {
            identities += try parseKeyFile(URL(fileURLWithPath: path), mustExist: true)
        }
        if let command = environment["SOPS_AGE_KEY_CMD"], !command.isEmpty {
            let output = try KeyCommand.run(command, variable: "SOPS_AGE_KEY_CMD")
            identities += try parseKeys(String(decoding: output, as: UTF8.self), source: "SOPS_AGE_KEY_CMD output", multiplePerLine: false)
        }
        if let configDirectory = userConfigDirectory(environment) {
            identities += try parseKeyFile(configDirectory.appendingPathComponent("sops/age/keys.txt"), mustExist: false)
        }
        for file in extraKeyFiles {
            identities += try parseKeyFile(file, mustExist: true)
        }
        identities += sshIdentities(environment)
        return identities
    }

    /// Go's os.UserConfigDir on Linux: $XDG_CONFIG_HOME if set and absolute-ish, else $HOME/.config.
    static func userConfigDirectory(_ environment: [String: String]) -> URL? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return URL(fileURLWithPath: xdg) }
        if let home = environment["HOME"], !home.isEmpty { return URL(fileURLWithPath: home).appendingPathComponent(".config") }
        return nil
    }

    static func parseKeyFile(_ url: URL, mustExist: Bool) throws -> [AgeIdentity] {
        if !mustExist && !FileManager.default.fileExists(atPath: url.path) { return [] }
        // /dev/null names no key at all (as for sops); any other device, a FIFO or a folder is an error,
        // never a hang (the checked reader, issue 19).
        if url.path == "/dev/null" { return [] }
        let data: [UInt8]
        do {
            data = try RegularFile.read(url.path, limit: 1 << 20)
        } catch let error as RegularFileError {
            throw Diagnostic.error("\(url.path): cannot read age key file: \(error.reason)")
        }
        return try parseKeys(String(decoding: data, as: UTF8.self), source: url.path, multiplePerLine: false)
    }

    /// age's identity-file syntax: one `AGE-SECRET-KEY-1…` per line, `#` comments and blank lines ignored.
    public static func parseKeys(_ text: String, source: String, multiplePerLine: Bool) throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingASCIIWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let keys = multiplePerLine
                ? line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
                : [line]
            for key in keys {
                // sops reads plugin and post-quantum identities; talos-batch cannot use them, but they must
                // not stop the other keys from working.
                if key.hasPrefix("AGE-PLUGIN-") || key.hasPrefix("AGE-SECRET-KEY-PQ-") {
                    identities.append(AgeIdentity(unusable: "\(source):\(index + 1): an age plugin or post-quantum identity, which is not supported"))
                    continue
                }
                do {
                    identities.append(try AgeIdentity.parse(key))
                } catch let diagnostic as Diagnostic {
                    let column = (rawLine.firstRange(of: key).map { rawLine.distance(from: rawLine.startIndex, to: $0.lowerBound) } ?? 0) + 1
                    throw Diagnostic.error(diagnostic.message, at: SourceLocation(file: source, line: index + 1, column: column))
                }
            }
        }
        return identities
    }

    /// SSH keys in sops' order; each one found is an identity, usable or saying why not.
    static func sshIdentities(_ environment: [String: String]) -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        func add(_ text: [UInt8], source: String) {
            do {
                identities.append(AgeIdentity(ssh: try SSHIdentity(try OpenSSHPrivateKey.parse(text))))
            } catch OpenSSHPrivateKey.Failure.passphraseProtected {
                identities.append(AgeIdentity(unusable: "\(source) is a passphrase-protected SSH key, which is not supported (as in sops)"))
            } catch OpenSSHPrivateKey.Failure.unsupported(let why) {
                identities.append(AgeIdentity(unusable: "\(source): not supported: \(why)"))
            } catch OpenSSHPrivateKey.Failure.malformed(let why) {
                identities.append(AgeIdentity(unusable: "\(source): malformed SSH private key (\(why))"))
            } catch {
                identities.append(AgeIdentity(unusable: "\(source): unusable SSH key"))
            }
        }
        if let path = environment["SOPS_AGE_SSH_PRIVATE_KEY_FILE"], !path.isEmpty {
            do { add(try RegularFile.read(path, limit: 1 << 20), source: path) }
            catch { identities.append(AgeIdentity(unusable: "\(path) (SOPS_AGE_SSH_PRIVATE_KEY_FILE) cannot be read: \(error)")) }
        }
        if let command = environment["SOPS_AGE_SSH_PRIVATE_KEY_CMD"], !command.isEmpty {
            do {
                add(try KeyCommand.run(command, variable: "SOPS_AGE_SSH_PRIVATE_KEY_CMD"), source: "the SSH key from SOPS_AGE_SSH_PRIVATE_KEY_CMD")
            } catch {
                identities.append(AgeIdentity(unusable: "\(error)"))
            }
        }
        if let home = environment["HOME"], !home.isEmpty {
            for name in ["id_ed25519", "id_rsa"] {
                let path = URL(fileURLWithPath: home).appendingPathComponent(".ssh/\(name)").path
                // Absent is the common case; a FIFO or a folder there is named, never a hang.
                do {
                    if let data = try RegularFile.readIfPresent(path, limit: 1 << 20) { add(data, source: path) }
                } catch {
                    identities.append(AgeIdentity(unusable: "\(error)"))
                }
            }
        }
        return identities
    }
}
