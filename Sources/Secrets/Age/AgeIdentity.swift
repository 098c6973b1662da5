import Diagnostics

/// A key that opens age files: an X25519 identity (`AGE-SECRET-KEY-1…`), or an SSH key as age uses it
/// (ssh-ed25519, ssh-rsa). Key material never appears in descriptions or errors.
public struct AgeIdentity: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case x25519(scalar: [UInt8], key: X25519PrivateKey, publicKey: [UInt8])
        case ssh(SSHIdentity)
        /// A key that was found but cannot be used (a passphrase-protected SSH key): it opens nothing and
        /// says why when no other key could decrypt.
        case unusable(String)
    }

    let kind: Kind
    /// The matching recipient: `age1…`, or the SSH public key line.
    public let recipient: String

    init(scalar: [UInt8]) throws {
        let key = try X25519PrivateKey(scalar: scalar)
        kind = .x25519(scalar: scalar, key: key, publicKey: key.publicKey)
        recipient = Bech32.encode(hrp: "age", data: key.publicKey)
    }

    init(ssh: SSHIdentity) {
        kind = .ssh(ssh)
        recipient = ssh.recipient
    }

    init(unusable reason: String) {
        kind = .unusable(reason)
        recipient = ""
    }

    /// Why this key cannot be used, for a key that was found but is not supported.
    public var unusableReason: String? {
        if case .unusable(let reason) = kind { return reason }
        return nil
    }

    /// Parses one identity line (surrounding whitespace allowed).
    public static func parse(_ text: String) throws -> AgeIdentity {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.uppercased().hasPrefix("AGE-SECRET-KEY-1") else {
            if trimmed.hasPrefix("AGE-PLUGIN-") || trimmed.hasPrefix("AGE-SECRET-KEY-PQ-") {
                throw Diagnostic.error("age plugin and post-quantum identities are not supported (talos-batch supports age X25519 and SSH keys)")
            }
            throw Diagnostic.error("not an age identity (expected a line starting with AGE-SECRET-KEY-1)")
        }
        let decoded: (hrp: String, data: [UInt8])
        do {
            decoded = try Bech32.decode(trimmed)
        } catch Bech32.Failure.badChecksum {
            throw Diagnostic.error("invalid age identity: bad Bech32 checksum")
        } catch {
            throw Diagnostic.error("invalid age identity: malformed Bech32 (\(error))")
        }
        guard decoded.hrp == "age-secret-key-", decoded.data.count == 32 else {
            throw Diagnostic.error("invalid age identity: expected a 32-byte X25519 key")
        }
        return try AgeIdentity(scalar: decoded.data)
    }

    /// A fresh identity from the OS CSPRNG.
    public static func generate() throws -> AgeIdentity {
        try AgeIdentity(scalar: LibCrypto.randomBytes(32))
    }

    /// The `AGE-SECRET-KEY-1…` encoding, for writing key files (never for logs); empty for SSH keys.
    public var secretKeyString: String {
        guard case .x25519(let scalar, _, _) = kind else { return "" }
        return Bech32.encode(hrp: "age-secret-key-", data: scalar).uppercased()
    }

    /// The file key from one recipient stanza, or nil when the stanza is not for this key.
    func unwrap(_ stanza: AgeFile.Stanza) throws -> [UInt8]? {
        switch kind {
        case .x25519(_, let key, let publicKey):
            guard stanza.type == "X25519" else { return nil }
            guard stanza.arguments.count == 1, let share = Base64.decode(stanza.arguments[0], padded: false),
                  share.count == 32, stanza.body.count == 32
            else { throw Diagnostic.error("age: malformed X25519 recipient stanza") }
            guard let shared = try? key.sharedSecret(peerPublicKey: share) else { return nil }
            let wrapKey = try LibCrypto.hkdfSHA256(secret: shared, salt: share + publicKey, info: AgeFile.x25519Label, length: 32)
            return try LibCrypto.open(.chacha20Poly1305, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12), sealed: stanza.body)
        case .ssh(let identity):
            return try identity.unwrap(stanza)
        case .unusable:
            return nil
        }
    }

    public var description: String {
        switch kind {
        case .x25519: return "age identity for \(recipient)"
        case .ssh(let identity): return "SSH key \(identity.keyType)"
        case .unusable(let reason): return reason
        }
    }
}

/// An age X25519 recipient (`age1…`).
public struct AgeRecipient: Sendable, Hashable, CustomStringConvertible {
    let publicKey: [UInt8]
    public let string: String

    public static func parse(_ text: String) throws -> AgeRecipient {
        let trimmed = text.trimmingASCIIWhitespace()
        let decoded: (hrp: String, data: [UInt8])
        do {
            decoded = try Bech32.decode(trimmed)
        } catch Bech32.Failure.badChecksum {
            throw Diagnostic.error("invalid age recipient '\(trimmed)': bad Bech32 checksum")
        } catch {
            throw Diagnostic.error("invalid age recipient '\(trimmed)': malformed Bech32")
        }
        guard decoded.hrp == "age", decoded.data.count == 32 else {
            throw Diagnostic.error("invalid age recipient '\(trimmed)': expected age1… with a 32-byte X25519 key")
        }
        return AgeRecipient(publicKey: decoded.data, string: Bech32.encode(hrp: "age", data: decoded.data))
    }

    public var description: String { string }
}

extension StringProtocol {
    func trimmingASCIIWhitespace() -> String {
        let bytes = Array(utf8)
        let isSpace: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = bytes.lastIndex(where: { !isSpace($0) })!
        return String(decoding: bytes[start...end], as: UTF8.self)
    }
}
