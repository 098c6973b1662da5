import Cache
import Foundation
import Testing
import TestSupport

/// Blobs stored in a batch go to one pack file per process; these check that packed blobs read back
/// verified, from this and other processes' stores, and that gc, verify and clear handle packs.
@Suite struct PackTests {
    /// A store with `contents` put in one batch and synced (its pack indexed and durable).
    private func packedStore(_ root: URL, _ contents: [String], warn: @escaping CacheWarningHandler = CacheWarning.ignore) throws -> (BlobStore, [Digest]) {
        let store = try BlobStore(root: root, warn: warn)
        store.beginBatch()
        let digests = try contents.map { try store.put(Array($0.utf8)) }
        try store.syncPending()
        return (store, digests)
    }

    private func packFiles(_ store: BlobStore, suffix: String = ".pack") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: store.packsPath)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// Offset of the first occurrence of `needle` in a file.
    private func offset(of needle: String, in path: String) throws -> Int {
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let pattern = Array(needle.utf8)
        for start in 0...(data.count - pattern.count) where Array(data[start..<(start + pattern.count)]) == pattern { return start }
        throw CacheError.io(operation: "find", path: path, errno: ENOENT)
    }

    private func patch(_ path: String, at offset: Int, with byte: UInt8) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[offset] = byte
        try data.write(to: URL(fileURLWithPath: path))
    }

    @Test func batchWritesOnePackAndReadsItBack() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobStore(root: directory.url.appendingPathComponent("blobs"), warn: CacheWarning.ignore)
        store.beginBatch()
        let first = try store.put(Array("machine: one\n".utf8))
        let second = try store.put(Array("machine: two\n".utf8))
        #expect(try store.put(Array("machine: one\n".utf8)) == first)       // dedup: written once
        // Readable by this process before the index exists.
        #expect(try store.read(second) == Array("machine: two\n".utf8))
        #expect(packFiles(store, suffix: ".idx").isEmpty)
        try store.syncPending()

        #expect(!FileManager.default.fileExists(atPath: store.path(of: first)))   // no loose blob
        let packs = packFiles(store)
        #expect(packs.count == 1)
        #expect(packFiles(store, suffix: ".pack.idx") == [packs[0] + ".idx"])
        let mode = try FileManager.default.attributesOfItem(atPath: store.packsPath + "/" + packs[0])[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let size = try FileManager.default.attributesOfItem(atPath: store.packsPath + "/" + packs[0])[.size] as? Int
        #expect(size == 8 + 2 * (40 + 13))
        #expect(store.contains(first))
        #expect(try store.check(first) == .valid)
        #expect(Set(try store.allBlobs().map(\.digest)) == [first, second])

        let destination = directory.url.appendingPathComponent("out.yaml").path
        #expect(try store.restore(first, to: destination, mode: 0o640))
        #expect(FileManager.default.contents(atPath: destination) == Data("machine: one\n".utf8))
        #expect(try FileManager.default.attributesOfItem(atPath: destination)[.posixPermissions] as? Int == 0o640)

        // A second batch in the same process appends to the same pack and rewrites its index.
        store.beginBatch()
        let third = try store.put(Array("machine: three\n".utf8))
        try store.syncPending()
        #expect(packFiles(store) == packs)
        let other = try BlobStore(root: store.root, warn: CacheWarning.ignore)
        #expect(try other.read(third) == Array("machine: three\n".utf8))
        // Outside a batch, put writes loose blobs as before.
        let loose = try store.put(Array("loose\n".utf8))
        #expect(FileManager.default.fileExists(atPath: store.path(of: loose)))
    }

    @Test func everyEntryOfALargeIndexIsFound() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("blobs")
        let contents = (0..<300).map { "blob \($0)\n" }
        let (_, digests) = try packedStore(root, contents)
        let reader = try BlobStore(root: root, warn: CacheWarning.ignore)
        for (digest, text) in zip(digests, contents) { #expect(try reader.read(digest) == Array(text.utf8)) }
        #expect(!reader.contains(Digest.of("blob 300\n")))
        #expect(try reader.allBlobs().count == 300)
    }

    @Test func anotherStoreFindsAPackWrittenAfterItLoaded() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("blobs")
        let (_, early) = try packedStore(root, ["early\n"])
        let reader = try BlobStore(root: root, warn: CacheWarning.ignore)
        #expect(try reader.read(early[0]) == Array("early\n".utf8))      // indexes loaded now
        let (_, late) = try packedStore(root, ["late\n"])
        #expect(reader.contains(late[0]))
        #expect(try reader.read(late[0]) == Array("late\n".utf8))
        #expect(try reader.read(Digest.of("never stored")) == nil)
    }

    @Test func corruptPackedEntryIsReportedOnceAndNeverHandedOut() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let warnings = Warnings()
        let root = directory.url.appendingPathComponent("blobs")
        let (writer, digests) = try packedStore(root, ["good: 1\n", "secret: 2\n"])
        let pack = writer.packsPath + "/" + packFiles(writer)[0]
        try patch(pack, at: try offset(of: "secret: 2", in: pack), with: UInt8(ascii: "S"))

        let store = try BlobStore(root: root, warn: warnings.handler)
        #expect(try store.read(digests[1]) == nil)
        let destination = directory.url.appendingPathComponent("out").path
        #expect(try store.restore(digests[1], to: destination, mode: 0o600) == false)
        #expect(!FileManager.default.fileExists(atPath: destination))
        #expect(!store.contains(digests[1]))
        #expect(try store.check(digests[1]) == .corrupt)
        #expect(warnings.messages.count == 1)
        #expect(warnings.messages.first?.contains(digests[1].hex) == true)
        #expect(try store.read(digests[0]) == Array("good: 1\n".utf8))
        // Stored again in a later batch, it is readable again.
        store.beginBatch()
        #expect(try store.put(Array("secret: 2\n".utf8)) == digests[1])
        try store.syncPending()
        #expect(try store.read(digests[1]) == Array("secret: 2\n".utf8))
    }

    @Test func tornTailCostsOnlyTheTornEntries() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("blobs")
        let (writer, digests) = try packedStore(root, ["first\n", "second entry\n"])
        let pack = writer.packsPath + "/" + packFiles(writer)[0]
        // A crash mid-append: a later entry written halfway, never indexed.
        let handle = try #require(FileHandle(forWritingAtPath: pack))
        handle.seekToEndOfFile()
        handle.write(Data(Digest.of("third\n").bytes + [6, 0, 0]))
        handle.closeFile()
        let store = try BlobStore(root: root, warn: CacheWarning.ignore)
        #expect(try store.read(digests[0]) == Array("first\n".utf8))
        #expect(try store.read(digests[1]) == Array("second entry\n".utf8))
        #expect(!store.contains(Digest.of("third\n")))

        // An index naming bytes that never reached the disk (cut inside the second entry).
        let cut = try offset(of: "second entry", in: pack) + 4
        #expect(truncate(pack, off_t(cut)) == 0)
        let afterCrash = try BlobStore(root: root, warn: CacheWarning.ignore)
        #expect(try afterCrash.read(digests[0]) == Array("first\n".utf8))
        #expect(try afterCrash.read(digests[1]) == nil)
    }

    @Test func packWithoutIndexIsInvisibleAndRemovedWhenAbandoned() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let root = directory.url.appendingPathComponent("blobs")
        let crashed = try BlobStore(root: root, warn: CacheWarning.ignore)
        crashed.beginBatch()
        let digest = try crashed.put(Array("never synced\n".utf8))     // no syncPending: "crash"
        let store = try BlobStore(root: root, warn: CacheWarning.ignore)
        #expect(!store.contains(digest))
        #expect(try store.allBlobs().isEmpty)
        #expect(store.removeStaleTemporaries(olderThan: 3600) == 0)
        #expect(store.removeStaleTemporaries(olderThan: 3600, now: Date().addingTimeInterval(7200)) == 1)
        #expect(packFiles(store).isEmpty)
        // An index left without its pack goes the same way.
        let (synced, _) = try packedStore(root, ["synced\n"])
        let pack = synced.packsPath + "/" + packFiles(synced)[0]
        #expect(unlink(pack) == 0)
        #expect(store.removeStaleTemporaries(olderThan: 3600, now: Date().addingTimeInterval(7200)) == 1)
        #expect(packFiles(store, suffix: ".idx").isEmpty)
    }

    @Test func gcRewritesAPackWithGarbageAndDeletesADeadOne() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let now = Date()
        let blobs = fixture.cache.blobs
        blobs.beginBatch()
        let kept = try fixture.addAction("kept", outputs: ["a": payload("k", size: 300)], lastUsed: now)
        let dropped = try fixture.addAction("dropped", outputs: ["a": payload("d", size: 300)], lastUsed: now.addingTimeInterval(-40 * 86_400))
        try blobs.syncPending()
        // A second process's pack holding only an orphan.
        let (_, dead) = try packedStore(blobs.root, ["dead orphan\n"])
        // Collected by a third process, once both packs are older than the grace period.
        let other = try CacheDirectory(url: fixture.url, key: TestCacheKey.value, warn: CacheWarning.ignore)
        let before = packFiles(other.blobs)
        #expect(before.count == 2)
        let old = now.addingTimeInterval(-3600)
        for name in try FileManager.default.contentsOfDirectory(atPath: other.blobs.packsPath) {
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: other.blobs.packsPath + "/" + name)
        }
        let report = try GarbageCollector.collect(other, policy: GarbageCollectionPolicy(maxAge: 30 * 86_400), now: now)
        #expect(report.removedRecords == 1)
        #expect(report.removedBlobs == 2)
        let after = packFiles(other.blobs)
        #expect(after.count == 1)
        #expect(Set(after).isDisjoint(with: before))
        #expect(try other.blobs.read(kept.outputs[0].digest) == payload("k", size: 300))
        #expect(!other.blobs.contains(dropped.outputs[0].digest))
        #expect(!other.blobs.contains(dead[0]))
        #expect(try other.blobs.allBlobs().map(\.digest) == [kept.outputs[0].digest])
        let size = try FileManager.default.attributesOfItem(atPath: other.blobs.packsPath + "/" + after[0])[.size] as? Int
        #expect(size == 8 + 40 + 300)
        // The first store (whose own pack was rewritten) still reads the kept blob.
        #expect(try blobs.read(kept.outputs[0].digest) == payload("k", size: 300))
    }

    @Test func gcKeepsYoungPacks() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        fixture.cache.blobs.beginBatch()
        let orphan = try fixture.cache.blobs.put(payload("o", size: 100))
        try fixture.cache.blobs.syncPending()
        let report = try GarbageCollector.collect(fixture.cache, policy: GarbageCollectionPolicy(), now: Date())
        #expect(report.keptRecentOrphans == 1)
        #expect(fixture.cache.blobs.contains(orphan))
    }

    @Test func verifyChecksEveryPackedEntryAndDropsDamagedOnes() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let blobs = fixture.cache.blobs
        blobs.beginBatch()
        let good = try fixture.addAction("good", outputs: ["a": Array("good bytes\n".utf8), "b": Array("more\n".utf8)], lastUsed: Date())
        let bad = try fixture.addAction("bad", outputs: ["a": Array("damaged bytes\n".utf8)], lastUsed: Date())
        try blobs.syncPending()
        #expect(try CacheVerifier.verify(fixture.cache).isClean)
        let pack = blobs.packsPath + "/" + packFiles(blobs)[0]
        try patch(pack, at: try offset(of: "damaged", in: pack), with: UInt8(ascii: "D"))

        let other = try CacheDirectory(url: fixture.url, key: TestCacheKey.value, warn: CacheWarning.ignore)
        let report = try CacheVerifier.verify(other)
        #expect(report.checkedBlobs == 3)
        #expect(report.corruptBlobs == [bad.outputs[0].digest])
        #expect(report.missingOutputs.map(\.record) == [bad.key])
        #expect(try other.actions.lookup(good.key) != nil)
        #expect(try other.blobs.read(good.outputs[0].digest) == Array("good bytes\n".utf8))
        let again = try CacheVerifier.verify(other)
        #expect(again.isClean)
        #expect(again.checkedBlobs == 2)
    }

    @Test func clearRemovesPacks() throws {
        let fixture = try CacheFixture()
        defer { fixture.remove() }
        let blobs = fixture.cache.blobs
        blobs.beginBatch()
        let digest = try blobs.put(payload("c", size: 64))
        try blobs.syncPending()
        try fixture.cache.clear()
        #expect(!blobs.contains(digest))
        #expect(packFiles(blobs).isEmpty)
        #expect(try blobs.allBlobs().isEmpty)
        // The store keeps working: a new batch starts a new pack.
        blobs.beginBatch()
        #expect(try blobs.put(payload("c", size: 64)) == digest)
        try blobs.syncPending()
        #expect(try blobs.read(digest) == payload("c", size: 64))
        #expect(packFiles(blobs).count == 1)
    }
}
