import COpenSSL

/// A private key (Ed25519, ECDSA P-256 or RSA) owned by this value; freed with it.
final class X509Key: @unchecked Sendable {
    enum Algorithm: String { case ed25519 = "Ed25519", ecdsaP256 = "ECDSA P-256", rsa = "RSA" }

    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }

    static func generate(_ algorithm: Algorithm, rsaBits: Int32 = 4096) throws -> X509Key {
        let ctx: OpaquePointer?
        switch algorithm {
        case .ed25519: ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil)
        case .ecdsaP256: ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_EC, nil)
        case .rsa: ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nil)
        }
        guard let ctx else { throw LibCrypto.Failure("key generation unavailable") }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_keygen_init(ctx) == 1 else { throw LibCrypto.Failure("key generation init") }
        switch algorithm {
        case .ecdsaP256:
            guard EVP_PKEY_CTX_set_ec_paramgen_curve_nid(ctx, NID_X9_62_prime256v1) == 1,
                  EVP_PKEY_CTX_set_ec_param_enc(ctx, OPENSSL_EC_NAMED_CURVE) == 1
            else { throw LibCrypto.Failure("EC parameters") }
        case .rsa:
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, rsaBits) == 1 else { throw LibCrypto.Failure("RSA parameters") }
        case .ed25519:
            break
        }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen(ctx, &key) == 1, let key else { throw LibCrypto.Failure("key generation failed") }
        return X509Key(key)
    }

    /// Parses a PEM private key: PKCS#8 (`PRIVATE KEY`, Talos' `ED25519 PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`)
    /// or PKCS#1 (`RSA PRIVATE KEY`).
    static func parse(pem: String) throws -> X509Key {
        guard let block = PEMBlock.parseAll(pem).first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw LibCrypto.Failure("no PEM private key block")
        }
        let key: OpaquePointer? = block.der.withUnsafeBufferPointer { buffer in
            var p: UnsafePointer<UInt8>? = buffer.baseAddress
            switch block.label {
            case "EC PRIVATE KEY": return d2i_PrivateKey(EVP_PKEY_EC, nil, &p, buffer.count)
            case "RSA PRIVATE KEY": return d2i_PrivateKey(EVP_PKEY_RSA, nil, &p, buffer.count)
            default: return d2i_AutoPrivateKey(nil, &p, buffer.count)
            }
        }
        guard let key else { throw LibCrypto.Failure("the \(block.label) block does not hold a valid key") }
        return X509Key(key)
    }

    var algorithm: Algorithm? {
        switch EVP_PKEY_get_base_id(pointer) {
        case EVP_PKEY_ED25519: return .ed25519
        case EVP_PKEY_EC: return .ecdsaP256
        case EVP_PKEY_RSA: return .rsa
        default: return nil
        }
    }

    /// PEM as Talos writes it: Ed25519 as PKCS#8 under `ED25519 PRIVATE KEY`, EC as SEC1, RSA as PKCS#1.
    func pem() throws -> String {
        let label: String
        switch algorithm {
        case .ed25519: label = "ED25519 PRIVATE KEY"
        case .ecdsaP256: label = "EC PRIVATE KEY"
        case .rsa: label = "RSA PRIVATE KEY"
        case nil: throw LibCrypto.Failure("unsupported key type")
        }
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_PrivateKey(pointer, &out)
        guard length > 0, let out else { throw LibCrypto.Failure("key encoding failed") }
        defer { CRYPTO_free(out, #fileID, #line) }
        return PEMBlock(label: label, der: Array(UnsafeBufferPointer(start: out, count: Int(length)))).encoded
    }
}
