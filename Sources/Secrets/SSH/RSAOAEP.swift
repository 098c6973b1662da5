import COpenSSL
import FoundationEssentials
import Glibc

/// RSA-OAEP with SHA-256 and a label, decryption only (age's ssh-rsa stanza body).
enum RSAOAEP {
    private enum Names {
        nonisolated(unsafe) static let modulus = strdup("n")!, publicExponent = strdup("e")!, privateExponent = strdup("d")!
    }

    /// The plaintext, or nil when the ciphertext does not decrypt under this key and label.
    static func decrypt(_ ciphertext: [UInt8], modulus: [UInt8], publicExponent: [UInt8], privateExponent: [UInt8], label: [UInt8]) -> [UInt8]? {
        guard let builder = OSSL_PARAM_BLD_new() else { return nil }
        defer { OSSL_PARAM_BLD_free(builder) }
        guard let n = BN_bin2bn(modulus, Int32(modulus.count), nil) else { return nil }
        defer { BN_free(n) }
        guard let e = BN_bin2bn(publicExponent, Int32(publicExponent.count), nil) else { return nil }
        defer { BN_free(e) }
        guard let d = BN_bin2bn(privateExponent, Int32(privateExponent.count), nil) else { return nil }
        defer { BN_clear_free(d) }
        // The builder keeps the name pointers until `to_param`, so they must outlive the push calls.
        guard OSSL_PARAM_BLD_push_BN(builder, Names.modulus, n) == 1, OSSL_PARAM_BLD_push_BN(builder, Names.publicExponent, e) == 1,
              OSSL_PARAM_BLD_push_BN(builder, Names.privateExponent, d) == 1, let parameters = OSSL_PARAM_BLD_to_param(builder) else { return nil }
        defer { OSSL_PARAM_free(parameters) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { return nil }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_fromdata_init(context) == 1, EVP_PKEY_fromdata(context, &key, X509Key.keyPairSelection, parameters) == 1, let key else {
            return nil
        }
        defer { EVP_PKEY_free(key) }
        guard let decryption = EVP_PKEY_CTX_new(key, nil) else { return nil }
        defer { EVP_PKEY_CTX_free(decryption) }
        // The context takes ownership of the label copy.
        guard let labelCopy = CRYPTO_malloc(label.count, nil, 0) else { return nil }
        label.withUnsafeBytes { labelCopy.copyMemory(from: $0.baseAddress!, byteCount: label.count) }
        guard EVP_PKEY_decrypt_init(decryption) == 1,
              EVP_PKEY_CTX_set_rsa_padding(decryption, RSA_PKCS1_OAEP_PADDING) == 1,
              EVP_PKEY_CTX_set_rsa_oaep_md_name(decryption, "SHA256", nil) == 1,
              EVP_PKEY_CTX_set_rsa_mgf1_md_name(decryption, "SHA256", nil) == 1,
              EVP_PKEY_CTX_set0_rsa_oaep_label(decryption, labelCopy, Int32(label.count)) == 1 else {
            return nil
        }
        var length = 0
        guard EVP_PKEY_decrypt(decryption, nil, &length, ciphertext, ciphertext.count) == 1 else { return nil }
        var out = [UInt8](repeating: 0, count: length)
        guard EVP_PKEY_decrypt(decryption, &out, &length, ciphertext, ciphertext.count) == 1 else { return nil }
        return Array(out.prefix(length))
    }
}
