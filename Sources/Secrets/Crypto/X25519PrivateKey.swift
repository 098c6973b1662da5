import COpenSSL

/// An X25519 private key held as an OpenSSL key for its lifetime: making one from raw bytes computes its
/// public key (a scalar multiplication), so an age identity makes it once, not once per file it opens.
/// Only read after creation, so threads share it.
final class X25519PrivateKey: @unchecked Sendable {
    let pointer: OpaquePointer
    let publicKey: [UInt8]

    init(scalar: [UInt8]) throws {
        guard scalar.count == 32, let key = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nil, scalar, 32) else {
            throw LibCrypto.Failure("invalid X25519 private key")
        }
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_get_raw_public_key(key, &out, &length) == 1, length == 32 else {
            EVP_PKEY_free(key)
            throw LibCrypto.Failure("X25519 public key")
        }
        pointer = key
        publicKey = out
    }

    deinit { EVP_PKEY_free(pointer) }

    /// X25519 Diffie-Hellman; throws for a low-order peer point (all-zero shared secret), as age requires.
    func sharedSecret(peerPublicKey: [UInt8]) throws -> [UInt8] {
        guard let peer = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, peerPublicKey, peerPublicKey.count)
        else { throw LibCrypto.Failure("invalid X25519 key") }
        defer { EVP_PKEY_free(peer) }
        guard let ctx = EVP_PKEY_CTX_new(pointer, nil) else { throw LibCrypto.Failure("X25519 context") }
        defer { EVP_PKEY_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: 32)
        var length = 32
        guard EVP_PKEY_derive_init(ctx) == 1, EVP_PKEY_derive_set_peer(ctx, peer) == 1,
              EVP_PKEY_derive(ctx, &out, &length) == 1, length == 32
        else { throw LibCrypto.Failure("X25519 key agreement failed") }
        guard out.contains(where: { $0 != 0 }) else { throw LibCrypto.Failure("X25519 low-order point") }
        return out
    }
}
