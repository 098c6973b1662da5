import Diagnostics

/// The age v1 file format (C2SP age.md): X25519 recipient stanzas, header HMAC, STREAM payload,
/// binary or ASCII-armored.
public enum AgeFile {
    static let intro = "age-encryption.org/v1"
    static let armorBegin = "-----BEGIN AGE ENCRYPTED FILE-----"
    static let armorEnd = "-----END AGE ENCRYPTED FILE-----"
    static let chunkSize = 64 * 1024
    static let x25519Label = Array("age-encryption.org/v1/X25519".utf8)

    struct Stanza {
        var type: String
        var arguments: [String]
        var body: [UInt8]
    }

    private static func failure(_ message: String) -> Diagnostic { .error("age: \(message)") }

    // MARK: Decryption

    /// Decrypts a binary or armored age file with the first identity that unwraps a stanza.
    public static func decrypt(_ input: [UInt8], identities: [AgeIdentity]) throws -> [UInt8] {
        let binary = try isArmored(input) ? dearmor(input) : input
        let (stanzas, macInput, mac, payloadStart) = try parseHeader(binary)
        guard !identities.isEmpty else { throw failure("no age identity available to decrypt with") }
        var fileKey: [UInt8]?
        search: for stanza in stanzas {
            for identity in identities {
                if let key = try identity.unwrap(stanza) {
                    fileKey = key
                    break search
                }
            }
        }
        guard let fileKey else {
            throw failure("no identity matched any of the file's recipients (wrong key?)")
        }
        let macKey = try LibCrypto.hkdfSHA256(secret: fileKey, salt: [], info: Array("header".utf8), length: 32)
        guard LibCrypto.equalInConstantTime(LibCrypto.hmacSHA256(key: macKey, macInput), mac) else {
            throw failure("header MAC mismatch: the header was modified")
        }
        return try decryptPayload(Array(binary[payloadStart...]), fileKey: fileKey)
    }

    static func isArmored(_ input: [UInt8]) -> Bool {
        let text = input.drop { $0 == 32 || $0 == 9 || $0 == 10 || $0 == 13 }
        return text.starts(with: Array(armorBegin.utf8))
    }

    /// Strict armor: begin line, 64-column padded base64 lines (the last shorter), end line.
    static func dearmor(_ input: [UInt8]) throws -> [UInt8] {
        let text = String(decoding: input, as: UTF8.self).trimmingASCIIWhitespace()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        guard lines.first == Substring(armorBegin), lines.last == Substring(armorEnd), lines.count >= 3 else {
            throw failure("malformed armor (missing BEGIN/END lines: truncated file?)")
        }
        lines = Array(lines.dropFirst().dropLast())
        for (index, line) in lines.enumerated() {
            let isLast = index == lines.count - 1
            guard isLast ? (line.count <= 64 && !line.isEmpty) : line.count == 64 else {
                throw failure("malformed armor: line \(index + 2) has the wrong length")
            }
        }
        guard let bytes = Base64.decode(lines.joined(), padded: true) else {
            throw failure("malformed armor: invalid base64")
        }
        return bytes
    }

    static func parseHeader(_ data: [UInt8]) throws -> (stanzas: [Stanza], macInput: [UInt8], mac: [UInt8], payloadStart: Int) {
        var position = 0
        func readLine() throws -> String {
            guard let newline = data[position...].firstIndex(of: 10) else {
                throw failure("truncated header")
            }
            let line = String(decoding: data[position..<newline], as: UTF8.self)
            position = newline + 1
            return line
        }
        guard try readLine() == intro else { throw failure("not an age v1 file (bad version line)") }
        var stanzas: [Stanza] = []
        while true {
            let lineStart = position
            let line = try readLine()
            if line.hasPrefix("--- ") {
                guard let mac = Base64.decode(line.dropFirst(4), padded: false), mac.count == 32 else {
                    throw failure("malformed header MAC")
                }
                return (stanzas, Array(data[0..<(lineStart + 3)]), mac, position)
            }
            guard line.hasPrefix("-> ") else { throw failure("malformed header line") }
            let parts = line.dropFirst(3).split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            guard let type = parts.first, !type.isEmpty, parts.allSatisfy({ !$0.isEmpty }) else {
                throw failure("malformed stanza")
            }
            var body: [UInt8] = []
            while true {
                let bodyLine = try readLine()
                guard bodyLine.utf8.count <= 64, let chunk = Base64.decode(bodyLine, padded: false) else {
                    throw failure("malformed stanza body")
                }
                body += chunk
                if bodyLine.utf8.count < 64 { break }
            }
            stanzas.append(Stanza(type: type, arguments: Array(parts.dropFirst()), body: body))
        }
    }

    static func streamNonce(_ counter: UInt64, last: Bool) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { nonce[10 - i] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * i)) }
        nonce[11] = last ? 1 : 0
        return nonce
    }

    static func decryptPayload(_ payload: [UInt8], fileKey: [UInt8]) throws -> [UInt8] {
        guard payload.count >= 16 else { throw failure("truncated payload (no nonce)") }
        let key = try LibCrypto.hkdfSHA256(secret: fileKey, salt: Array(payload[0..<16]), info: Array("payload".utf8), length: 32)
        let sealedChunk = chunkSize + 16
        var output: [UInt8] = []
        output.reserveCapacity(payload.count)
        var offset = 16
        var counter: UInt64 = 0
        guard payload.count > offset else { throw failure("truncated payload (no chunks)") }
        while offset < payload.count {
            let end = min(offset + sealedChunk, payload.count)
            let last = end == payload.count
            let chunk = Array(payload[offset..<end])
            guard chunk.count >= 16 else { throw failure("truncated payload chunk") }
            guard let plain = try LibCrypto.open(.chacha20Poly1305, key: key, nonce: streamNonce(counter, last: last), sealed: chunk) else {
                throw failure(last ? "payload authentication failed (truncated or modified file)" : "payload chunk \(counter) authentication failed")
            }
            if last && plain.isEmpty && counter > 0 { throw failure("payload ends with an empty chunk") }
            output += plain
            offset = end
            counter += 1
        }
        return output
    }

    // MARK: Encryption

    /// Encrypts to X25519 recipients; armored output is what SOPS stores in its metadata.
    public static func encrypt(_ plaintext: [UInt8], recipients: [AgeRecipient], armored: Bool) throws -> [UInt8] {
        guard !recipients.isEmpty else { throw failure("no recipients") }
        let fileKey = try LibCrypto.randomBytes(16)
        var header = intro + "\n"
        for recipient in recipients {
            let ephemeral = try X25519PrivateKey(scalar: try LibCrypto.randomBytes(32))
            let share = ephemeral.publicKey
            let shared = try ephemeral.sharedSecret(peerPublicKey: recipient.publicKey)
            let wrapKey = try LibCrypto.hkdfSHA256(secret: shared, salt: share + recipient.publicKey, info: x25519Label, length: 32)
            let body = try LibCrypto.seal(.chacha20Poly1305, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12), plaintext: fileKey)
            header += "-> X25519 \(Base64.encode(share, padded: false))\n"
            header += wrapped(Base64.encode(body, padded: false)) + "\n"
        }
        header += "---"
        let macKey = try LibCrypto.hkdfSHA256(secret: fileKey, salt: [], info: Array("header".utf8), length: 32)
        let mac = LibCrypto.hmacSHA256(key: macKey, Array(header.utf8))
        header += " \(Base64.encode(mac, padded: false))\n"
        let nonce = try LibCrypto.randomBytes(16)
        let payloadKey = try LibCrypto.hkdfSHA256(secret: fileKey, salt: nonce, info: Array("payload".utf8), length: 32)
        var out = Array(header.utf8) + nonce
        var offset = 0
        var counter: UInt64 = 0
        repeat {
            let end = min(offset + chunkSize, plaintext.count)
            let last = end == plaintext.count
            out += try LibCrypto.seal(.chacha20Poly1305, key: payloadKey, nonce: streamNonce(counter, last: last),
                                      plaintext: Array(plaintext[offset..<end]))
            offset = end
            counter += 1
        } while offset < plaintext.count
        guard armored else { return out }
        return Array((armorBegin + "\n" + armorLines(Base64.encode(out, padded: true)) + armorEnd + "\n").utf8)
    }

    /// Armor body: 64-column lines, each ending in a newline, the last possibly shorter.
    private static func armorLines(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out = ""
        var index = 0
        while index < bytes.count {
            let end = min(index + 64, bytes.count)
            out += String(decoding: bytes[index..<end], as: UTF8.self) + "\n"
            index = end
        }
        return out
    }

    /// 64-column lines; the final line is always shorter than 64 (empty when the text fills whole lines).
    private static func wrapped(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var lines: [String] = []
        var index = 0
        while bytes.count - index >= 64 {
            lines.append(String(decoding: bytes[index..<(index + 64)], as: UTF8.self))
            index += 64
        }
        lines.append(String(decoding: bytes[index...], as: UTF8.self))
        return lines.joined(separator: "\n")
    }
}
