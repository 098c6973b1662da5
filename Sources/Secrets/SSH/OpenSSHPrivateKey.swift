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

    static func parse(_ text: [UInt8]) throws(Failure) -> OpenSSHPrivateKey {
        let blocks = PEMBlock.parseAll(text)
        if blocks.contains(where: { $0.label.hasSuffix("PRIVATE KEY") && $0.label != "OPENSSH PRIVATE KEY" }) {
            if String(decoding: text, as: UTF8.self).contains("ENCRYPTED") { throw .passphraseProtected }
            throw .unsupported("only keys in OpenSSH's own format are supported (convert with ssh-keygen -p -f FILE)")
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
