import Diagnostics

/// The `sops:` entry of an encrypted file: which age recipients hold the data key, the encrypted MAC,
/// and which values were left unencrypted.
struct SOPSMetadata {
    struct AgeEntry {
        var recipient: String
        var encryptedDataKey: String
    }

    var ageEntries: [AgeEntry] = []
    var lastModified: String = ""
    var mac: String = ""
    var unencryptedSuffix: String?
    var encryptedSuffix: String?
    var unencryptedRegex: String?
    var encryptedRegex: String?
    var unencryptedCommentRegex: String?
    var encryptedCommentRegex: String?
    var macOnlyEncrypted = false
    var version: String = ""
    /// Other key types (pgp, kms, …) present, for a helpful "no age entry" error.
    var otherKeyTypes: [String] = []

    init(_ value: SOPSValue, file: String, location: SourceLocation?) throws {
        guard case .branch(let items) = value else {
            throw Diagnostic.error("the sops metadata is not a mapping", at: location)
        }
        func text(_ value: SOPSValue) -> String? {
            switch value {
            case .string(let s): return s
            case .int(let n): return String(n)
            case .bool(let b): return b ? "true" : "false"
            case .float(let f): return GoNumbers.yamlFloat(f)
            default: return nil
            }
        }
        func ageList(_ value: SOPSValue) -> [AgeEntry] {
            guard case .list(let entries) = value else { return [] }
            return entries.compactMap { item -> AgeEntry? in
                guard case .value(let entry, _) = item, let recipient = entry["recipient"].flatMap(text),
                      let enc = entry["enc"].flatMap(text) else { return nil }
                return AgeEntry(recipient: recipient, encryptedDataKey: enc)
            }
        }
        for case .pair(let pair) in items {
            switch pair.key {
            case "age": ageEntries += ageList(pair.value)
            case "key_groups":
                guard case .list(let groups) = pair.value else { break }
                let realGroups = groups.compactMap { item -> SOPSValue? in
                    if case .value(let group, _) = item { return group }
                    return nil
                }
                if realGroups.count > 1 {
                    throw Diagnostic.error("\(file): sops key groups with Shamir secret sharing are not supported", at: pair.location)
                }
                for group in realGroups { if let age = group["age"] { ageEntries += ageList(age) } }
            case "lastmodified": lastModified = text(pair.value) ?? ""
            case "mac": mac = text(pair.value) ?? ""
            case "unencrypted_suffix": unencryptedSuffix = text(pair.value)
            case "encrypted_suffix": encryptedSuffix = text(pair.value)
            case "unencrypted_regex": unencryptedRegex = text(pair.value)
            case "encrypted_regex": encryptedRegex = text(pair.value)
            case "unencrypted_comment_regex": unencryptedCommentRegex = text(pair.value)
            case "encrypted_comment_regex": encryptedCommentRegex = text(pair.value)
            case "mac_only_encrypted": macOnlyEncrypted = pair.value == .bool(true) || pair.value == .string("true")
            case "version": version = text(pair.value) ?? ""
            case "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms":
                if case .list(let entries) = pair.value, !entries.isEmpty { otherKeyTypes.append(pair.key) }
            default: break
            }
        }
        guard !mac.isEmpty else { throw Diagnostic.error("\(file): the sops metadata has no mac", at: location) }
    }

    /// Go reads `lastmodified` as a time and formats it back with time.RFC3339 for the MAC's additional
    /// data, which drops fractional seconds.
    var lastModifiedRFC3339: String {
        guard let dot = lastModified.firstIndex(of: ".") else { return lastModified }
        var end = lastModified.index(after: dot)
        while end < lastModified.endIndex, lastModified[end].isNumber { end = lastModified.index(after: end) }
        return String(lastModified[..<dot]) + lastModified[end...]
    }
}
