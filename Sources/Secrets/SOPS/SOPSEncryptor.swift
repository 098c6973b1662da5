import Diagnostics
import FoundationEssentials
import Glibc
import YAML

extension SOPSFile {
    /// Encrypts a YAML mapping for age recipients the way `sops encrypt --age …` does: a fresh data key
    /// wrapped for each recipient, every value encrypted with its key path as additional data except under
    /// keys ending in `unencryptedSuffix`, the MAC over all plaintext values, sops' metadata block.
    public static func encrypt(_ document: YAMLNode, recipients: [AgeRecipient], now: Date,
                               unencryptedSuffix: String = "_unencrypted") throws -> String {
        var rule = SOPSCreationRule(recipients: recipients)
        rule.unencryptedSuffix = unencryptedSuffix
        return try encrypt(document, rule: rule, now: now)
    }

    /// Encrypts as `sops -e` does under a `.sops.yaml` creation rule: its recipients (several key groups
    /// each get a Shamir share of the data key) and its choice of which values stay plain.
    public static func encrypt(_ document: YAMLNode, rule: SOPSCreationRule, now: Date) throws -> String {
        guard case .branch(let items) = try sopsValue(document) else {
            throw Diagnostic.error("only YAML mappings can be SOPS-encrypted")
        }
        guard !rule.keyGroups.isEmpty, rule.keyGroups.allSatisfy({ !$0.isEmpty }) else {
            throw Diagnostic.error("at least one age recipient is required")
        }
        let dataKey = try LibCrypto.randomBytes(32)
        let rules = try SOPSEncryptionRules(rule)
        var hashInput: [UInt8] = []
        let walker = SOPSTreeWalker { leaf, path, comments in
            let additionalData = path.joined(separator: ":") + ":"
            switch leaf {
            case .comment(let comment):
                guard rules.shouldEncrypt(path: path, comments: comments, isComment: true), !comment.text.isEmpty else { return leaf }
                let sealed = try SOPSValueCipher.encrypt(Array(comment.text.utf8), type: "comment", key: dataKey, additionalData: additionalData)
                return .comment(SOPSComment(text: sealed, inline: false, location: nil))
            case .value(let value, let location):
                hashInput += value.macBytes
                guard rules.shouldEncrypt(path: path, comments: comments, isComment: false) else { return leaf }
                let type: String
                switch value {
                case .string(let s):
                    if s.isEmpty { return leaf }
                    type = "str"
                case .int: type = "int"
                case .float: type = "float"
                case .bool: type = "bool"
                default: return leaf
                }
                let sealed = try SOPSValueCipher.encrypt(value.macBytes, type: type, key: dataKey, additionalData: additionalData)
                return .value(.string(sealed), location)
            }
        }
        var encrypted = try walker.walk(items)
        let lastModified = rfc3339(now)
        let macText = LibCrypto.sha512(hashInput).map { byte -> String in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        let mac = try SOPSValueCipher.encrypt(Array(macText.utf8), type: "str", key: dataKey, additionalData: lastModified)
        func ageEntries(_ recipients: [AgeRecipient], secret: [UInt8]) throws -> SOPSValue {
            .list(try recipients.map { recipient in
                let wrapped = try AgeFile.encrypt(secret, recipients: [recipient], armored: true)
                return .value(.branch([
                    .pair(SOPSPair(key: "recipient", value: .string(recipient.string), location: nil)),
                    .pair(SOPSPair(key: "enc", value: .string(String(decoding: wrapped, as: UTF8.self)), location: nil)),
                ]), nil)
            })
        }
        func pair(_ key: String, _ value: SOPSValue) -> SOPSBranchItem { .pair(SOPSPair(key: key, value: value, location: nil)) }
        var metadata: [SOPSBranchItem] = []
        if rule.keyGroups.count == 1 {
            metadata.append(pair("age", try ageEntries(rule.keyGroups[0], secret: dataKey)))
        } else {
            let threshold = rule.shamirThreshold == 0 ? rule.keyGroups.count : rule.shamirThreshold
            guard threshold >= 2, threshold <= rule.keyGroups.count else {
                throw Diagnostic.error("shamir_threshold \(threshold) must be between 2 and the number of key groups (\(rule.keyGroups.count))")
            }
            let shares = try ShamirSecretSharing.split(dataKey, parts: rule.keyGroups.count, threshold: threshold)
            metadata.append(pair("shamir_threshold", .int(threshold)))
            metadata.append(pair("key_groups", .list(try zip(rule.keyGroups, shares).map { group, share in
                .value(.branch([pair("age", try ageEntries(group, secret: share))]), nil)
            })))
        }
        if let regex = rule.encryptedRegex { metadata.append(pair("encrypted_regex", .string(regex))) }
        if let suffix = rule.encryptedSuffix { metadata.append(pair("encrypted_suffix", .string(suffix))) }
        metadata.append(pair("lastmodified", .string(lastModified)))
        metadata.append(pair("mac", .string(mac)))
        if let regex = rule.unencryptedRegex { metadata.append(pair("unencrypted_regex", .string(regex))) }
        if let suffix = rule.unencryptedSuffix { metadata.append(pair("unencrypted_suffix", .string(suffix))) }
        metadata.append(pair("version", .string(formatVersion)))
        encrypted.append(.pair(SOPSPair(key: "sops", value: .branch(metadata), location: nil)))
        return SOPSYAMLWriter().write([encrypted])
    }

    /// The sops file-format version written into metadata (the release whose output this matches).
    static let formatVersion = "3.11.0"

    static func rfc3339(_ date: Date) -> String {
        Date.ISO8601FormatStyle(timeZone: .gmt).format(date)
    }

    /// YAML as sops types it: scalars by their resolved kind, mappings and sequences as branches and lists.
    static func sopsValue(_ node: YAMLNode) throws -> SOPSValue {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.kind {
            case .string: return .string(scalar.text)
            case .null: return .null
            case .bool: return .bool(scalar.text.lowercased() == "true")
            case .int: return GoNumbers.parseInt(scalar.text).map(SOPSValue.int) ?? .string(scalar.text)
            case .float: return GoNumbers.parseFloat(scalar.text).map(SOPSValue.float) ?? .string(scalar.text)
            }
        case .sequence(let items):
            return .list(try items.map { .value(try sopsValue($0), $0.location) })
        case .mapping(let pairs):
            return .branch(try pairs.map { pair in
                guard let key = pair.key.scalar?.text else { throw Diagnostic.error("SOPS supports only string keys", at: pair.key.location) }
                return .pair(SOPSPair(key: key, value: try sopsValue(pair.value), location: pair.value.location))
            })
        }
    }
}
