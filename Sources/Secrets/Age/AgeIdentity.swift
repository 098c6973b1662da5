import Diagnostics

/// An age X25519 identity (`AGE-SECRET-KEY-1…`). The scalar never appears in descriptions or errors.
public struct AgeIdentity: Sendable, CustomStringConvertible {
    let scalar: [UInt8]
    /// The matching recipient, `age1…`.
    public let recipient: String
    let publicKey: [UInt8]
    /// The scalar as an OpenSSL key, made once.
    let key: X25519PrivateKey

    init(scalar: [UInt8]) throws {
        self.scalar = scalar
        key = try X25519PrivateKey(scalar: scalar)
        publicKey = key.publicKey
        recipient = Bech32.encode(hrp: "age", data: publicKey)
    }

    /// Parses one identity line (surrounding whitespace allowed).
    public static func parse(_ text: String) throws -> AgeIdentity {
        let trimmed = text.trimmingASCIIWhitespace()
        guard trimmed.uppercased().hasPrefix("AGE-SECRET-KEY-1") else {
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

    /// The `AGE-SECRET-KEY-1…` encoding, for writing key files (never for logs).
    public var secretKeyString: String {
        Bech32.encode(hrp: "age-secret-key-", data: scalar).uppercased()
    }

    public var description: String { "age identity for \(recipient)" }
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
