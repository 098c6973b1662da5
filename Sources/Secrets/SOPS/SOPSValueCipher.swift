import Diagnostics

/// sops' value format `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`: AES-256-GCM with a 32-byte IV and the
/// value's key path (`a:b:`) as additional data.
enum SOPSValueCipher {
    enum Failure: Error {
        case notEncrypted
        case malformed(String)
        case authentication
        case badType(String)
    }

    struct Parsed {
        var data: [UInt8]
        var iv: [UInt8]
        var tag: [UInt8]
        var type: String
    }

    static func parse(_ value: String) throws(Failure) -> Parsed {
        guard value.hasPrefix("ENC[AES256_GCM,data:"), value.hasSuffix("]") else { throw .notEncrypted }
        let body = value.dropFirst("ENC[AES256_GCM,".count).dropLast()
        var fields: [String: Substring] = [:]
        for part in body.split(separator: ",") {
            guard let colon = part.firstIndex(of: ":") else { throw .malformed("field without a name") }
            fields[String(part[..<colon])] = part[part.index(after: colon)...]
        }
        guard let dataText = fields["data"], let ivText = fields["iv"], let tagText = fields["tag"], let type = fields["type"] else {
            throw .malformed("missing data, iv, tag or type")
        }
        guard let data = Base64.decode(dataText, padded: true, strict: false), let iv = Base64.decode(ivText, padded: true, strict: false),
              let tag = Base64.decode(tagText, padded: true, strict: false), tag.count == 16, !iv.isEmpty
        else { throw .malformed("invalid base64") }
        return Parsed(data: data, iv: iv, tag: tag, type: String(type))
    }

    /// The decrypted bytes and the declared type.
    static func decrypt(_ value: String, key: [UInt8], additionalData: String) throws(Failure) -> (bytes: [UInt8], type: String) {
        let parsed = try parse(value)
        let plain: [UInt8]?
        do {
            plain = try LibCrypto.open(.aes256GCM, key: key, nonce: parsed.iv, sealed: parsed.data + parsed.tag, aad: Array(additionalData.utf8))
        } catch {
            throw .authentication
        }
        guard let plain else { throw .authentication }
        return (plain, parsed.type)
    }

    /// Encrypts with a fresh random 32-byte IV, as sops does.
    static func encrypt(_ plaintext: [UInt8], type: String, key: [UInt8], additionalData: String) throws -> String {
        let iv = try LibCrypto.randomBytes(32)
        let sealed = try LibCrypto.seal(.aes256GCM, key: key, nonce: iv, plaintext: plaintext, aad: Array(additionalData.utf8))
        return "ENC[AES256_GCM,data:\(Base64.encode(sealed.dropLast(16))),iv:\(Base64.encode(iv)),tag:\(Base64.encode(sealed.suffix(16))),type:\(type)]"
    }
}
