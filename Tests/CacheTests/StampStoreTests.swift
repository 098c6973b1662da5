import Cache
import Foundation
import Testing
import TestSupport

@Suite struct StampStoreTests {
    func file(_ index: Int) -> StampedFile {
        let state = FileState(device: 7, inode: UInt64(100 + index), size: Int64(index * 10),
                              modifiedNanoseconds: 1_600_000_000_123_456_789 + Int64(index), changedNanoseconds: -5)
        return StampedFile(path: index == 0 ? "/shared/talconfig.j2" : "talenv-\(index).yaml", state: state)
    }

    func stamp(_ group: String, files: Int = 2, validUntil: Int64 = .max) -> Stamp {
        let outputs = [
            OutputEntry(path: "talconfig.rendered.yaml", digest: Digest.of("rendered"), mode: 0o644, size: 8),
            OutputEntry(path: "clusterconfig/a.yaml", digest: Digest.of("a"), mode: 0o600, size: 1),
        ]
        let actions = [
            StampedAction(name: "validate", key: Digest.of(group + "validate"), outputs: []),
            StampedAction(name: "render", key: Digest.of(group + "render"), outputs: outputs),
        ]
        return Stamp(group: group, configuration: Digest.of("configuration"), validUntilNanoseconds: validUntil,
                     refreshedSeconds: 1_700_000_000, files: (0..<files).map(file), actions: actions)
    }

    @Test func stampsSurviveAWriteAndARead() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StampStore(cacheFolder: directory.url.appendingPathComponent("cache"), key: TestCacheKey.value)
        #expect(store.load().isEmpty)
        let written = [stamp("/fleet/cluster-1"), stamp("/fleet/cluster-2", files: 5, validUntil: 42)]
        try store.update(setting: written, removing: [])
        let read = store.load()
        #expect(read.count == 2)
        #expect(read.stamp(forGroup: "/fleet/cluster-1") == written[0])
        #expect(read.stamp(forGroup: "/fleet/cluster-2") == written[1])
        // Only the owner may read it: stamps name files and digests of secret outputs.
        let mode = try FileManager.default.attributesOfItem(atPath: store.url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func anUpdateKeepsOtherGroupsAndRemovesTheNamedOnes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StampStore(cacheFolder: directory.url, key: TestCacheKey.value)
        try store.update(setting: [stamp("/a"), stamp("/b"), stamp("/c")], removing: [])
        var replaced = stamp("/b")
        replaced.refreshedSeconds = 1
        // Another process's view: it knows nothing of /a and /c, and its update must not drop them.
        try StampStore(cacheFolder: directory.url, key: TestCacheKey.value).update(setting: [replaced], removing: ["/c"])
        let read = store.load()
        #expect(Set(read.groups) == ["/a", "/b"])
        #expect(read.stamp(forGroup: "/b")?.refreshedSeconds == 1)
        try store.update(setting: [Stamp](), removing: ["/a", "/b"])
        #expect(store.load().isEmpty)
        #expect(!FileManager.default.fileExists(atPath: store.url.path))
    }

    @Test func aTornFileReadsAsNoStampsAndAnAlteredRecordAsNoStamp() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StampStore(cacheFolder: directory.url, key: TestCacheKey.value)
        try store.update(setting: [stamp("/a"), stamp("/b")], removing: [])
        let bytes = try Data(contentsOf: store.url)
        // Torn: the tail (and its checksum) is missing.
        try bytes.prefix(bytes.count / 2).write(to: store.url)
        #expect(store.load().isEmpty)
        // One flipped bit anywhere: the record it falls in fails its MAC (or, in a length prefix, the
        // file no longer parses); whatever is still read is an untouched stamp.
        for position in [8 + 4 + 30, bytes.count / 2, bytes.count - 1] {
            var flipped = bytes
            flipped[position] ^= 0x01
            try flipped.write(to: store.url)
            let read = store.load()
            #expect(read.groups.count < 2)
            for group in read.groups { #expect(read.stamp(forGroup: group) == stamp(group)) }
            #expect(store.problem() != nil)
        }
        // Not a stamp file at all.
        try Data("SQLite format 3\u{0}".utf8).write(to: store.url)
        #expect(store.load().isEmpty)
        // And an update over a broken file starts afresh instead of failing.
        try store.update(setting: [stamp("/c")], removing: [])
        #expect(Set(store.load().groups) == ["/c"])
    }

    @Test func spilledStampsReplaceTheirGroupsAndTheSpillIsRemoved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = StampStore(cacheFolder: directory.url, key: TestCacheKey.value)
        try store.update(setting: [stamp("/a"), stamp("/b"), stamp("/c")], removing: [])
        let spill = try StampSpill(cacheFolder: directory.url)
        var newer = stamp("/b")
        newer.refreshedSeconds = 7
        spill.add(newer)
        spill.add(stamp("/d", files: 9))
        try store.update(spilled: spill, removing: ["/c"])
        let read = store.load()
        #expect(Set(read.groups) == ["/a", "/b", "/d"])
        #expect(read.stamp(forGroup: "/b")?.refreshedSeconds == 7)
        #expect(read.stamp(forGroup: "/d") == stamp("/d", files: 9))
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasSuffix(".new") }
        #expect(left.isEmpty)
    }

    @Test func clearingTheCacheForgetsTheStamps() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try CacheDirectory(url: directory.url.appendingPathComponent("cache"), key: TestCacheKey.value, warn: CacheWarning.ignore)
        try cache.stamps.update(setting: [stamp("/a")], removing: [])
        #expect(cache.stamps.load().count == 1)
        try cache.clear()
        #expect(cache.stamps.load().isEmpty)
    }
}
