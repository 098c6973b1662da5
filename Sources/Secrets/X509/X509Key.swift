import COpenSSL

/// A private key (Ed25519, ECDSA P-256 or RSA) owned by this value; freed with it.
final class X509Key: @unchecked Sendable {
    enum Algorithm: String { case ed25519 = "Ed25519", ecdsaP256 = "ECDSA P-256", rsa = "RSA" }

    let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }
    deinit { EVP_PKEY_free(pointer) }

    static func generate(_ algorithm: Algorithm, rsaBits: Int32 = 4096) throws -> X509Key {
        // An Ed25519 private key is 32 random bytes (RFC 8032 §5.1.5).
        if algorithm == .ed25519 {
            guard let key = ed25519(seed: try LibCrypto.randomBytes(32)[...]) else { throw LibCrypto.Failure("key generation failed") }
            return key
        }
        // A benchmark fleet's keys follow from its seed: the scalar comes from the seeded stream.
        if algorithm == .ecdsaP256, SeededRandomStream.current != nil { return try seededP256() }
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
    /// or PKCS#1 (`RSA PRIVATE KEY`). An Ed25519 key takes the raw-key path; others OpenSSL's decoders.
    static func parse(pem: String) throws -> X509Key {
        guard let block = PEMBlock.parseAll(pem).first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw LibCrypto.Failure("no PEM private key block")
        }
        return try parse(block)
    }

    static func parse(_ block: PEMBlock) throws -> X509Key {
        if case .ed25519(let seed)? = PrivateKeyDER(label: block.label, der: block.der), let key = ed25519(seed: seed) {
            return key
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

    /// A P-256 key whose scalar is drawn (by rejection, uniform in [1, n-1]) from `LibCrypto.randomBytes`.
    private static func seededP256() throws -> X509Key {
        var scalar: [UInt8] = []
        var point: [UInt8]?
        while point == nil {
            scalar = try LibCrypto.randomBytes(32)
            point = P256.shared.publicKey(scalar: scalar[...])
        }
        guard let point, let builder = OSSL_PARAM_BLD_new() else { throw LibCrypto.Failure("key generation failed") }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard let d = BN_bin2bn(scalar, 32, nil) else { throw LibCrypto.Failure("key generation failed") }
        defer { BN_clear_free(d) }
        // The builder keeps the name and string pointers until `to_param`: they must outlive this call.
        let names = ParameterNames.shared
        guard OSSL_PARAM_BLD_push_utf8_string(builder, names.group, names.prime256v1, 0) == 1,
              OSSL_PARAM_BLD_push_BN(builder, names.privateKey, d) == 1,
              point.withUnsafeBufferPointer({ OSSL_PARAM_BLD_push_octet_string(builder, names.publicKey, $0.baseAddress, 65) }) == 1,
              let parameters = OSSL_PARAM_BLD_to_param(builder) else { throw LibCrypto.Failure("key generation failed") }
        defer { OSSL_PARAM_free(parameters) }
        guard let ctx = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else { throw LibCrypto.Failure("key generation failed") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(ctx) == 1, EVP_PKEY_fromdata(ctx, &key, Self.keyPairSelection, parameters) == 1, let key else {
            throw LibCrypto.Failure("key generation failed")
        }
        return X509Key(key)
    }

    /// The private scalar of a P-256 key (32 bytes, big-endian).
    func p256PrivateScalar() throws -> [UInt8] {
        var d: OpaquePointer?
        guard algorithm == .ecdsaP256, EVP_PKEY_get_bn_param(pointer, "priv", &d) == 1, let d else {
            throw LibCrypto.Failure("not a P-256 private key")
        }
        defer { BN_clear_free(d) }
        var out = [UInt8](repeating: 0, count: 32)
        guard BN_bn2binpad(d, &out, 32) == 32 else { throw LibCrypto.Failure("not a P-256 private key") }
        return out
    }

    /// An Ed25519 key from its 32-byte seed (RFC 8032), without a decoder.
    static func ed25519(seed: ArraySlice<UInt8>) -> X509Key? {
        guard seed.count == 32,
              let key = seed.withUnsafeBufferPointer({ EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, 32) })
        else { return nil }
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

    /// An Ed25519 key from its seed and its known public key (one a checked certificate holds): unlike
    /// `ed25519(seed:)`, no scalar multiplication to derive the public key.
    static func ed25519(seed: ArraySlice<UInt8>, publicKey: ArraySlice<UInt8>) -> X509Key? {
        guard seed.count == 32, publicKey.count == 32,
              let ctx = EVP_PKEY_CTX_new_from_name(nil, "ED25519", nil) else { return nil }
        defer { EVP_PKEY_CTX_free(ctx) }
        var privateBytes = Array(seed), publicBytes = Array(publicKey)
        defer { OPENSSL_cleanse(&privateBytes, 32) }
        var key: OpaquePointer?
        let names = ParameterNames.shared
        let made = privateBytes.withUnsafeMutableBytes { privateBuffer in
            publicBytes.withUnsafeMutableBytes { publicBuffer in
                var parameters = [
                    OSSL_PARAM_construct_octet_string(names.privateKey, privateBuffer.baseAddress, 32),
                    OSSL_PARAM_construct_octet_string(names.publicKey, publicBuffer.baseAddress, 32),
                    OSSL_PARAM_construct_end(),
                ]
                return EVP_PKEY_fromdata_init(ctx) == 1 && EVP_PKEY_fromdata(ctx, &key, Self.keyPairSelection, &parameters) == 1
            }
        }
        guard made, let key else { return nil }
        return X509Key(key)
    }

    /// `EVP_PKEY_KEYPAIR` (a macro Swift does not import): domain parameters, public and private key.
    static let keyPairSelection: Int32 = 0x87

    /// `OSSL_PARAM` names as C strings that outlive every parameter pointing at them.
    final class ParameterNames: @unchecked Sendable {
        static let shared = ParameterNames()
        let privateKey = strdup("priv")!, publicKey = strdup("pub")!, group = strdup("group")!, prime256v1 = strdup("prime256v1")!
    }

    /// The raw 32-byte public key of an Ed25519 key.
    var ed25519PublicKey: [UInt8]? {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard algorithm == .ed25519, EVP_PKEY_get_raw_public_key(pointer, &out, &length) == 1, length == 32 else { return nil }
        return out
    }

    /// PKCS#8 of an Ed25519 seed (RFC 8410 §7): the fixed prefix, then the 32 bytes. This is what
    /// `i2d_PrivateKey` writes, without setting up an encoder.
    static let ed25519PKCS8Prefix: [UInt8] = [0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]

    /// PEM as Talos writes it: Ed25519 as PKCS#8 under `ED25519 PRIVATE KEY`, EC as SEC1, RSA as PKCS#1.
    func pem() throws -> String {
        if algorithm == .ed25519 {
            var seed = [UInt8](repeating: 0, count: 32)
            var length = 32
            guard EVP_PKEY_get_raw_private_key(pointer, &seed, &length) == 1, length == 32 else { throw LibCrypto.Failure("key encoding failed") }
            defer { OPENSSL_cleanse(&seed, 32) }
            return PEMBlock(label: "ED25519 PRIVATE KEY", der: Self.ed25519PKCS8Prefix + seed).encoded
        }
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
