import Cache
import Foundation
import Testing
import TestSupport

/// The cache key: HMAC and HKDF against their RFCs' vectors, and where the key comes from.
@Suite struct CacheKeyTests {
    private func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return result
    }

    @Test func hmacMatchesRFC4231() {
        // RFC 4231, test case 2.
        let mac = HMACSHA256.mac(key: Array("Jefe".utf8), Array("what do ya want for nothing?".utf8))
        #expect(mac.hex == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // Test case 6: a key longer than the block is hashed first.
        let long = HMACSHA256.mac(key: [UInt8](repeating: 0xaa, count: 131),
                                  Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8))
        #expect(long.hex == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func hkdfMatchesRFC5869() {
        // RFC 5869, test case 1 (the first 32 bytes of the output).
        let okm = HMACSHA256.hkdf(secret: [UInt8](repeating: 0x0b, count: 22), salt: bytes("000102030405060708090a0b0c"),
                                  info: bytes("f0f1f2f3f4f5f6f7f8f9"))
        #expect(okm == bytes("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"))
    }

    @Test func derivedKeysDifferByPurposeAndSecret() {
        let key = CacheKey(secret: Array("one secret of enough length".utf8), origin: "test")
        let other = CacheKey(secret: Array("another secret of enough length".utf8), origin: "test")
        #expect(key.integrity != key.sealing)
        #expect(key.integrity != other.integrity)
        #expect(key == CacheKey(secret: Array("one secret of enough length".utf8), origin: "test"))
    }

    @Test func environmentVariableComesFirst() {
        let warnings = Warnings()
        let key = CacheKeySource.resolve(environment: ["TALOS_BATCH_CACHE_KEY": "a pipeline secret of some length",
                                                       "XDG_CONFIG_HOME": "/nonexistent-\(UUID())"], warn: warnings.handler)
        #expect(key == CacheKey(secret: Array("a pipeline secret of some length".utf8), origin: "x"))
        #expect(key?.origin == "$TALOS_BATCH_CACHE_KEY")
        #expect(warnings.messages.isEmpty)
    }

    @Test func tooShortEnvironmentKeyIsRefused() {
        let warnings = Warnings()
        #expect(CacheKeySource.resolve(environment: ["TALOS_BATCH_CACHE_KEY": "short"], warn: warnings.handler) == nil)
        #expect(warnings.messages.count == 1)
        #expect(warnings.messages.first?.contains("shorter than 16 characters") == true)
        #expect(warnings.messages.first?.contains("short\"") != true)
    }

    @Test func keyFileIsCreatedOwnerOnlyOnceAndReused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let environment = ["XDG_CONFIG_HOME": directory.path, "HOME": "/nonexistent"]
        let path = try #require(CacheKeySource.keyFilePath(environment: environment))
        #expect(path == directory.path + "/talos-batch/cache.key")
        let first = try #require(CacheKeySource.resolve(environment: environment, warn: CacheWarning.ignore))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let folder = try FileManager.default.attributesOfItem(atPath: directory.path + "/talos-batch")
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.count == 65 && text.hasSuffix("\n"))
        #expect(CacheKeySource.resolve(environment: environment, warn: CacheWarning.ignore) == first)

        // A key file others can read is narrowed to 0600 and still used.
        chmod(path, 0o644)
        #expect(CacheKeySource.resolve(environment: environment, warn: CacheWarning.ignore) == first)
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
    }

    @Test func noUsableKeyFileMeansNoKeyWithAWarning() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // The config folder is a file: the key file cannot be created.
        let blocker = directory.path + "/config"
        _ = FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8))
        let warnings = Warnings()
        #expect(CacheKeySource.resolve(environment: ["XDG_CONFIG_HOME": blocker], warn: warnings.handler) == nil)
        #expect(warnings.messages.count == 1)
        #expect(warnings.messages.first?.contains("secret outputs are not stored") == true)

        // A key file that is a folder is refused the same way.
        try FileManager.default.createDirectory(atPath: directory.path + "/c2/talos-batch/cache.key", withIntermediateDirectories: true)
        #expect(CacheKeySource.resolve(environment: ["XDG_CONFIG_HOME": directory.path + "/c2"], warn: CacheWarning.ignore) == nil)
        #expect(CacheKeySource.resolve(environment: [:], warn: CacheWarning.ignore) == nil)
    }
}
