import COpenSSL

/// Thin, typed wrappers over the libcrypto primitives age and SOPS need.
///
/// Every function either returns a complete result or throws; failures never leave partial output behind.
enum LibCrypto {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ what: String) { description = what }
    }

    /// Bytes from the OS CSPRNG (OpenSSL seeds from getrandom).
    static func randomBytes(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        if count > 0 {
            guard RAND_bytes(&out, Int32(count)) == 1 else { throw Failure("the system random generator failed") }
        }
        return out
    }

    static func digest(_ md: OpaquePointer?, _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = data.withUnsafeBufferPointer { EVP_Digest($0.baseAddress, $0.count, &out, &length, md, nil) }
        return Array(out.prefix(Int(length)))
    }

    static func sha256(_ data: [UInt8]) -> [UInt8] { digest(EVP_sha256(), data) }
    static func sha512(_ data: [UInt8]) -> [UInt8] { digest(EVP_sha512(), data) }

    static func hmacSHA256(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        _ = key.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), d.baseAddress, d.count, &out, &length)
            }
        }
        return Array(out.prefix(Int(length)))
    }

    /// HKDF-SHA-256 (RFC 5869), extract and expand.
    static func hkdfSHA256(secret: [UInt8], salt: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nil) else { throw Failure("HKDF unavailable") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: length)
        var outLength = length
        // An empty salt means "HashLen zero bytes" in RFC 5869; say so explicitly for OpenSSL.
        let effectiveSalt = salt.isEmpty ? [UInt8](repeating: 0, count: 32) : salt
        guard EVP_PKEY_derive_init(ctx) == 1,
              EVP_PKEY_CTX_set_hkdf_md(ctx, EVP_sha256()) == 1,
              EVP_PKEY_CTX_set1_hkdf_salt(ctx, effectiveSalt, Int32(effectiveSalt.count)) == 1,
              EVP_PKEY_CTX_set1_hkdf_key(ctx, secret, Int32(secret.count)) == 1,
              EVP_PKEY_CTX_add1_hkdf_info(ctx, info, Int32(info.count)) == 1,
              EVP_PKEY_derive(ctx, &out, &outLength) == 1, outLength == length
        else { throw Failure("HKDF failed") }
        return out
    }

    enum AEAD {
        case chacha20Poly1305
        case aes256GCM

        var cipher: OpaquePointer? {
            switch self {
            case .chacha20Poly1305: return EVP_chacha20_poly1305()
            case .aes256GCM: return EVP_aes_256_gcm()
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

    /// X25519: the public key of a 32-byte scalar.
    static func x25519PublicKey(privateKey: [UInt8]) throws -> [UInt8] {
        guard let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, privateKey, privateKey.count)
        else { throw Failure("invalid X25519 private key") }
        defer { EVP_PKEY_free(key) }
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(key, &out, &length) == 1, length == 32 else { throw Failure("X25519 public key") }
        return out
    }

    /// X25519 Diffie-Hellman; throws for a low-order peer point (all-zero shared secret), as age requires.
    static func x25519(privateKey: [UInt8], peerPublicKey: [UInt8]) throws -> [UInt8] {
        guard let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, privateKey, privateKey.count),
              let peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, peerPublicKey, peerPublicKey.count)
        else { throw Failure("invalid X25519 key") }
        defer { EVP_PKEY_free(key); EVP_PKEY_free(peer) }
        guard let ctx = EVP_PKEY_CTX_new(key, nil) else { throw Failure("X25519 context") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_derive_init(ctx) == 1, EVP_PKEY_derive_set_peer(ctx, peer) == 1,
              EVP_PKEY_derive(ctx, &out, &length) == 1, length == 32
        else { throw Failure("X25519 key agreement failed") }
        guard out.contains(where: { $0 != 0 }) else { throw Failure("X25519 low-order point") }
        return out
    }

    /// Constant-time comparison for MACs.
    static func equalInConstantTime(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        return CRYPTO_memcmp(a, b, a.count) == 0
    }
}
