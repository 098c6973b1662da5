import COpenSSL

/// Whether a private key belongs to a certificate, on the exact-type paths: the public key the private key
/// implies (Ed25519 from its seed, P-256 as d·G) against the certificate's subject public key. `nil` when
/// the shapes are not ones this path knows; the caller then asks OpenSSL's generic path.
enum KeyPairCheck {
    static func matches(_ certificate: CertificateDER, _ key: PrivateKeyDER) -> Bool? {
        switch (certificate.keyType, key) {
        case (.ed25519, .ed25519(let seed)):
            guard let derived = ed25519PublicKey(seed: seed) else { return nil }
            return derived[...] == certificate.publicKey
        case (.p256, .p256(let scalar, let embedded)):
            guard let derived = P256.shared.publicKey(scalar: scalar) else { return nil }
            // A SEC1 key may carry its public point; it must be the one its scalar gives.
            if let embedded, embedded != derived[...] { return nil }
            return derived[...] == certificate.publicKey
        case (.other, _):
            return nil
        case (.ed25519, _), (.p256, _):
            // A key of another type never matches; RSA and unknown shapes get the generic verdict.
            if case .rsa = key { return nil }
            return false
        }
    }

    /// The Ed25519 public key of a 32-byte seed.
    static func ed25519PublicKey(seed: ArraySlice<UInt8>) -> [UInt8]? {
        guard let key = X509Key.ed25519(seed: seed) else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(key.pointer, &out, &length) == 1, length == 32 else { return nil }
        return out
    }

    /// A structurally valid key of a known shape whose numbers are consistent (RSA: n = p·q; P-256: the
    /// scalar is in range). `nil` means "ask the generic path".
    static func isConsistent(_ key: PrivateKeyDER) -> Bool? {
        switch key {
        case .ed25519:
            return true
        case .p256(let scalar, _):
            // In range is all `publicKey(scalar:)` asks of a scalar; its point is not needed here (one P-256
            // multiplication less per bundle: the service-account key is checked this way).
            return P256.shared.isPrivateScalar(scalar) ? true : nil
        case .rsa(let modulus, let prime1, let prime2):
            guard let context = BN_CTX_new() else { return nil }
            defer { BN_CTX_free(context) }
            func number(_ bytes: ArraySlice<UInt8>) -> OpaquePointer? {
                bytes.withUnsafeBufferPointer { BN_bin2bn($0.baseAddress, Int32($0.count), nil) }
            }
            guard let n = number(modulus), let p = number(prime1), let q = number(prime2), let product = BN_new() else { return nil }
            defer { BN_free(n); BN_clear_free(p); BN_clear_free(q); BN_clear_free(product) }
            guard BN_mul(product, p, q, context) == 1 else { return nil }
            return BN_cmp(product, n) == 0 ? true : nil
        }
    }
}
