import COpenSSL

/// OpenSSL 3 algorithm implementations, fetched once per process. `EVP_sha256()`, `EVP_aes_256_gcm()`,
/// `HMAC()` and `EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF)` look the algorithm up in the provider store (under a
/// read-write lock) on every use; a fetched one is used directly. The HMAC context here is a template with
/// its digest set, duplicated per use, so no use looks a digest up by name (HKDF is built on it).
/// Fetched algorithms are immutable and reference-counted by OpenSSL, so threads share them.
final class FetchedAlgorithms: @unchecked Sendable {
    static let shared = FetchedAlgorithms()

    let sha512: OpaquePointer
    let aes256GCM: OpaquePointer
    let chacha20Poly1305: OpaquePointer
    /// An HMAC-SHA-256 context without a key; duplicate before use.
    let hmacSHA256Template: OpaquePointer

    private init() {
        func required(_ pointer: OpaquePointer?, _ what: String) -> OpaquePointer {
            guard let pointer else { fatalError("libcrypto does not provide \(what)") }
            return pointer
        }
        sha512 = required(EVP_MD_fetch(nil, "SHA512", nil), "SHA-512")
        aes256GCM = required(EVP_CIPHER_fetch(nil, "AES-256-GCM", nil), "AES-256-GCM")
        chacha20Poly1305 = required(EVP_CIPHER_fetch(nil, "ChaCha20-Poly1305", nil), "ChaCha20-Poly1305")

        let mac = required(EVP_MAC_fetch(nil, "HMAC", nil), "HMAC")
        defer { EVP_MAC_free(mac) }
        hmacSHA256Template = required(EVP_MAC_CTX_new(mac), "an HMAC context")

        let digestKey = strdup("digest"), digestName = strdup("SHA256")
        defer { free(digestKey); free(digestName) }
        var parameters = [OSSL_PARAM_construct_utf8_string(digestKey, digestName, 0), OSSL_PARAM_construct_end()]
        guard EVP_MAC_CTX_set_params(hmacSHA256Template, &parameters) == 1 else { fatalError("libcrypto cannot set SHA-256 on HMAC") }
    }
}
