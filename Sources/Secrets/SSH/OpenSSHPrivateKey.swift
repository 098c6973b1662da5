import COpenSSL
import Diagnostics

/// An unencrypted OpenSSH private key (`-----BEGIN OPENSSH PRIVATE KEY-----`, the "openssh-key-v1"
/// format): its wire-format public key blob and the private parts age needs. A passphrase-protected key
/// is recognised and refused.
enum OpenSSHPrivateKey {
    case ed25519(publicBlob: [UInt8], seed: [UInt8])
    case rsa(publicBlob: [UInt8], modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8])

    enum Failure: Error, Equatable {
        case passphraseProtected
        case unsupported(String)
        case malformed(String)
    }

    var publicBlob: [UInt8] {
        switch self {
        case .ed25519(let blob, _), .rsa(let blob, _, _, _): return blob
        }
    }

    /// SSH's big-endian length-prefixed fields.
    struct Reader {
        var bytes: ArraySlice<UInt8>

        mutating func uint32() throws(Failure) -> UInt32 {
            guard bytes.count >= 4 else { throw .malformed("truncated key") }
            let value = bytes.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            bytes = bytes.dropFirst(4)
            return value
        }

        mutating func string() throws(Failure) -> [UInt8] {
            let length = Int(try uint32())
            guard bytes.count >= length else { throw .malformed("truncated key") }
            defer { bytes = bytes.dropFirst(length) }
            return Array(bytes.prefix(length))
        }

        /// An mpint without its sign byte.
        mutating func mpint() throws(Failure) -> [UInt8] {
            Array(try string().drop { $0 == 0 })
        }
    }

    /// SSH's wire encoding of a string or an mpint (a leading zero byte when the top bit is set).
    static func wireString(_ bytes: [UInt8]) -> [UInt8] {
        let count = UInt32(bytes.count)
        return [UInt8(count >> 24), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)] + bytes
    }

    static func wireMPInt(_ magnitude: [UInt8]) -> [UInt8] {
        let trimmed = Array(magnitude.drop { $0 == 0 })
        return wireString(trimmed.first.map { $0 & 0x80 != 0 } == true ? [0] + trimmed : trimmed)
    }

    /// A PEM RSA or Ed25519 key through OpenSSL's decoders, with the public blob OpenSSH would derive.
    private static func pem(_ block: PEMBlock) throws(Failure) -> OpenSSHPrivateKey {
        if case .ed25519(let seed)? = PrivateKeyDER(label: block.label, der: block.der),
           let key = X509Key.ed25519(seed: seed), let publicKey = key.ed25519PublicKey {
            return .ed25519(publicBlob: wireString(Array("ssh-ed25519".utf8)) + wireString(publicKey), seed: Array(seed))
        }
        guard let key = try? X509Key.parse(block) else { throw .malformed("the \(block.label) block does not hold a valid key") }
        guard key.algorithm == .rsa else { throw .unsupported("SSH keys of this type (age supports ssh-ed25519 and ssh-rsa)") }
        func number(_ name: String) -> [UInt8]? {
            var value: OpaquePointer?
            guard EVP_PKEY_get_bn_param(key.pointer, name, &value) == 1, let value else { return nil }
            defer { BN_clear_free(value) }
            var out = [UInt8](repeating: 0, count: Int((BN_num_bits(value) + 7) / 8))
            _ = BN_bn2bin(value, &out)
            return out
        }
        guard let modulus = number("n"), let exponent = number("e"), let privateExponent = number("d") else {
            throw .malformed("the RSA key lacks its parameters")
        }
        let blob = wireString(Array("ssh-rsa".utf8)) + wireMPInt(exponent) + wireMPInt(modulus)
        return .rsa(publicBlob: blob, modulus: modulus, publicExponent: exponent, privateExponent: privateExponent)
    }

    static func parse(_ text: [UInt8]) throws(Failure) -> OpenSSHPrivateKey {
        let blocks = PEMBlock.parseAll(text)
        if let block = blocks.first(where: { $0.label.hasSuffix("PRIVATE KEY") && $0.label != "OPENSSH PRIVATE KEY" }) {
            // Older ssh-keygen wrote PEM keys: PKCS#1 `RSA PRIVATE KEY`, or PKCS#8 `PRIVATE KEY`.
            if String(decoding: text, as: UTF8.self).contains("ENCRYPTED") { throw .passphraseProtected }
            return try pem(block)
        }
        guard let block = blocks.first(where: { $0.label == "OPENSSH PRIVATE KEY" }) else {
            throw .malformed("not an SSH private key (no BEGIN OPENSSH PRIVATE KEY block)")
        }
        let magic = Array("openssh-key-v1".utf8) + [0]
        guard block.der.starts(with: magic) else { throw .malformed("not an openssh-key-v1 key") }
        var reader = Reader(bytes: block.der.dropFirst(magic.count))
        let cipher = try reader.string(), kdf = try reader.string()
        _ = try reader.string()   // KDF options
        guard cipher == Array("none".utf8), kdf == Array("none".utf8) else { throw .passphraseProtected }
        guard try reader.uint32() == 1 else { throw .unsupported("files holding several keys are not supported") }
        let publicBlob = try reader.string()
        var secret = Reader(bytes: try reader.string()[...])
        guard try secret.uint32() == secret.uint32() else { throw .malformed("check bytes differ") }
        let type = String(decoding: try secret.string(), as: UTF8.self)
        switch type {
        case "ssh-ed25519":
            let publicKey = try secret.string(), privateKey = try secret.string()
            guard publicKey.count == 32, privateKey.count == 64 else { throw .malformed("bad Ed25519 key sizes") }
            return .ed25519(publicBlob: publicBlob, seed: Array(privateKey.prefix(32)))
        case "ssh-rsa":
            let modulus = try secret.mpint(), exponent = try secret.mpint(), privateExponent = try secret.mpint()
            return .rsa(publicBlob: publicBlob, modulus: modulus, publicExponent: exponent, privateExponent: privateExponent)
        default:
            throw .unsupported("SSH key type \(type) (age supports ssh-ed25519 and ssh-rsa)")
        }
    }
}
