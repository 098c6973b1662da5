import Foundation

/// An exclusive advisory lock (flock) on a cluster folder, held while writing its outputs, so two regens
/// over one tree never interleave writes to the same cluster. Released on `unlock` or process exit.
public final class ClusterLock {
    public static let fileName = ".talos-batch.lock"
    private let descriptor: Int32

    /// Blocks until the lock is ours.
    public init(folder: URL) throws {
        let path = folder.appendingPathComponent(Self.fileName, isDirectory: false).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        while flock(fd, LOCK_EX) != 0 {
            if errno != EINTR {
                close(fd)
                throw CocoaError(.fileLocking, userInfo: [NSFilePathErrorKey: path])
            }
        }
        descriptor = fd
    }

    public func unlock() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
