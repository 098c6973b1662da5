import Diagnostics

/// An SSH private key used as an age identity (age's agessh): ssh-ed25519 stanzas through X25519 with
/// a tweak bound to the SSH public key, ssh-rsa stanzas through RSA-OAEP-SHA-256. Stanzas name the key by
/// a tag, the first four bytes of the SHA-256 of its public key blob.
struct SSHIdentity: Sendable {
    static let ed25519Label = Array("age-encryption.org/v1/ssh-ed25519".utf8)
    static let rsaLabel = Array("age-encryption.org/v1/ssh-rsa".utf8)

    private enum Key: Sendable {
        /// The X25519 scalar derived from the Ed25519 seed, its public point and the per-key tweak.
        case ed25519(key: X25519PrivateKey, publicKey: [UInt8], tweak: [UInt8])
        case rsa(modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8])
    }

    private let key: Key
    private let tag: String
    let keyType: String
    /// The public key line (`ssh-ed25519 AAAA…`), as a sops file names the recipient.
    let recipient: String

    init(_ parsed: OpenSSHPrivateKey) throws {
        let blob = parsed.publicBlob
        tag = Base64.encode(Array(LibCrypto.sha256(blob).prefix(4)), padded: false)
        switch parsed {
        case .ed25519(_, let seed):
            // Ed25519's secret scalar is the first half of SHA-512(seed); X25519 clamps it the same way.
            let scalar = Array(LibCrypto.sha512(seed).prefix(32))
            let x25519 = try X25519PrivateKey(scalar: scalar)
            let tweak = try LibCrypto.hkdfSHA256(secret: [], salt: blob, info: Self.ed25519Label, length: 32)
            key = .ed25519(key: x25519, publicKey: x25519.publicKey, tweak: tweak)
            keyType = "ssh-ed25519"
        case .rsa(_, let modulus, let publicExponent, let privateExponent):
            key = .rsa(modulus: modulus, publicExponent: publicExponent, privateExponent: privateExponent)
            keyType = "ssh-rsa"
        }
        recipient = keyType + " " + Base64.encode(blob, padded: true)
    }

    func unwrap(_ stanza: AgeFile.Stanza) throws -> [UInt8]? {
        guard stanza.type == keyType, stanza.arguments.first == tag else { return nil }
        switch key {
        case .ed25519(let key, let publicKey, let tweak):
            guard stanza.arguments.count == 2, let share = Base64.decode(stanza.arguments[1], padded: false),
                  share.count == 32, stanza.body.count == 32
            else { throw Diagnostic.error("age: malformed ssh-ed25519 recipient stanza") }
            guard let shared = try? key.sharedSecret(peerPublicKey: share),
                  let tweaked = try? X25519PrivateKey(scalar: tweak).sharedSecret(peerPublicKey: shared) else { return nil }
            let wrapKey = try LibCrypto.hkdfSHA256(secret: tweaked, salt: share + publicKey, info: Self.ed25519Label, length: 32)
            return try LibCrypto.open(.chacha20Poly1305, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12), sealed: stanza.body)
        case .rsa(let modulus, let publicExponent, let privateExponent):
            guard stanza.arguments.count == 1 else { throw Diagnostic.error("age: malformed ssh-rsa recipient stanza") }
            return RSAOAEP.decrypt(stanza.body, modulus: modulus, publicExponent: publicExponent,
                                   privateExponent: privateExponent, label: Self.rsaLabel)
        }
    }
}
