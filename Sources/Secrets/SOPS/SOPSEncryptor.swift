import Diagnostics
import Foundation
import YAML

extension SOPSFile {
    /// Encrypts a YAML mapping for age recipients the way `sops encrypt --age …` does: a fresh data key
    /// wrapped for each recipient, every value encrypted with its key path as additional data except under
    /// keys ending in `unencryptedSuffix`, the MAC over all plaintext values, sops' metadata block.
    public static func encrypt(_ document: YAMLNode, recipients: [AgeRecipient], now: Date,
                               unencryptedSuffix: String = "_unencrypted") throws -> String {
        guard case .branch(let items) = try sopsValue(document) else {
            throw Diagnostic.error("only YAML mappings can be SOPS-encrypted")
        }
        guard !recipients.isEmpty else { throw Diagnostic.error("at least one age recipient is required") }
        let dataKey = try LibCrypto.randomBytes(32)
        let rules = SOPSEncryptionRules(unencryptedSuffix: unencryptedSuffix)
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
        var ageEntries: [SOPSListItem] = []
        for recipient in recipients {
            let wrapped = try AgeFile.encrypt(dataKey, recipients: [recipient], armored: true)
            ageEntries.append(.value(.branch([
                .pair(SOPSPair(key: "recipient", value: .string(recipient.string), location: nil)),
                .pair(SOPSPair(key: "enc", value: .string(String(decoding: wrapped, as: UTF8.self)), location: nil)),
            ]), nil))
        }
        let metadata: [SOPSBranchItem] = [
            .pair(SOPSPair(key: "age", value: .list(ageEntries), location: nil)),
            .pair(SOPSPair(key: "lastmodified", value: .string(lastModified), location: nil)),
            .pair(SOPSPair(key: "mac", value: .string(mac), location: nil)),
            .pair(SOPSPair(key: "unencrypted_suffix", value: .string(unencryptedSuffix), location: nil)),
            .pair(SOPSPair(key: "version", value: .string(formatVersion), location: nil)),
        ]
        encrypted.append(.pair(SOPSPair(key: "sops", value: .branch(metadata), location: nil)))
        return SOPSYAMLWriter().write([encrypted])
    }

    /// The sops file-format version written into metadata (the release whose output this matches).
    static let formatVersion = "3.11.0"

    static func rfc3339(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return formatter.string(from: date)
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
