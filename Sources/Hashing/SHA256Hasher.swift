import COpenSSL

/// OpenSSL 3 fetches an algorithm implementation on every init unless handed one already fetched;
/// fetching once keeps many small hashes cheap. The EVP_MD is immutable and shared read-only.
private nonisolated(unsafe) let sha256Algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

/// Incremental SHA-256 over OpenSSL's EVP interface. Not copyable: it owns an EVP context.
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    public init() {
        guard let context = EVP_MD_CTX_new(), let algorithm = sha256Algorithm,
              EVP_DigestInit_ex(context, algorithm, nil) == 1 else {
            // Fails only when OpenSSL cannot allocate (or lacks SHA-256, which libcrypto always has).
            fatalError("OpenSSL could not set up SHA-256")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, base, bytes.count) == 1 else {
            // Cannot fail: the context was set up for SHA-256 above and a software digest update has no error path.
            fatalError("OpenSSL SHA-256 update failed")
        }
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public consuming func finalize() -> Digest {
        var length: UInt32 = 0
        var status: Int32 = 0
        let digest = Digest { out in
            status = EVP_DigestFinal_ex(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
        }
        guard status == 1, length == UInt32(Digest.byteCount) else {
            // Cannot fail: a set-up SHA-256 context always yields its 32 bytes.
            fatalError("OpenSSL SHA-256 finalization failed")
        }
        return digest
    }
}
