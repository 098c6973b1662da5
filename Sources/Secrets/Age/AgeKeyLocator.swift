import Diagnostics
import FileAccess
import Foundation

/// Finds age identities the way sops does, so a user's existing set-up works unchanged.
public enum AgeKeyLocator {
    /// Loads every identity from `SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, `$XDG_CONFIG_HOME/sops/age/keys.txt`
    /// (else `~/.config/sops/age/keys.txt`) and each extra key file, in that order. Sources that are not
    /// set or do not exist are skipped (except extra key files and `SOPS_AGE_KEY_FILE`, which must exist);
    /// a malformed line is an error naming the file and line, never echoing the key material.
    public static func identities(environment: [String: String], extraKeyFiles: [URL]) throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        if let inline = environment["SOPS_AGE_KEY"] {
            identities += try parseKeys(inline, source: "SOPS_AGE_KEY", multiplePerLine: true)
        }
        if let path = environment["SOPS_AGE_KEY_FILE"] {
            identities += try parseKeyFile(URL(fileURLWithPath: path), mustExist: true)
        }
        if let configDirectory = userConfigDirectory(environment) {
            identities += try parseKeyFile(configDirectory.appendingPathComponent("sops/age/keys.txt"), mustExist: false)
        }
        for file in extraKeyFiles {
            identities += try parseKeyFile(file, mustExist: true)
        }
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
                do {
                    identities.append(try AgeIdentity.parse(key))
                } catch let diagnostic as Diagnostic {
                    let column = (rawLine.range(of: key).map { rawLine.distance(from: rawLine.startIndex, to: $0.lowerBound) } ?? 0) + 1
                    throw Diagnostic.error(diagnostic.message, at: SourceLocation(file: source, line: index + 1, column: column))
                }
            }
        }
        return identities
    }
}
