/// FNV-1a, 64-bit, over a string's UTF-8 bytes: a fast, stable (seed-free) hash for keys that are
/// always checked against something else (file-state records) or only need to spread (shards).
public enum FNV1a {
    public static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
