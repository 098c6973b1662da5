import COpenSSL

/// Thin, typed wrappers over the libcrypto primitives age and SOPS need.
///
/// Every function either returns a complete result or throws; failures never leave partial output behind.
enum LibCrypto {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ what: String) { description = what }
    }

    /// Bytes from the OS CSPRNG (OpenSSL seeds from getrandom), or from the task's `SeededRandomStream`
    /// while a benchmark fleet is generated.
    static func randomBytes(_ count: Int) throws -> [UInt8] {
        if let stream = SeededRandomStream.current { return stream.bytes(count) }
        var out = [UInt8](repeating: 0, count: count)
        if count > 0 {
            guard RAND_bytes(&out, Int32(count)) == 1 else { throw Failure("the system random generator failed") }
        }
        return out
    }

    static func digest(_ md: OpaquePointer, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = data.withUnsafeBufferPointer { EVP_Digest($0.baseAddress, $0.count, &out, &length, md, nil) }
        return Array(out.prefix(Int(length)))
    }

    static func sha512(_ data: [UInt8]) -> [UInt8] { digest(FetchedAlgorithms.shared.sha512, data) }

    /// SHA-256 for the rare uses that need it (SSH key tags): looked up per call.
    static func sha256(_ data: [UInt8]) -> [UInt8] { digest(EVP_sha256(), data) }

    static func hmacSHA256(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        guard let ctx = EVP_MAC_CTX_dup(FetchedAlgorithms.shared.hmacSHA256Template) else { return [] }
        defer { EVP_MAC_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: 32)
        var length = 0
        guard EVP_MAC_init(ctx, key, key.count, nil) == 1, EVP_MAC_update(ctx, data, data.count) == 1,
              EVP_MAC_final(ctx, &out, &length, 32) == 1, length == 32 else { return [] }
        return out
    }

    /// HKDF-SHA-256 (RFC 5869), extract and expand, over the fetched HMAC: OpenSSL 3.0's HKDF contexts
    /// cannot be duplicated, and a fresh one looks its digest up by name.
    static func hkdfSHA256(secret: [UInt8], salt: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        guard length > 0, length <= 255 * 32 else { throw Failure("HKDF output length") }
        // An empty salt means HashLen zero bytes.
        var pseudorandomKey = hmacSHA256(key: salt.isEmpty ? [UInt8](repeating: 0, count: 32) : salt, secret)
        defer { OPENSSL_cleanse(&pseudorandomKey, pseudorandomKey.count) }
        guard pseudorandomKey.count == 32 else { throw Failure("HKDF failed") }
        var out: [UInt8] = []
        out.reserveCapacity(length + 32)
        var block: [UInt8] = []
        var counter: UInt8 = 1
        while out.count < length {
            block = hmacSHA256(key: pseudorandomKey, block + info + [counter])
            guard block.count == 32 else { throw Failure("HKDF failed") }
            out += block
            counter &+= 1
        }
        return Array(out.prefix(length))
    }

    enum AEAD {
        case chacha20Poly1305
        case aes256GCM

        var cipher: OpaquePointer {
            switch self {
            case .chacha20Poly1305: return FetchedAlgorithms.shared.chacha20Poly1305
            case .aes256GCM: return FetchedAlgorithms.shared.aes256GCM
            }
        }
    }

    /// Encrypts and appends the 16-byte tag.
    static func seal(_ aead: AEAD, key: [UInt8], nonce: [UInt8], plaintext: [UInt8], aad: [UInt8] = []) throws -> [UInt8] {
        guard let ctx = EVP_CIPHER_CTX_new() else { throw Failure("cipher context") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var length: Int32 = 0
        guard EVP_EncryptInit_ex(ctx, aead.cipher, nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonce.count), nil) == 1,
              EVP_EncryptInit_ex(ctx, nil, nil, key, nonce) == 1
        else { throw Failure("cipher init") }
        if !aad.isEmpty {
            guard EVP_EncryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1 else { throw Failure("cipher aad") }
        }
        var total = 0
        if !plaintext.isEmpty {
            guard (out.withUnsafeMutableBufferPointer { EVP_EncryptUpdate(ctx, $0.baseAddress, &length, plaintext, Int32(plaintext.count)) }) == 1
            else { throw Failure("cipher update") }
            total = Int(length)
        }
        guard (out.withUnsafeMutableBufferPointer { EVP_EncryptFinal_ex(ctx, $0.baseAddress! + total, &length) }) == 1
        else { throw Failure("cipher final") }
        total += Int(length)
        guard (out.withUnsafeMutableBufferPointer { EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, $0.baseAddress! + total) }) == 1
        else { throw Failure("cipher tag") }
        return Array(out.prefix(total + 16))
    }

    /// Verifies the trailing 16-byte tag and decrypts; nil when authentication fails.
    static func open(_ aead: AEAD, key: [UInt8], nonce: [UInt8], sealed: [UInt8], aad: [UInt8] = []) throws -> [UInt8]? {
        guard sealed.count >= 16 else { return nil }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw Failure("cipher context") }
        defer { EVP_CIPHER_CTX_free(ctx) }
        let ciphertext = Array(sealed.prefix(sealed.count - 16))
        var tag = Array(sealed.suffix(16))
        var out = [UInt8](repeating: 0, count: ciphertext.count + 16)
        var length: Int32 = 0
        guard EVP_DecryptInit_ex(ctx, aead.cipher, nil, nil, nil) == 1,
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonce.count), nil) == 1,
              EVP_DecryptInit_ex(ctx, nil, nil, key, nonce) == 1
        else { throw Failure("cipher init") }
        if !aad.isEmpty {
            guard EVP_DecryptUpdate(ctx, nil, &length, aad, Int32(aad.count)) == 1 else { throw Failure("cipher aad") }
        }
        var total = 0
        if !ciphertext.isEmpty {
            guard (out.withUnsafeMutableBufferPointer { EVP_DecryptUpdate(ctx, $0.baseAddress, &length, ciphertext, Int32(ciphertext.count)) }) == 1
            else { return nil }
            total = Int(length)
        }
        guard EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, &tag) == 1 else { throw Failure("cipher tag") }
        guard (out.withUnsafeMutableBufferPointer { EVP_DecryptFinal_ex(ctx, $0.baseAddress! + total, &length) }) == 1
        else { return nil }
        total += Int(length)
        return Array(out.prefix(total))
    }

    /// Constant-time comparison for MACs.
    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return CRYPTO_memcmp(a, b, a.count) == 0
    }
}
