import COpenSSL

/// The P-256 group, made once per process (building an `EC_GROUP` costs more than a scalar multiplication).
/// Only read after creation, so threads share it.
final class P256: @unchecked Sendable {
    static let shared = P256()

    let group: OpaquePointer

    private init() {
        guard let group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1) else { fatalError("libcrypto lacks P-256") }
        self.group = group
    }

    /// Whether d is in [1, n-1] — a scalar `publicKey(scalar:)` accepts — without the multiplication.
    func isPrivateScalar(_ scalar: ArraySlice<UInt8>) -> Bool {
        guard let d = scalar.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }) else { return false }
        defer { BN_clear_free(d) }
        return BN_is_zero(d) == 0 && BN_cmp(d, EC_GROUP_get0_order(group)) < 0
    }

    /// d·G as an uncompressed point (65 bytes); nil when d is not in [1, n-1].
    func publicKey(scalar: ArraySlice<UInt8>) -> [UInt8]? {
        guard let context = BN_CTX_new() else { return nil }
        defer { BN_CTX_free(context) }
        guard let d = scalar.withUnsafeBufferPointer({ BN_bin2bn($0.baseAddress, Int32($0.count), nil) }) else { return nil }
        defer { BN_clear_free(d) }
        BN_set_flags(d, BN_FLG_CONSTTIME)
        guard BN_is_zero(d) == 0, BN_cmp(d, EC_GROUP_get0_order(group)) < 0, let point = EC_POINT_new(group) else { return nil }
        defer { EC_POINT_free(point) }
        var out = [UInt8](repeating: 0, count: 65)
        guard EC_POINT_mul(group, point, d, nil, nil, context) == 1,
              EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &out, 65, context) == 65 else { return nil }
        return out
    }
}
