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
        var envelope = magic + [UInt8](repeating: 0, count: overhead - magic.count + plaintext.count)
        let sealed = envelope.withUnsafeMutableBufferPointer { out -> Bool in
            let nonce = UnsafeMutableBufferPointer(rebasing: out[magic.count..<(magic.count + nonceSize)])
            guard RAND_bytes(nonce.baseAddress, Int32(nonceSize)) == 1 else { return false }
            let body = UnsafeMutableBufferPointer(rebasing: out[(magic.count + nonceSize)...])
            return plaintext.withUnsafeBufferPointer { input in
                address.withUnsafeBytes { aad in
                    crypt(encrypt: true, input, into: body, tag: UnsafeMutableBufferPointer(rebasing: body[plaintext.count...]),
                          key: key.sealing, nonce: UnsafeBufferPointer(nonce), aad: aad)
                }
            }
        }
        guard sealed else { throw CacheError.invalidArgument("OpenSSL could not seal a cache blob") }
        let body = envelope.count - Digest.byteCount
        let checksum = Digest.of(envelope[..<body])
        checksum.withUnsafeBytes { bytes in envelope.replaceSubrange(body..., with: bytes) }
        return envelope
    }

    /// The plaintext; nil when the envelope is damaged, sealed under another key or for another address.
    /// With the key, the GCM tag is the check: it covers the nonce and every ciphertext byte and binds the
    /// address (associated data), so neither the trailing checksum (for key-less checks) nor the
    /// plaintext's digest needs computing again — a blob that opens is the one a key holder sealed for
    /// this address after hashing it. A damaged trailing checksum is still found by `isIntact`.
    static func open(_ envelope: [UInt8], address: Digest, key: CacheKey) -> [UInt8]? {
        guard isSealed(envelope) else { return nil }
        let textCount = envelope.count - overhead
        var plaintext = [UInt8](repeating: 0, count: textCount)
        let opened = envelope.withUnsafeBufferPointer { input in
            plaintext.withUnsafeMutableBufferPointer { out in
                address.withUnsafeBytes { aad in
                    let start = magic.count + nonceSize
                    let tag = UnsafeBufferPointer(rebasing: input[(start + textCount)..<(start + textCount + tagSize)])
                    return crypt(encrypt: false, UnsafeBufferPointer(rebasing: input[start..<(start + textCount)]), into: out,
                                 tag: UnsafeMutableBufferPointer(mutating: tag), key: key.sealing,
                                 nonce: UnsafeBufferPointer(rebasing: input[magic.count..<start]), aad: aad)
                }
            }
        }
        return opened ? plaintext : nil
    }

    /// The one AES-256-GCM implementation, fetched once: OpenSSL 3 otherwise looks it up in its provider
    /// store (under locks) on every `EVP_CipherInit_ex`.
    private nonisolated(unsafe) static let aes256GCM: OpaquePointer? = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)

    /// AES-256-GCM of `input` into `output` (the same length). Encrypting writes the tag into `tag`;
    /// decrypting checks `tag` (false when it does not match). The caller's buffers are used as they are.
    private static func crypt(encrypt: Bool, _ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>,
                              tag: UnsafeMutableBufferPointer<UInt8>, key: [UInt8], nonce: UnsafeBufferPointer<UInt8>,
                              aad: UnsafeRawBufferPointer) -> Bool {
        guard let cipher = aes256GCM, let context = EVP_CIPHER_CTX_new() else { return false }
        defer { EVP_CIPHER_CTX_free(context) }
        let direction: Int32 = encrypt ? 1 : 0
        var length: Int32 = 0
        guard EVP_CipherInit_ex(context, cipher, nil, nil, nil, direction) == 1,
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_IVLEN, Int32(nonce.count), nil) == 1,
              EVP_CipherInit_ex(context, nil, nil, key, nonce.baseAddress, direction) == 1,
              EVP_CipherUpdate(context, nil, &length, aad.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(aad.count)) == 1
        else { return false }
        var total = 0
        if !input.isEmpty {
            guard EVP_CipherUpdate(context, output.baseAddress, &length, input.baseAddress, Int32(input.count)) == 1 else { return false }
            total = Int(length)
        }
        if !encrypt {
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_SET_TAG, Int32(tagSize), tag.baseAddress) == 1 else { return false }
        }
        // GCM is a stream mode: nothing is held back, so the final call writes no bytes (it checks the tag).
        var scratch: (UInt64, UInt64) = (0, 0)
        let finished = withUnsafeMutableBytes(of: &scratch) {
            EVP_CipherFinal_ex(context, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), &length)
        }
        guard finished == 1, total + Int(length) == input.count else { return false }
        if encrypt {
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_AEAD_GET_TAG, Int32(tagSize), tag.baseAddress) == 1 else { return false }
        }
        return true
    }
}

/// How stored bytes are checked against their address: as they are, or as a sealed envelope.
struct BlobContent {
    let key: CacheKey?

    /// The plaintext of stored bytes when they are the blob `address`; nil otherwise.
    func plaintext(_ stored: [UInt8], address: Digest) -> [UInt8]? {
        // Sealed first: hashing a sealed blob as plaintext is wasted work on every restore of a secret.
        // A plaintext output that happens to begin with the magic still matches its address below.
        if let key, BlobSeal.isSealed(stored), let plaintext = BlobSeal.open(stored, address: address, key: key) {
            return plaintext
        }
        return Digest.of(stored) == address ? stored : nil
    }

    /// Whether stored bytes are a sound envelope this process cannot open for want of a key (not damage).
    func isUnopenableSeal(_ stored: [UInt8]) -> Bool { key == nil && BlobSeal.isIntact(stored) }

    /// Whether stored bytes are intact: plaintext matching its address, or a sealed envelope that opens
    /// (with a key) or whose checksum holds (without one).
    func isIntact(_ stored: [UInt8], address: Digest) -> Bool {
        if Digest.of(stored) == address { return true }
        guard BlobSeal.isSealed(stored) else { return false }
        // The trailing checksum too: `open` trusts the tag alone, `cache verify` reports any flipped byte.
        guard BlobSeal.isIntact(stored) else { return false }
        if let key { return BlobSeal.open(stored, address: address, key: key) != nil }
        return true
    }
}
