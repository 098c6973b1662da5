import FoundationEssentials
import Glibc
import SystemKit

/// An exclusive advisory lock (flock) on a cluster folder, held while writing its outputs, so two regens
/// over one tree never interleave writes to the same cluster. Released on `unlock` or process exit.
///
/// The folder itself is locked, through a descriptor of it: no lock file is created (one inode fewer per
/// cluster in a cold run, nothing left in the user's tree). Where a folder cannot be flock'ed (NFS emulates
/// flock with byte-range locks, which need a descriptor open for writing), a lock file `.talos-batch.lock`
/// in the folder is used instead.
public final class ClusterLock {
    public static let fileName = ".talos-batch.lock"
    private let descriptor: Int32
    /// The locked folder's own descriptor (nil when a lock file is used), for calls relative to it while the
    /// lock is held: the kernel then walks one name instead of the folder's whole path.
    public let folderDescriptor: Int32?

    /// Blocks until the lock is ours.
    public convenience init(folder: URL) throws {
        // Waiting never yields nil.
        try self.init(folder: folder, wait: true)!
    }

    /// With `wait` false, returns nil instead of blocking when another process holds the lock.
    public init?(folder: URL, wait: Bool) throws {
        let path = folder.path
        let directory = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard directory >= 0 else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        switch Self.lock(directory, wait: wait) {
        case .locked:
            descriptor = directory
            folderDescriptor = directory
            return
        case .busy:
            close(directory)
            return nil
        case .unsupported:
            close(directory)
        case .failed:
            close(directory)
            throw CocoaError(.fileLocking, userInfo: [NSFilePathErrorKey: path])
        }
        let lockPath = path + "/" + Self.fileName
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: lockPath])
        }
        switch Self.lock(fd, wait: wait) {
        case .locked:
            descriptor = fd
            folderDescriptor = nil
        case .busy:
            close(fd)
            return nil
        case .unsupported, .failed:
            close(fd)
            throw CocoaError(.fileLocking, userInfo: [NSFilePathErrorKey: lockPath])
        }
    }

    public func unlock() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private enum Attempt { case locked, busy, unsupported, failed }

    private static func lock(_ fd: Int32, wait: Bool) -> Attempt {
        while flock(fd, wait ? LOCK_EX : LOCK_EX | LOCK_NB) != 0 {
            switch errno {
            case EINTR: continue
            case EWOULDBLOCK where !wait: return .busy
            case EBADF, ENOLCK, EINVAL, EOPNOTSUPP: return .unsupported
            default: return .failed
            }
        }
        return .locked
    }
}
