import COpenSSL

/// The envelope of a blob holding secret material (an output with no group or other permission bits):
///
///     "TBSEAL1\n"  nonce (12)  AES-256-GCM ciphertext  tag (16)  SHA-256 of everything before it (32)
///
/// The blob keeps its address — the SHA-256 of the *plaintext* — so records, stamps and the file-state
/// comparisons that decide whether an output on disk is current work unchanged, and storing the same
/// output twice still stores it once. The GCM tag (with the address as associated data) proves to a key
/// holder that the bytes were sealed under this key for this address; the trailing SHA-256 lets
/// `cache verify` find a flipped byte even without the key. The nonce is random: GCM needs it unique per
/// key, and dedup happens on the address, before sealing.
enum BlobSeal {
    static let magic = Array("TBSEAL1\n".utf8)
    static let nonceSize = 12
    static let tagSize = 16
    static let overhead = magic.count + nonceSize + tagSize + Digest.byteCount

    static func isSealed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= overhead && bytes[..<magic.count].elementsEqual(magic)
    }

    /// Whether the envelope is whole (its trailing checksum matches); needs no key.
    static func isIntact(_ bytes: [UInt8]) -> Bool {
        guard isSealed(bytes) else { return false }
        let body = bytes.count - Digest.byteCount
        return Digest.of(bytes[..<body]).bytes[...] == bytes[body...]
    }

    static func seal(_ plaintext: [UInt8], address: Digest, key: CacheKey) throws -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: nonceSize)
        guard SecRandom.fill(&nonce) else { throw CacheError.invalidArgument("the system random generator failed") }
        guard let sealed = crypt(encrypt: true, plaintext, key: key.sealing, nonce: nonce, aad: address.bytes) else {
            throw CacheError.invalidArgument("OpenSSL could not seal a cache blob")
        }
        var envelope = magic + nonce + sealed
        envelope += Digest.of(envelope).bytes
        return envelope
    }

    /// The plaintext; nil when the envelope is damaged, sealed under another key or for another address.
    static func open(_ envelope: [UInt8], address: Digest, key: CacheKey) -> [UInt8]? {
        guard isIntact(envelope) else { return nil }
        let nonce = Array(envelope[magic.count..<(magic.count + nonceSize)])
        let sealed = Array(envelope[(magic.count + nonceSize)..<(envelope.count - Digest.byteCount)])
        guard let plaintext = crypt(encrypt: false, sealed, key: key.sealing, nonce: nonce, aad: address.bytes),
              Digest.of(plaintext) == address else { return nil }
        return plaintext
    }

    /// AES-256-GCM: encrypting appends the tag; decrypting checks and strips it (nil when it fails).
    private static func crypt(encrypt: Bool, _ input: [UInt8], key: [UInt8], nonce: [UInt8], aad: [UInt8]) -> [UInt8]? {
        guard let context = EVP_CIPHER_CTX_new() else { return nil }
        defer { EVP_CIPHER_CTX_free(context) }
        let body = encrypt ? input : Array(input.dropLast(tagSize))
        guard encrypt || input.count >= tagSize else { return nil }
        var output = [UInt8](repeating: 0, count: body.count + tagSize)
        var length: Int32 = 0
        var total = 0
        let cipher = EVP_aes_256_gcm()
        guard EVP_CipherInit_ex(context, cipher, nil, nil, nil, encrypt ? 1 : 0) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonce.count), nil) == 1,
              EVP_CipherInit_ex(context, nil, nil, key, nonce, encrypt ? 1 : 0) == 1,
              EVP_CipherUpdate(context, nil, &length, aad, Int32(aad.count)) == 1 else { return nil }
        if !body.isEmpty {
            guard (output.withUnsafeMutableBufferPointer { EVP_CipherUpdate(context, $0.baseAddress, &length, body, Int32(body.count)) }) == 1
            else { return nil }
            total = Int(length)
        }
        if !encrypt {
            var tag = Array(input.suffix(tagSize))
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(tagSize), &tag) == 1 else { return nil }
        }
        guard (output.withUnsafeMutableBufferPointer { EVP_CipherFinal_ex(context, $0.baseAddress! + total, &length) }) == 1
        else { return nil }
        total += Int(length)
        if encrypt {
            guard (output.withUnsafeMutableBufferPointer { EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(tagSize), $0.baseAddress! + total) }) == 1
            else { return nil }
            return Array(output.prefix(total + tagSize))
        }
        return Array(output.prefix(total))
    }
}

/// How stored bytes are checked against their address: as they are, or as a sealed envelope.
struct BlobContent {
    let key: CacheKey?

    /// The plaintext of stored bytes when they are the blob `address`; nil otherwise.
    func plaintext(_ stored: [UInt8], address: Digest) -> [UInt8]? {
        if Digest.of(stored) == address { return stored }
        if let key, BlobSeal.isSealed(stored) { return BlobSeal.open(stored, address: address, key: key) }
        return nil
    }

    /// Whether stored bytes are a sound envelope this process cannot open for want of a key (not damage).
    func isUnopenableSeal(_ stored: [UInt8]) -> Bool { key == nil && BlobSeal.isIntact(stored) }

    /// Whether stored bytes are intact: plaintext matching its address, or a sealed envelope that opens
    /// (with a key) or whose checksum holds (without one).
    func isIntact(_ stored: [UInt8], address: Digest) -> Bool {
        if Digest.of(stored) == address { return true }
        guard BlobSeal.isSealed(stored) else { return false }
        if let key { return BlobSeal.open(stored, address: address, key: key) != nil }
        return BlobSeal.isIntact(stored)
    }
}
