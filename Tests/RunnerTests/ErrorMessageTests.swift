import Cache
import Foundation
import Runner
import Testing

/// Errors as a person reads them (issue 19): never a Foundation error object, always the path and the
/// system's reason; SQLite's codes in words.
@Suite("Error messages")
struct ErrorMessageTests {
    @Test("a POSIX error object prints as path: reason", arguments: [(ENOSPC, "No space left on device"),
                                                                     (EPERM, "Operation not permitted"),
                                                                     (EACCES, "Permission denied"),
                                                                     (EROFS, "Read-only file system")])
    func posix(_ code: Int32, _ reason: String) {
        let error = NSError(domain: NSPOSIXErrorDomain, code: Int(code), userInfo: [NSFilePathErrorKey: "/fleet/out.yaml"])
        #expect(ErrorMessage.text(error) == "/fleet/out.yaml: \(reason)")
    }

    @Test("a Foundation file error prints its path and the system reason underneath")
    func cocoa() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("talos-batch-missing-\(getpid())/x/y")
        do {
            try Data("x".utf8).write(to: folder)
            Issue.record("writing into a missing folder succeeded")
        } catch {
            let text = ErrorMessage.text(error)
            #expect(text.hasSuffix("No such file or directory"), "\(text)")
            #expect(text.contains(folder.path), "\(text)")
            #expect(!text.contains("Error Domain"))
        }
        #expect(ErrorMessage.text(CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: "/c"])) == "/c: No space left on device")
    }

    @Test("the atomic writer's failures name the path and the reason")
    func fileSystemError() {
        #expect(ErrorMessage.text(FileSystemError(path: "/fleet/a", code: ENOSPC)) == "/fleet/a: No space left on device")
    }

    @Test("SQLite result codes are in words", arguments: [(Int32(4874), "disk I/O error (is the disk full?)"),
                                                          (Int32(10), "disk I/O error (is the disk full?)"),
                                                          (Int32(13), "the disk is full")])
    func sqlite(_ code: Int32, _ words: String) {
        let text = ErrorMessage.text(CacheError.database(path: "/c/cache.db", code: code, message: "disk I/O error"))
        #expect(text == "cache database /c/cache.db: \(words)")
    }
}
