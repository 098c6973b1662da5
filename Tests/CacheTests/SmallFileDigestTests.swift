import Foundation
import Testing
import TestSupport
@testable import Cache

/// `FileStateCache.digest(ofFileDescriptor:size:path:)` trusts `fstat`'s size only to size its buffer: a
/// file that turns out longer (it grew after the `fstat`) or shorter is still hashed whole.
@Suite struct SmallFileDigestTests {
    @Test(arguments: [0, 1, 99, 100, 101, 5000])
    func aWrongSizeStillHashesTheWholeFile(claimed: Int) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("input").path
        let bytes = (0..<100).map { UInt8($0) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(try FileStateCache.digest(ofFileDescriptor: fd, size: claimed, path: path) == Digest.of(bytes))
    }
}
