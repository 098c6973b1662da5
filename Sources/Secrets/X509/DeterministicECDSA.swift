import COpenSSL
import Hashing

/// ECDSA P-256 signatures whose nonce comes from a `SeededRandomStream` (OpenSSL 3.0 has no RFC 6979 and
/// always draws the nonce from its own generator). Used only for benchmark fleets, so that a seed gives
/// byte-identical certificates: `resign` replaces the signature OpenSSL made with one over the same
/// to-be-signed bytes.
enum DeterministicECDSA {
    /// The certificate with its signature made again with a nonce from `stream`.
    static func resign(_ certificate: X509Certificate, privateScalar: [UInt8], stream: SeededRandomStream) throws -> X509Certificate {
        var tbs: UnsafeMutablePointer<UInt8>?
        let tbsLength = i2d_re_X509_tbs(certificate.pointer, &tbs)
        guard tbsLength > 0, let tbs else { throw LibCrypto.Failure("certificate encoding failed") }
        let tbsBytes = Array(UnsafeBufferPointer(start: tbs, count: Int(tbsLength)))
        CRYPTO_free(tbs, #fileID, #line)
        var algorithm: UnsafePointer<X509_ALGOR>?
        var signatureBits: UnsafePointer<ASN1_BIT_STRING>?
        X509_get0_signature(&signatureBits, &algorithm, certificate.pointer)
        var algorithmDER: UnsafeMutablePointer<UInt8>?
        let algorithmLength = i2d_X509_ALGOR(algorithm, &algorithmDER)
        guard algorithmLength > 0, let algorithmDER else { throw LibCrypto.Failure("certificate encoding failed") }
        let algorithmBytes = Array(UnsafeBufferPointer(start: algorithmDER, count: Int(algorithmLength)))
        CRYPTO_free(algorithmDER, #fileID, #line)

        let signature = try sign(digest: Digest.of(tbsBytes).bytes, privateScalar: privateScalar, stream: stream)
        let der = DER.encode(DER.sequence, tbsBytes + algorithmBytes + DER.encode(DER.bitString, [0] + signature))
        return try X509Certificate.parse(der: der)
    }

    /// The DER ECDSA-Sig-Value of a SHA-256 digest: r = (kG).x mod n, s = k⁻¹(e + r·d) mod n.
    static func sign(digest: [UInt8], privateScalar: [UInt8], stream: SeededRandomStream) throws -> [UInt8] {
        let group = P256.shared.group
        guard let context = BN_CTX_new() else { throw LibCrypto.Failure("BN_CTX") }
        defer { BN_CTX_free(context) }
        let order = EC_GROUP_get0_order(group)
        func number(_ bytes: [UInt8]) throws -> OpaquePointer {
            guard let value = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw LibCrypto.Failure("BN") }
            return value
        }
        let d = try number(privateScalar), e = try number(digest)
        defer { BN_clear_free(d); BN_free(e) }
        guard let k = BN_new(), let r = BN_new(), let s = BN_new(), let x = BN_new(), let inverse = BN_new(), let sum = BN_new(),
              let point = EC_POINT_new(group) else { throw LibCrypto.Failure("BN") }
        defer { BN_clear_free(k); BN_free(x); BN_clear_free(inverse); BN_clear_free(sum); EC_POINT_free(point) }
        var ownedBySignature = false
        defer { if !ownedBySignature { BN_free(r); BN_free(s) } }
        while true {
            let candidate = stream.bytes(32)
            guard candidate.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, 32, k) }) != nil else { throw LibCrypto.Failure("BN") }
            guard BN_is_zero(k) == 0, BN_cmp(k, order) < 0 else { continue }
            guard EC_POINT_mul(group, point, k, nil, nil, context) == 1,
                  EC_POINT_get_affine_coordinates(group, point, x, nil, context) == 1,
                  BN_nnmod(r, x, order, context) == 1 else { throw LibCrypto.Failure("ECDSA") }
            guard BN_is_zero(r) == 0 else { continue }
            guard BN_mod_inverse(inverse, k, order, context) != nil,
                  BN_mod_mul(sum, r, d, order, context) == 1,
                  BN_mod_add(sum, sum, e, order, context) == 1,
                  BN_mod_mul(s, inverse, sum, order, context) == 1 else { throw LibCrypto.Failure("ECDSA") }
            if BN_is_zero(s) == 0 { break }
        }
        guard let signature = ECDSA_SIG_new() else { throw LibCrypto.Failure("ECDSA") }
        defer { ECDSA_SIG_free(signature) }
        guard ECDSA_SIG_set0(signature, r, s) == 1 else { throw LibCrypto.Failure("ECDSA") }
        ownedBySignature = true
        var out: UnsafeMutablePointer<UInt8>?
        let length = i2d_ECDSA_SIG(signature, &out)
        guard length > 0, let out else { throw LibCrypto.Failure("ECDSA") }
        defer { CRYPTO_free(out, #fileID, #line) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}
