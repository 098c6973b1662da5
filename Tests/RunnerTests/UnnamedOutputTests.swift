import Foundation
import Stages
import Testing
import TestSupport
@testable import Runner

/// Outputs that were not there are written as unnamed files (O_TMPFILE) and linked into place: never visible
/// half-written, nothing left behind when not linked, and a temp file + rename when linking cannot be done.
@Suite struct UnnamedOutputTests {
    /// The real system calls, but `linkUnnamed` always fails with `failing` (a system without /proc, or a
    /// target that appeared).
    final class UnlinkableFileSystem: FileSystem, Sendable {
        let failing: Int32
        init(failing: Int32) { self.failing = failing }
        func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { SystemFileSystem().open(path, flags, mode) }
        func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int { SystemFileSystem().write(descriptor, bytes) }
        func close(_ descriptor: Int32) -> Int32 { SystemFileSystem().close(descriptor) }
        func rename(_ from: String, _ to: String) -> Int32 { SystemFileSystem().rename(from, to) }
        func unlink(_ path: String) -> Int32 { SystemFileSystem().unlink(path) }
        func renameNoReplace(_ from: String, _ to: String) -> Int32 { SystemFileSystem().renameNoReplace(from, to) }
        func openUnnamed(at directory: Int32, _ folder: String, _ mode: mode_t) -> Int32 {
            SystemFileSystem().openUnnamed(at: directory, folder, mode)
        }
        func linkUnnamed(_ descriptor: Int32, at directory: Int32, _ path: String) -> Int32 {
            errno = failing
            return -1
        }
    }

    func names(_ folder: String) throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

    func mode(_ path: String) throws -> Int? { try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int }

    @Test("an absent output appears whole with its mode (opened and linked by path, or relative to its open folder)",
          arguments: [0o600, 0o644], [false, true])
    func anAbsentOutputAppearsWholeWithItsMode(mode: Int, relative: Bool) throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let target = temp.path + "/out.yaml"
        var staged = StagedWrite(fileSystem: SystemFileSystem())
        staged.linksUnnamedFiles = true
        let folder = open(temp.path, O_RDONLY | O_DIRECTORY)
        defer { close(folder) }
        if relative { staged.folderDescriptor = (temp.path, folder) }
        try staged.add(Array("node: 1\n".utf8), to: target, mode: UInt32(mode), absent: true)
        // Written but not linked: no name in the folder at all, not even a temp one.
        #expect(try names(temp.path).isEmpty)
        try staged.renameAll()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "node: 1\n")
        #expect(try self.mode(target) == mode)
        #expect(try names(temp.path) == ["out.yaml"])
    }

    @Test func anUnlinkedOutputLeavesNothing() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        var staged = StagedWrite(fileSystem: SystemFileSystem())
        staged.linksUnnamedFiles = true
        try staged.add(Array("x".utf8), to: temp.path + "/a", mode: 0o600, absent: true)
        staged.discard()
        #expect(try names(temp.path).isEmpty)
    }

    @Test func aTargetThatAppearedMeanwhileIsReplaced() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let target = temp.path + "/out.yaml"
        var staged = StagedWrite(fileSystem: SystemFileSystem())
        staged.linksUnnamedFiles = true
        try staged.add(Array("new\n".utf8), to: target, mode: 0o600, absent: true)
        try "another writer\n".write(toFile: target, atomically: false, encoding: .utf8)
        try staged.renameAll()
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
        #expect(try self.mode(target) == 0o600)
        #expect(try names(temp.path) == ["out.yaml"])
    }

    @Test("a file that cannot be linked is written to a temp file and renamed", arguments: [ENOENT, EPERM, EEXIST])
    func unlinkableFilesFallBackToATempFile(failing: Int32) throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        var staged = StagedWrite(fileSystem: UnlinkableFileSystem(failing: failing))
        staged.linksUnnamedFiles = true
        for name in ["a", "b"] { try staged.add(Array(name.utf8), to: temp.path + "/" + name, mode: 0o644, absent: true) }
        try staged.renameAll()
        #expect(try String(contentsOfFile: temp.path + "/a", encoding: .utf8) == "a")
        #expect(try String(contentsOfFile: temp.path + "/b", encoding: .utf8) == "b")
        #expect(try names(temp.path) == ["a", "b"])
    }

    @Test func aFailedLinkRollsTheOthersBack() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        var staged = StagedWrite(fileSystem: SystemFileSystem())
        staged.linksUnnamedFiles = true
        try staged.add(Array("a".utf8), to: temp.path + "/a", mode: 0o644, absent: true)
        // The second target's folder is gone by the time the files are linked: nothing of the commit stays.
        try FileManager.default.createDirectory(atPath: temp.path + "/sub", withIntermediateDirectories: false)
        try staged.add(Array("b".utf8), to: temp.path + "/sub/b", mode: 0o644, absent: true)
        try FileManager.default.removeItem(atPath: temp.path + "/sub")
        #expect(throws: PartialRenameError.self) { try staged.renameAll() }
        staged.discard()
        #expect(try names(temp.path).isEmpty)
    }
}
