import Cache
import Foundation
import Testing
import TestSupport

@Suite struct FileStateCacheTests {
    /// Sets a file's modification (and access) time, as `touch -d` would.
    func setModified(_ path: String, seconds: Int, nanoseconds: Int = 0) {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        #expect(utimensat(AT_FDCWD, path, &times, 0) == 0)
    }

    @Test func unchangedOldFileIsNotReadAgain() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try CacheDirectory(url: directory.url.appendingPathComponent("cache"), key: TestCacheKey.value, warn: CacheWarning.ignore)
        let path = directory.url.appendingPathComponent("talenv.yaml").path
        try Data("clusterName: home\n".utf8).write(to: URL(fileURLWithPath: path))
        // Content last changed long ago (ctime is still "now", so wait the racy window out by
        // checking the record instead of sleeping).
        setModified(path, seconds: 1_600_000_000)
        let first = try cache.fileStates.digest(ofFileAtPath: path)
        #expect(first == Digest.of("clusterName: home\n"))
        #expect(cache.fileStates.filesHashed == 1)
        let record = try #require(try cache.fileStates.record(forPath: path))
        #expect(record.digest == first)
        // Pretend it was hashed well after its last change: now it is trusted without reading.
        var aged = record
        aged.hashedNanoseconds = record.state.changedNanoseconds + 3 * FileStateRecord.racyWindowNanoseconds
        #expect(aged.isValid(for: record.state))
    }

    @Test("files of every size hash as their bytes do (read whole when small, streamed when large)",
          arguments: [0, 1, 4095, 4096, (1 << 18) + 1, (1 << 20) - 1, 1 << 20, (1 << 20) + 7])
    func digestsMatchTheBytes(size: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try CacheDirectory(url: directory.url.appendingPathComponent("cache"), key: TestCacheKey.value, warn: CacheWarning.ignore)
        let path = directory.url.appendingPathComponent("input").path
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(try cache.fileStates.digest(ofFileAtPath: path) == Digest.of(bytes))
    }

    @Test func racyRecordIsRehashedUntilItAges() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try CacheDirectory(url: directory.url.appendingPathComponent("cache"), key: TestCacheKey.value, warn: CacheWarning.ignore)
        let path = directory.url.appendingPathComponent("fresh.txt").path
        try Data("v1".utf8).write(to: URL(fileURLWithPath: path))
        _ = try cache.fileStates.digest(ofFileAtPath: path)
        // Just written: its stamps are within the racy window of the hash, so it is read again.
        _ = try cache.fileStates.digest(ofFileAtPath: path)
        #expect(cache.fileStates.filesHashed == 2)
    }

    @Test func racyGuardRejectsMatchingStateHashedTooSoon() {
        let state = FileState(device: 1, inode: 2, size: 10, modifiedNanoseconds: 5_000_000_000,
                              changedNanoseconds: 5_000_000_000)
        // Hashed in the same instant the file was written: the same stat could hide a second write.
        #expect(!FileStateRecord(state: state, digest: Digest.of("x"), hashedNanoseconds: 5_000_000_000).isValid(for: state))
        #expect(!FileStateRecord(state: state, digest: Digest.of("x"), hashedNanoseconds: 6_000_000_000).isValid(for: state))
        // Hashed safely later: trusted.
        #expect(FileStateRecord(state: state, digest: Digest.of("x"), hashedNanoseconds: 9_000_000_000).isValid(for: state))
        // Any differing field: not trusted.
        var moved = state
        moved.changedNanoseconds += 1
        #expect(!FileStateRecord(state: state, digest: Digest.of("x"), hashedNanoseconds: 9_000_000_000).isValid(for: moved))
        var replaced = state
        replaced.inode = 3
        #expect(!FileStateRecord(state: state, digest: Digest.of("x"), hashedNanoseconds: 9_000_000_000).isValid(for: replaced))
    }

    @Test func contentChangeWithSameSizeAndMtimeIsNoticed() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try CacheDirectory(url: directory.url.appendingPathComponent("cache"), key: TestCacheKey.value, warn: CacheWarning.ignore)
        let path = directory.url.appendingPathComponent("talconfig.j2").path
        try Data("node: cp1".utf8).write(to: URL(fileURLWithPath: path))
        setModified(path, seconds: 1_600_000_000, nanoseconds: 123)
        let before = try cache.fileStates.digest(ofFileAtPath: path)
        let sizeAndMtime = try FileManager.default.attributesOfItem(atPath: path)

        // Same length, same mtime restored afterwards: only the content (and ctime) differ.
        try Data("node: cp2".utf8).write(to: URL(fileURLWithPath: path))
        setModified(path, seconds: 1_600_000_000, nanoseconds: 123)
        let after = try FileManager.default.attributesOfItem(atPath: path)
        #expect(after[.size] as? Int == sizeAndMtime[.size] as? Int)
        #expect(after[.modificationDate] as? Date == sizeAndMtime[.modificationDate] as? Date)

        let digest = try cache.fileStates.digest(ofFileAtPath: path)
        #expect(digest == Digest.of("node: cp2"))
        #expect(digest != before)
    }

    @Test func recordsArePersistedAndSharedByPath() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cacheURL = directory.url.appendingPathComponent("cache")
        let path = directory.url.appendingPathComponent("a.txt").path
        try Data("hello".utf8).write(to: URL(fileURLWithPath: path))
        _ = try CacheDirectory(url: cacheURL, key: TestCacheKey.value, warn: CacheWarning.ignore).fileStates.digest(ofFileAtPath: path)
        let reopened = try CacheDirectory(url: cacheURL, key: TestCacheKey.value, warn: CacheWarning.ignore)
        #expect(try reopened.fileStates.record(forPath: path)?.digest == Digest.of("hello"))
        #expect(try reopened.actions.statistics().fileStates == 1)
    }
}
