import Cache
import Foundation
import Testing
import TestSupport

@Suite struct DigestTests {
    // FIPS 180-2 / NIST CSRC example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func nistVectors(message: String, expected: String) {
        #expect(Digest.of(message).hex == expected)
        #expect(Digest.of(Array(message.utf8)).hex == expected)
    }

    @Test func oneMillionA() {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        #expect(Digest.of([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)).hex == expected)
        // The same message fed in uneven pieces through the streaming interface.
        var hasher = SHA256Hasher()
        var remaining = 1_000_000
        var piece = 1
        while remaining > 0 {
            let count = min(piece, remaining)
            hasher.update([UInt8](repeating: UInt8(ascii: "a"), count: count))
            remaining -= count
            piece = piece * 3 + 1
        }
        #expect(hasher.finalize().hex == expected)
    }

    @Test func hexRoundTripAndValidation() throws {
        let digest = Digest.of("abc")
        #expect(Digest(hex: digest.hex) == digest)
        #expect(Digest(hex: digest.hex.uppercased()) == digest)
        #expect(Digest(hex: String(digest.hex.dropLast())) == nil)
        #expect(Digest(hex: String(digest.hex.dropLast()) + "g") == nil)
        #expect(Digest(bytes: [1, 2, 3]) == nil)
        #expect(digest.bytes.count == 32)
        let json = try JSONEncoder().encode([digest])
        #expect(String(decoding: json, as: UTF8.self) == "[\"\(digest.hex)\"]")
        #expect(try JSONDecoder().decode([Digest].self, from: json) == [digest])
    }

    @Test func orderEqualityAndHashingFollowTheBytes() throws {
        var generator = SeededGenerator(seed: 18)
        let digests = (0..<200).map { index -> Digest in
            // Some share long prefixes, so every word of the comparison is exercised.
            var bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if index % 3 == 0 { for i in 0..<24 { bytes[i] = 7 } }
            if index % 5 == 0 { for i in 0..<31 { bytes[i] = 9 } }
            return Digest(bytes: bytes)!
        }
        for a in digests.prefix(40) {
            for b in digests {
                #expect((a < b) == a.bytes.lexicographicallyPrecedes(b.bytes))
                #expect((a == b) == (a.bytes == b.bytes))
            }
            #expect(Digest(bytes: a.bytes) == a)
            #expect(Digest(bytes: a.bytes)!.hashValue == a.hashValue)
        }
        #expect(Set(digests).count == Set(digests.map(\.bytes)).count)
    }

    @Test func fileHashEqualsMemoryHash() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Sizes around and well beyond the 256 KiB read buffer.
        for size in [0, 1, 4095, (1 << 18) - 1, 1 << 18, (1 << 18) + 1, 3 * (1 << 20) + 12345] {
            var generator = SeededGenerator(seed: 18)
            let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let path = directory.url.appendingPathComponent("file-\(size)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try Digest.ofFile(atPath: path) == Digest.of(bytes), "size \(size)")
        }
    }

    @Test func missingFileThrows() {
        #expect(throws: CacheError.self) { try Digest.ofFile(atPath: "/nonexistent/talos-batch-test") }
    }
}
