import Foundation

/// An exclusive advisory lock (flock) on a cluster folder, held while writing its outputs, so two regens
/// over one tree never interleave writes to the same cluster. Released on `unlock` or process exit.
public final class ClusterLock {
    public static let fileName = ".talos-batch.lock"
    private let descriptor: Int32

    /// Blocks until the lock is ours.
    public convenience init(folder: URL) throws {
        // Waiting never yields nil.
        try self.init(folder: folder, wait: true)!
    }

    /// With `wait` false, returns nil instead of blocking when another process holds the lock.
    public init?(folder: URL, wait: Bool) throws {
        let path = folder.appendingPathComponent(Self.fileName, isDirectory: false).path
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        while flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            if !wait && errno == EWOULDBLOCK {
                close(fd)
                return nil
            }
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
