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
        let prefix = Array("ENC[AES256_GCM,".utf8)
        var text = Array(value.utf8)
        guard text.starts(with: prefix + Array("data:".utf8)), text.last == UInt8(ascii: "]") else { throw .notEncrypted }
        text.removeLast()
        var data: ArraySlice<UInt8>?, iv: ArraySlice<UInt8>?, tag: ArraySlice<UInt8>?, type: ArraySlice<UInt8>?
        // Comma-separated `name:value` fields; a later field of the same name wins, as before.
        for part in text[prefix.count...].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            guard let colon = part.firstIndex(of: UInt8(ascii: ":")) else { throw .malformed("field without a name") }
            let name = part[..<colon], field = part[(colon + 1)...]
            if name.elementsEqual("data".utf8) { data = field }
            else if name.elementsEqual("iv".utf8) { iv = field }
            else if name.elementsEqual("tag".utf8) { tag = field }
            else if name.elementsEqual("type".utf8) { type = field }
        }
        guard let data, let iv, let tag, let type else { throw .malformed("missing data, iv, tag or type") }
        guard let dataBytes = Base64.decode(Array(data), padded: true, strict: false),
              let ivBytes = Base64.decode(Array(iv), padded: true, strict: false),
              let tagBytes = Base64.decode(Array(tag), padded: true, strict: false), tagBytes.count == 16, !ivBytes.isEmpty
        else { throw .malformed("invalid base64") }
        return Parsed(data: dataBytes, iv: ivBytes, tag: tagBytes, type: String(decoding: type, as: UTF8.self))
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
