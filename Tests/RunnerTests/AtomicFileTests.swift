import Foundation
import Stages
import Testing
import TestSupport
@testable import Runner

/// The one atomic writer under injected faults (no tmpfs needed): short writes and EINTR are carried
/// through, a full disk fails cleanly with the target as it was and no temp file left.
@Suite struct AtomicFileTests {
    /// The real system calls, except `write`: at most `chunk` bytes per call, after `interruptions`
    /// calls that fail with EINTR, and failing with `failWith` once `failAfter` bytes went through.
    final class FaultyFileSystem: FileSystem, Sendable {
        let chunk: Int
        let failAfter: Int?
        let failWith: Int32
        private let state = Locked((interruptions: 0, written: 0, calls: 0))

        init(chunk: Int = .max, interruptions: Int = 0, failAfter: Int? = nil, failWith: Int32 = ENOSPC) {
            self.chunk = chunk
            self.failAfter = failAfter
            self.failWith = failWith
            state.withLock { $0.interruptions = interruptions }
        }

        var calls: Int { state.withLock { $0.calls } }

        func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { SystemFileSystem().open(path, flags, mode) }
        func close(_ descriptor: Int32) -> Int32 { SystemFileSystem().close(descriptor) }
        func rename(_ from: String, _ to: String) -> Int32 { SystemFileSystem().rename(from, to) }
        func unlink(_ path: String) -> Int32 { SystemFileSystem().unlink(path) }

        func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
            let fault = state.withLock { state -> Int32? in
                state.calls += 1
                if state.interruptions > 0 {
                    state.interruptions -= 1
                    return EINTR
                }
                if let failAfter, state.written >= failAfter { return failWith }
                return nil
            }
            if let fault {
                errno = fault
                return -1
            }
            let count = SystemFileSystem().write(descriptor, UnsafeRawBufferPointer(rebasing: bytes.prefix(chunk)))
            if count > 0 { state.withLock { $0.written += count } }
            return count
        }
    }

    let bytes = Array((0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) })

    func leftovers(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
    }

    @Test func shortWritesAndInterruptionsStillWriteEveryByte() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.url.appendingPathComponent("out/file.yaml").path
        let fileSystem = FaultyFileSystem(chunk: 7, interruptions: 3)
        try AtomicFile.write([(path, bytes, 0o600)], fileSystem: fileSystem)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
        #expect(fileSystem.calls == 3 + (bytes.count + 6) / 7)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(try leftovers(in: temp.url.appendingPathComponent("out")).isEmpty)
    }

    @Test func aFullDiskFailsAndLeavesTheTargetAsItWas() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let first = temp.url.appendingPathComponent("a.yaml").path
        let second = temp.url.appendingPathComponent("b.yaml").path
        try AtomicFile.write(Array("old\n".utf8), to: first, mode: 0o644)
        // The first file fits, the second runs out of space half way: neither target changes.
        let fileSystem = FaultyFileSystem(chunk: 100, failAfter: bytes.count + 500)
        #expect(throws: (any Error).self) {
            try AtomicFile.write([(first, bytes, 0o644), (second, bytes, 0o644)], fileSystem: fileSystem)
        }
        #expect(try String(contentsOfFile: first, encoding: .utf8) == "old\n")
        #expect(!FileManager.default.fileExists(atPath: second))
        #expect(try leftovers(in: temp.url).isEmpty)
    }

    @Test func anExistingFolderKeepsItsModeAndAMissingSecretOneIs0700() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        chmod(temp.path, 0o755)
        try AtomicFile.write(bytes, to: temp.url.appendingPathComponent("secret.yaml").path, mode: 0o600)
        try AtomicFile.write(bytes, to: temp.url.appendingPathComponent("new/secret.yaml").path, mode: 0o600)
        func mode(_ path: String) throws -> Int? { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int }
        #expect(try mode(temp.path) == 0o755)
        #expect(try mode(temp.url.appendingPathComponent("new").path) == 0o700)
        #expect(try mode(temp.url.appendingPathComponent("secret.yaml").path) == 0o600)
    }

    @Test func anErrorOtherThanEINTRIsNotRetried() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let path = temp.url.appendingPathComponent("c.yaml").path
        let fileSystem = FaultyFileSystem(failAfter: 0, failWith: EIO)
        #expect(throws: (any Error).self) { try AtomicFile.write([(path, bytes, 0o644)], fileSystem: fileSystem) }
        #expect(fileSystem.calls == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try leftovers(in: temp.url).isEmpty)
    }

    /// Real system calls (RENAME_NOREPLACE included), counting hard links; renames onto a target ending in
    /// `failing` fail with EPERM.
    final class CountingFileSystem: FileSystem, Sendable {
        let failing: String?
        private let linkCount = Locked(0)
        init(failing: String? = nil) { self.failing = failing }
        var links: Int { linkCount.withLock { $0 } }
        func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { SystemFileSystem().open(path, flags, mode) }
        func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int { SystemFileSystem().write(descriptor, bytes) }
        func close(_ descriptor: Int32) -> Int32 { SystemFileSystem().close(descriptor) }
        func unlink(_ path: String) -> Int32 { SystemFileSystem().unlink(path) }
        func rename(_ from: String, _ to: String) -> Int32 {
            if let failing, to.hasSuffix(failing) { errno = EPERM; return -1 }
            return SystemFileSystem().rename(from, to)
        }
        func renameNoReplace(_ from: String, _ to: String) -> Int32 {
            if let failing, to.hasSuffix(failing) { errno = EPERM; return -1 }
            return SystemFileSystem().renameNoReplace(from, to)
        }
        func link(_ existing: String, _ new: String) -> Int32 {
            linkCount.withLock { $0 += 1 }
            return SystemFileSystem().link(existing, new)
        }
    }

    @Test func outputsSeenAbsentAreRenamedWithoutABackup() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let fileSystem = CountingFileSystem()
        var staged = StagedWrite(fileSystem: fileSystem)
        defer { staged.discard() }
        let first = temp.url.appendingPathComponent("a.yaml").path, second = temp.url.appendingPathComponent("b.yaml").path
        try staged.add(bytes, to: first, mode: 0o600, absent: true)
        try staged.add(bytes, to: second, mode: 0o644, absent: true)
        try staged.renameAll()
        #expect(fileSystem.links == 0)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: first))) == bytes)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: second))) == bytes)
        #expect(try leftovers(in: temp.url).isEmpty)
    }

    /// A file that appears where the commit saw none (written by someone else after the folder was listed)
    /// is not replaced blindly: RENAME_NOREPLACE refuses, the file gets its backup, and a later failed
    /// rename puts it back.
    @Test func aFileThatAppearedAfterTheListingIsBackedUpAndRestoredOnRollback() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let fileSystem = CountingFileSystem(failing: "b.yaml")
        var staged = StagedWrite(fileSystem: fileSystem)
        defer { staged.discard() }
        let first = temp.url.appendingPathComponent("a.yaml").path, second = temp.url.appendingPathComponent("b.yaml").path
        try staged.add(bytes, to: first, mode: 0o644, absent: true)
        try staged.add(bytes, to: second, mode: 0o644, absent: true)
        try "appeared\n".write(toFile: first, atomically: false, encoding: .utf8)
        #expect(throws: PartialRenameError.self) { try staged.renameAll() }
        #expect(fileSystem.links == 1)
        #expect(try String(contentsOfFile: first, encoding: .utf8) == "appeared\n")
        #expect(!FileManager.default.fileExists(atPath: second))
        staged.discard()
        #expect(try leftovers(in: temp.url).isEmpty)
    }
}
