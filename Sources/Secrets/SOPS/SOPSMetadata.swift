import Diagnostics

/// The `sops:` entry of an encrypted file: which age recipients hold the data key, the encrypted MAC,
/// and which values were left unencrypted.
struct SOPSMetadata {
    struct AgeEntry {
        var recipient: String
        var encryptedDataKey: String
    }

    /// The keys of one group hold the data key (one group) or one Shamir share of it (several groups).
    struct KeyGroup {
        var ageEntries: [AgeEntry] = []
        /// Other key types (pgp, kms, …) present, for an error that names them.
        var otherKeyTypes: [String] = []
    }

    /// The groups: `key_groups`, else one group of the top-level key lists.
    var keyGroups: [KeyGroup] = []
    /// How many groups' shares rebuild the data key (sops: 0 means all of them).
    var shamirThreshold = 0
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
        let otherTypes = ["pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms"]
        func group(_ value: SOPSValue) -> KeyGroup {
            var group = KeyGroup()
            if let age = value["age"] { group.ageEntries = ageList(age) }
            for type in otherTypes {
                if case .list(let entries)? = value[type], !entries.isEmpty { group.otherKeyTypes.append(type) }
            }
            return group
        }
        let topLevel = group(value)
        // sops reads these fields into strings: a list or mapping there is a file sops refuses to read.
        let stringFields: Set<String> = ["lastmodified", "mac", "version", "unencrypted_suffix", "encrypted_suffix",
                                         "unencrypted_regex", "encrypted_regex", "unencrypted_comment_regex", "encrypted_comment_regex"]
        for case .pair(let pair) in items where stringFields.contains(pair.key) {
            switch pair.value {
            case .list, .branch:
                let found = if case .list = pair.value { "a list" } else { "a mapping" }
                throw Diagnostic.error("\(file): sops metadata `\(pair.key)`: expected a string, found \(found)",
                                       at: pair.location ?? location)
            default: continue
            }
        }
        for case .pair(let pair) in items {
            switch pair.key {
            case "key_groups":
                guard case .list(let groups) = pair.value else { break }
                for case .value(let entry, _) in groups { keyGroups.append(group(entry)) }
            case "shamir_threshold":
                shamirThreshold = text(pair.value).flatMap { Int($0) } ?? 0
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
            default: break
            }
        }
        if keyGroups.isEmpty { keyGroups = [topLevel] }
        guard !mac.isEmpty else { throw Diagnostic.error("\(file): the sops metadata has no mac", at: location) }
    }

    /// Go reads `lastmodified` as a time and formats it back with time.RFC3339 for the MAC's additional
    /// data, which drops fractional seconds.
    var lastModifiedRFC3339: String { Self.withoutFractionalSeconds(lastModified) }

    /// An RFC 3339 time as Go's time.RFC3339 layout formats it: without fractional seconds.
    static func withoutFractionalSeconds(_ time: String) -> String {
        guard let dot = time.firstIndex(of: ".") else { return time }
        var end = time.index(after: dot)
        while end < time.endIndex, time[end].isNumber { end = time.index(after: end) }
        return String(time[..<dot]) + time[end...]
    }
}
