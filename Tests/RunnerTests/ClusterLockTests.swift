import Foundation
import Testing
import TestSupport
@testable import Runner

@Suite struct ClusterLockTests {
    @Test func aLockedFolderCannotBeLockedAgainUntilReleased() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let held = try #require(try ClusterLock(folder: directory.url, wait: false))
        // flock belongs to the open file description, so a second descriptor conflicts even in one process.
        #expect(try ClusterLock(folder: directory.url, wait: false) == nil)
        held.unlock()
        let again = try #require(try ClusterLock(folder: directory.url, wait: false))
        again.unlock()
        // The folder itself was locked: nothing was created in it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.url.path).isEmpty)
    }

    @Test func aMissingFolderIsAnError() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        #expect(throws: (any Error).self) { try ClusterLock(folder: directory.url.appendingPathComponent("gone"), wait: false) }
    }
}
