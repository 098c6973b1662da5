import Cache
import Foundation
import Testing
import TestSupport

@Suite struct BlobStoreTests {
    @Test func putReadAndLayout() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobStore(root: directory.url.appendingPathComponent("blobs"), warn: CacheWarning.ignore)
        let bytes = Array("machine:\n  type: controlplane\n".utf8)
        let digest = try store.put(bytes)
        #expect(digest == Digest.of(bytes))
        let hex = digest.hex
        let expectedPath = directory.url.path + "/blobs/" + hex.prefix(2) + "/" + hex.dropFirst(2)
        #expect(store.path(of: digest) == expectedPath)
        #expect(FileManager.default.fileExists(atPath: expectedPath))
        #expect(store.contains(digest))
        #expect(try store.read(digest) == bytes)
        // Putting the same bytes again is a no-op that returns the same digest.
        #expect(try store.put(bytes) == digest)
        #expect(try store.allBlobs().map(\.digest) == [digest])
        let mode = try FileManager.default.attributesOfItem(atPath: expectedPath)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // No temporary files are left behind.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: store.root.path).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty)
    }

    @Test func putFileMatchesPutBytes() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobStore(root: directory.url.appendingPathComponent("blobs"), warn: CacheWarning.ignore)
        let bytes = (0..<(2 * (1 << 20) + 7)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let file = directory.url.appendingPathComponent("big.bin")
        try Data(bytes).write(to: file)
        let digest = try store.put(fileAt: file.path)
        #expect(digest == Digest.of(bytes))
        #expect(try store.read(digest) == bytes)
        #expect(try store.put(fileAt: file.path) == digest)
    }

    @Test func missingBlobIsAMiss() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobStore(root: directory.url, warn: CacheWarning.ignore)
        let absent = Digest.of("absent")
        #expect(try store.read(absent) == nil)
        #expect(!store.contains(absent))
        #expect(try store.check(absent) == .missing)
        #expect(try store.restore(absent, to: directory.url.appendingPathComponent("out").path, mode: 0o644) == false)
    }

    @Test func corruptBlobIsReportedRemovedAndNeverRestored() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let warnings = Warnings()
        let store = try BlobStore(root: directory.url.appendingPathComponent("blobs"), warn: warnings.handler)
        let digest = try store.put(Array("secret: value\n".utf8))
        try flipFirstByte(of: store.path(of: digest))

        let destination = directory.url.appendingPathComponent("restored.yaml").path
        try Data("previous\n".utf8).write(to: URL(fileURLWithPath: destination))
        #expect(try store.restore(digest, to: destination, mode: 0o600) == false)
        // The destination keeps its previous content; the corrupt blob is gone.
        #expect(try String(contentsOfFile: destination, encoding: .utf8) == "previous\n")
        #expect(!store.contains(digest))
        #expect(warnings.messages.count == 1)
        #expect(warnings.messages.first?.contains(digest.hex) == true)

        let second = try store.put(Array("other\n".utf8))
        try flipFirstByte(of: store.path(of: second))
        #expect(try store.read(second) == nil)
        #expect(!store.contains(second))
        #expect(warnings.messages.count == 2)

        let third = try store.put(Array("third\n".utf8))
        try flipFirstByte(of: store.path(of: third))
        #expect(try store.check(third) == .corrupt)
        #expect(!store.contains(third))
        // Once removed, it can be stored again.
        #expect(try store.put(Array("third\n".utf8)) == third)
        #expect(try store.check(third) == .valid)
    }

    @Test func restoreWritesModeAtomically() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try BlobStore(root: directory.url.appendingPathComponent("blobs"), warn: CacheWarning.ignore)
        let bytes = Array("talosconfig\n".utf8)
        let digest = try store.put(bytes)
        let destination = directory.url.appendingPathComponent("talosconfig").path
        #expect(try store.restore(digest, to: destination, mode: 0o600))
        #expect(FileManager.default.contents(atPath: destination) == Data(bytes))
        let mode = try FileManager.default.attributesOfItem(atPath: destination)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try store.restore(digest, to: destination, mode: 0o644))
        #expect(try FileManager.default.attributesOfItem(atPath: destination)[.posixPermissions] as? Int == 0o644)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(Set(names) == ["blobs", "talosconfig"])
    }
}

/// Inverts the first byte of a file in place.
func flipFirstByte(of path: String) throws {
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    data[0] ^= 0xff
    try data.write(to: URL(fileURLWithPath: path))
}
