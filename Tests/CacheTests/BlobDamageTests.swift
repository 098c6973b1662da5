import Cache
import Foundation
import Testing
import TestSupport

/// Damage to blobs is a miss, never an error and never a hang (issue 19), at the blob store's level.
@Suite struct BlobDamageTests {
    @Test func aFolderWhereALooseBlobBelongsIsRemovedAndAMiss() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let warnings = Warnings()
        let store = try BlobStore(root: fixture.url.appendingPathComponent("blobs"), key: TestCacheKey.value, warn: warnings.handler)
        let digest = try store.put(Array("loose bytes".utf8))
        let path = store.path(of: digest)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        #expect(try store.read(digest) == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(warnings.messages.contains { $0.contains("was damaged") })
        // Stored again, it reads back.
        #expect(try store.put(Array("loose bytes".utf8)) == digest)
        #expect(try store.read(digest) == Array("loose bytes".utf8))

        // A FIFO in its place is no hang either, and `check` calls it corrupt.
        try FileManager.default.removeItem(atPath: path)
        #expect(mkfifo(path, 0o600) == 0)
        #expect(try store.check(digest) == .corrupt)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aPackEntryDeclaringATerabyteIsNotAllocated() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let packs = fixture.cache.blobs.packsPath
        var bytes = Array("TBPACK1\n".utf8) + Digest.of("x").bytes
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: (UInt64(1) << 40) >> UInt64(shift))) }
        bytes += Array("a few bytes".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: packs + "/1000-999999999-0.pack"))
        let report = try CacheVerifier.verify(fixture.cache)
        #expect(report.reindexedPacks == ["1000-999999999-0.pack"])
        #expect(report.checkedBlobs == 0)
        #expect(try CacheVerifier.verify(fixture.cache).isClean)
    }

    @Test func aLostIndexIsRebuiltByVerifyAndItsBlobsServeAgain() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let blobs = fixture.cache.blobs
        blobs.beginBatch()
        let digests = try (0..<5).map { try blobs.put(Array("packed \($0)".utf8)) }
        try blobs.syncPending()
        let record = ActionRecord(key: Digest.of("k"), stage: "render", cluster: "c",
                                  outputs: digests.enumerated().map { OutputEntry(path: "o\($0.offset)", digest: $0.element, mode: 0o644, size: 8) },
                                  inputs: [], created: Date(), lastUsed: Date(), duration: 0)
        try fixture.cache.actions.record(record)
        for name in try FileManager.default.contentsOfDirectory(atPath: blobs.packsPath) where name.hasSuffix(".idx") {
            try FileManager.default.removeItem(atPath: blobs.packsPath + "/" + name)
        }
        // Another process (a fresh store) cannot see them now…
        let other = try CacheDirectory(url: fixture.url, key: TestCacheKey.value, warn: CacheWarning.ignore)
        #expect(other.restorableBytes(of: record.outputs, record: record) == nil)
        // …verify rebuilds the index (this process's pack is no longer being written) and keeps the record.
        let report = try CacheVerifier.verify(other)
        #expect(report.reindexedPacks.count == 1)
        #expect(report.missingOutputs.isEmpty)
        let again = try CacheDirectory(url: fixture.url, key: TestCacheKey.value, warn: CacheWarning.ignore)
        #expect(again.restorableBytes(of: record.outputs, record: record)?.count == 5)
        #expect(try again.actions.lookup(record.key) == record)
    }
}
