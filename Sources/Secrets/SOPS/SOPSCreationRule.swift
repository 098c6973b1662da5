import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import SystemKit
import YAML

/// A `creation_rules` entry of a `.sops.yaml`, as `sops -e` applies it: the first rule whose `path_regex`
/// matches the file's path (relative to the config's folder), or that has none, gives the recipients
/// (`age:` as a comma-separated string or a list, or `key_groups` with a `shamir_threshold`) and which
/// values stay plain.
public struct SOPSCreationRule: Sendable {
    /// Each group's age recipients; several groups split the data key with Shamir's scheme.
    public var keyGroups: [[AgeRecipient]] = []
    public var shamirThreshold = 0
    public var unencryptedSuffix: String?
    public var encryptedSuffix: String?
    public var unencryptedRegex: String?
    public var encryptedRegex: String?
    /// Where the rule was read, for messages.
    public var origin: SourceLocation?

    public init(recipients: [AgeRecipient]) {
        keyGroups = [recipients]
    }

    /// The nearest `.sops.yaml` from `directory` upward, as sops looks for it.
    public static func configFile(from directory: URL) -> URL? {
        var candidate = directory.standardizedFileURL
        while true {
            let file = candidate.appendingPathComponent(".sops.yaml")
            if FileManager.default.fileExists(atPath: file.path) { return file }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return nil }
            candidate = parent
        }
    }

    /// The rule for `path` (absolute) in the config file, nil when no rule matches.
    public static func rule(for path: String, config: URL) throws -> SOPSCreationRule? {
        let file = config.path
        let data: [UInt8]
        do { data = try RegularFile.read(file, limit: 1 << 20) }
        catch { throw Diagnostic.error("cannot read the sops configuration \(error)") }
        let document = try YAML.parseDocument(data, file: file)
        guard let rules = document["creation_rules"] else { return nil }
        guard let items = rules.sequenceItems else { throw Diagnostic.error("`creation_rules`: expected a list", at: rules.location) }
        let folder = config.deletingLastPathComponent().standardizedFileURL.path
        let relative = path.hasPrefix(folder + "/") ? String(path.dropFirst(folder.count + 1)) : path
        for item in items {
            if let regex = item["path_regex"]?.scalar?.text, !regex.isEmpty {
                let expression: GoRegexp
                do { expression = try GoRegexp(regex) } catch {
                    throw Diagnostic.error("`path_regex`: invalid regular expression", at: item["path_regex"]?.location)
                }
                guard expression.matches(relative) else { continue }
            }
            return try SOPSCreationRule(item)
        }
        return nil
    }

    init(_ node: YAMLNode) throws {
        origin = node.location
        func recipients(_ value: YAMLNode?) throws -> [AgeRecipient] {
            guard let value else { return [] }
            let texts: [String]
            if let list = value.sequenceItems {
                texts = list.compactMap { $0.scalar?.text }
            } else if let text = value.scalar?.text {
                texts = text.split(separator: ",").map(String.init)
            } else {
                throw Diagnostic.error("`age`: expected a comma-separated string or a list of recipients", at: value.location)
            }
            return try texts.map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }.map { text in
                do { return try AgeRecipient.parse(text) } catch let diagnostic as Diagnostic {
                    throw Diagnostic.error(diagnostic.message, at: value.location)
                }
            }
        }
        let otherKeys = ["pgp", "kms", "gcp_kms", "azure_keyvault", "hc_vault_transit_uri", "hckms"]
        func refuseOthers(_ group: YAMLNode) throws {
            for key in otherKeys {
                if let value = group[key], !(value.scalar?.text.isEmpty ?? false), value.sequenceItems?.isEmpty != true {
                    throw Diagnostic.error("the creation rule asks for \(key) keys; talos-batch encrypts for age recipients only", at: value.location)
                }
            }
        }
        if let groups = node["key_groups"]?.sequenceItems, !groups.isEmpty {
            for group in groups {
                try refuseOthers(group)
                keyGroups.append(try recipients(group["age"]))
            }
        } else {
            try refuseOthers(node)
            keyGroups = [try recipients(node["age"])]
        }
        guard keyGroups.allSatisfy({ !$0.isEmpty }) else {
            throw Diagnostic.error("the matching creation rule has a key group without age recipients", at: node.location)
        }
        if let threshold = node["shamir_threshold"]?.scalar?.text { shamirThreshold = Int(threshold) ?? 0 }
        unencryptedSuffix = node["unencrypted_suffix"]?.scalar?.text
        encryptedSuffix = node["encrypted_suffix"]?.scalar?.text
        unencryptedRegex = node["unencrypted_regex"]?.scalar?.text
        encryptedRegex = node["encrypted_regex"]?.scalar?.text
        for unsupported in ["mac_only_encrypted", "unencrypted_comment_regex", "encrypted_comment_regex"] where node[unsupported] != nil {
            throw Diagnostic.error("the creation rule option `\(unsupported)` is not supported by talos-batch's encryption", at: node[unsupported]?.location)
        }
        if unencryptedSuffix == nil && encryptedSuffix == nil && unencryptedRegex == nil && encryptedRegex == nil {
            unencryptedSuffix = "_unencrypted"
        }
    }
}
