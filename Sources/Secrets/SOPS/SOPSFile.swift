import Diagnostics
import Glibc

/// SOPS-encrypted YAML files: decrypted natively (age recipients only), printed as `sops -d` prints them.
public enum SOPSFile {
    /// True when the YAML has a top-level `sops:` mapping with a `mac` key: a line `sops:` at column 0,
    /// then, before the next top-level line, an indented `mac:`. A byte scan, not a parse: every stage
    /// reading a secrets file asks, and the decryption parses it anyway.
    public static func isEncrypted(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isEncrypted($0) }
    }

    /// The scan by pointer (each stage reading a secrets file asks, over the whole file).
    private static func isEncrypted(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func starts(_ line: Slice<UnsafeBufferPointer<UInt8>>, with word: StaticString) -> Bool {
            line.count >= word.utf8CodeUnitCount && zip(line, UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)).allSatisfy { $0 == $1 }
        }
        var inSOPS = false
        var lineStart = 0
        while lineStart < bytes.count {
            // memchr: the lines holding encrypted values are kilobytes long.
            let lineEnd = memchr(bytes.baseAddress! + lineStart, Int32(UInt8(ascii: "\n")), bytes.count - lineStart)
                .map { bytes.baseAddress!.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } ?? bytes.count
            let line = bytes[lineStart..<lineEnd]
            if let first = line.first, first != UInt8(ascii: " "), first != UInt8(ascii: "\t"), first != UInt8(ascii: "#"),
               first != UInt8(ascii: "\r") {
                // A top-level line: `sops:` opens the metadata (`sops: {` or a value would be another shape).
                inSOPS = starts(line, with: "sops:") && line.dropFirst(5).allSatisfy { $0 == 32 || $0 == 13 }
            } else if inSOPS {
                let content = line.drop { $0 == 32 || $0 == 9 }
                if starts(content, with: "mac:") { return true }
            }
            lineStart = lineEnd + 1
        }
        return false
    }

    /// The plaintext YAML exactly as `sops -d` prints it.
    public static func decrypt(_ bytes: [UInt8], file: String, identities: [AgeIdentity]) throws -> String {
        SOPSYAMLWriter().write(try decryptTree(bytes, file: file, identities: identities))
    }

    /// Decrypted documents (metadata removed), MAC verified.
    static func decryptTree(_ bytes: [UInt8], file: String, identities: [AgeIdentity], format: SOPSFormat = .yaml) throws -> [[SOPSBranchItem]] {
        var (documents, metadataValue, metadataLocation) = try loadEncrypted(bytes, file: file, format: format)
        let metadata = try SOPSMetadata(metadataValue, file: file, location: metadataLocation)
        let dataKey = try recoverDataKey(metadata, file: file, identities: identities)
        let rules = try SOPSEncryptionRules(metadata: metadata, file: file)

        var hashInput: [UInt8] = []
        if rules.macOnlyEncrypted { hashInput += macOnlyEncryptedInitialization }
        let walker = SOPSTreeWalker { leaf, path, comments in
            let pathString = path.joined(separator: ":") + ":"
            switch leaf {
            case .comment(let comment):
                guard rules.shouldEncrypt(path: path, comments: comments, isComment: true) else { return leaf }
                // sops keeps a comment it cannot decrypt as it is (files from old sops versions).
                guard let (bytes, type) = try? SOPSValueCipher.decrypt(comment.text, key: dataKey, additionalData: pathString),
                      type == "comment" else { return leaf }
                return .comment(SOPSComment(text: String(decoding: bytes, as: UTF8.self), inline: false, location: comment.location))
            case .value(let value, let location):
                let encrypted = rules.shouldEncrypt(path: path, comments: comments, isComment: false)
                var plain = value
                if encrypted {
                    guard case .string(let text) = value else {
                        throw Diagnostic.error("\(describe(path)) should be encrypted but is a plain \(kindName(value))", at: location)
                    }
                    if !text.isEmpty { plain = try decryptValue(text, path: path, key: dataKey, location: location) }
                }
                if case .string(let text) = plain, case .string(let original) = value, original.hasSuffix(",type:comment]"), encrypted {
                    // A sequence item that held an encrypted comment (sops writes them so); not in the MAC.
                    return .comment(SOPSComment(text: text, inline: false, location: location))
                }
                if !rules.macOnlyEncrypted || encrypted { hashInput += plain.macBytes }
                return .value(plain, location)
            }
        }
        for index in documents.indices {
            documents[index] = try walker.walk(documents[index])
        }
        let computed = LibCrypto.sha512(hashInput).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }.joined()
        let stored: [UInt8]
        do {
            stored = try SOPSValueCipher.decrypt(metadata.mac, key: dataKey, additionalData: metadata.lastModifiedRFC3339).bytes
        } catch {
            throw Diagnostic.error("the sops MAC cannot be decrypted: the 'mac' or 'lastmodified' metadata was modified",
                                   at: metadataLocation)
        }
        guard LibCrypto.equalInConstantTime(stored, Array(computed.utf8)) else {
            throw Diagnostic.error("\(file): MAC mismatch: the file's values do not match its MAC (a value or key was added, removed, reordered or changed)")
        }
        return documents
    }

    /// sha256("sops"): the MAC's starting bytes when only encrypted values are covered.
    static let macOnlyEncryptedInitialization: [UInt8] = [
        0x8a, 0x3f, 0xd2, 0xad, 0x54, 0xce, 0x66, 0x52, 0x7b, 0x10, 0x34, 0xf3, 0xd1, 0x47, 0xbe, 0x0b,
        0x0b, 0x97, 0x5b, 0x3b, 0xf4, 0x4f, 0x72, 0xc6, 0xfd, 0xad, 0xec, 0x81, 0x76, 0xf2, 0x7d, 0x69,
    ]

    static func recoverDataKey(_ metadata: SOPSMetadata, file: String, identities: [AgeIdentity]) throws -> [UInt8] {
        let groups = metadata.keyGroups
        guard groups.contains(where: { !$0.ageEntries.isEmpty }) else {
            let others = Set(groups.flatMap(\.otherKeyTypes)).sorted().map(Self.keyTypeName)
            let what = others.isEmpty ? "no key at all" : others.joined(separator: "/") + " only"
            throw Diagnostic.error("\(file): encrypted for \(what); talos-batch supports age and SSH keys")
        }
        let usable = identities.filter { $0.unusableReason == nil }
        let notes = identities.compactMap(\.unusableReason).map { "; " + $0 }.joined()
        let unusable = identities.compactMap(\.unusableReason)
        guard !usable.isEmpty || unusable.isEmpty else {
            throw Diagnostic.error("\(file): the keys found cannot be used: \(unusable.joined(separator: "; "))")
        }
        guard !usable.isEmpty else {
            throw Diagnostic.error("\(file): no age identity found (set SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or SOPS_AGE_KEY_CMD, put keys in ~/.config/sops/age/keys.txt, or use an SSH key)\(notes)")
        }
        let available = Set(usable.map(\.recipient))
        var parts: [[UInt8]] = []
        for group in groups {
            // Entries whose recipient we hold first; then all (the recipient field is only a hint).
            let ordered = group.ageEntries.filter { available.contains($0.recipient) } + group.ageEntries.filter { !available.contains($0.recipient) }
            for entry in ordered {
                if let part = try? AgeFile.decrypt(Array(entry.encryptedDataKey.utf8), identities: usable) {
                    parts.append(part)
                    break
                }
            }
        }
        let recipients = groups.flatMap(\.ageEntries).map(\.recipient).joined(separator: ", ")
        if groups.count > 1 {
            let threshold = metadata.shamirThreshold == 0 ? groups.count : metadata.shamirThreshold
            guard parts.count >= threshold, parts.count >= 2 else {
                throw Diagnostic.error("\(file): the data key is split over \(groups.count) key groups (Shamir threshold \(threshold)) and the available identities open only \(parts.count) of them (file recipients: \(recipients))\(notes)")
            }
            do {
                let key = try ShamirSecretSharing.combine(parts)
                guard key.count == 32 else { throw ShamirSecretSharing.Failure.unequalLengths }
                return key
            } catch {
                throw Diagnostic.error("\(file): could not get the data key from the key groups' Shamir shares (\(error))")
            }
        }
        guard let key = parts.first, key.count == 32 else {
            // age1…1… is a plugin recipient (a YubiKey, a TPM), age1pq1… post-quantum: neither is supported.
            let plugin = groups.flatMap(\.ageEntries).contains { $0.recipient.hasPrefix("age1") && $0.recipient.filter { $0 == "1" }.count > 1 }
            let pluginNote = plugin ? "; the file has age plugin or post-quantum recipients, which talos-batch does not support" : ""
            throw Diagnostic.error("\(file): none of the \(usable.count) available age identities can decrypt the data key (file recipients: \(recipients))\(notes)\(pluginNote)")
        }
        return key
    }

    /// How sops' metadata key types read in an error.
    static func keyTypeName(_ key: String) -> String {
        switch key {
        case "pgp": return "PGP"
        case "kms": return "AWS KMS"
        case "gcp_kms": return "GCP KMS"
        case "azure_kv": return "Azure Key Vault"
        case "hc_vault": return "HashiCorp Vault"
        case "hckms": return "HuaweiCloud KMS"
        default: return key
        }
    }

    static func describe(_ path: [String]) -> String {
        path.isEmpty ? "the value" : "'\(path.joined(separator: "."))'"
    }

    static func kindName(_ value: SOPSValue) -> String {
        switch value {
        case .int: return "integer"
        case .float: return "float"
        case .bool: return "boolean"
        default: return "value"
        }
    }

    static func decryptValue(_ text: String, path: [String], key: [UInt8], location: SourceLocation?) throws -> SOPSValue {
        let bytes: [UInt8], type: String
        do {
            (bytes, type) = try SOPSValueCipher.decrypt(text, key: key, additionalData: path.joined(separator: ":") + ":")
        } catch .notEncrypted {
            throw Diagnostic.error("\(describe(path)) should be encrypted but is not in sops' ENC[AES256_GCM,…] format", at: location)
        } catch .malformed(let why) {
            throw Diagnostic.error("\(describe(path)) has a malformed encrypted value (\(why))", at: location)
        } catch {
            throw Diagnostic.error("\(describe(path)) cannot be decrypted: authentication failed (the value was modified or moved to another key)", at: location)
        }
        let plain = String(decoding: bytes, as: UTF8.self)
        switch type {
        case "str", "bytes":
            // Binary data need not be UTF-8; the MAC and the output need its exact bytes.
            return String(validating: bytes, as: UTF8.self) == nil ? .bytes(bytes) : .string(plain)
        case "time": return .time(plain)
        case "comment": return .string(plain)
        case "int":
            guard let n = Int(plain) else { throw Diagnostic.error("\(describe(path)): decrypted value is not an integer", at: location) }
            return .int(n)
        case "float":
            guard let f = GoNumbers.parseFloat(plain) else { throw Diagnostic.error("\(describe(path)): decrypted value is not a float", at: location) }
            return .float(f)
        case "bool":
            switch plain {
            case "1", "t", "T", "TRUE", "true", "True": return .bool(true)
            case "0", "f", "F", "FALSE", "false", "False": return .bool(false)
            default: throw Diagnostic.error("\(describe(path)): decrypted value is not a boolean", at: location)
            }
        default:
            throw Diagnostic.error("\(describe(path)) has unknown sops type '\(type)'", at: location)
        }
    }
}
