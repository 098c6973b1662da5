import FoundationEssentials
import Glibc

/// What `stat` says about a file that would change if its content did: identity, size and the
/// modification and status-change times in nanoseconds.
public struct FileState: Sendable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    public var modifiedNanoseconds: Int64
    public var changedNanoseconds: Int64

    public init(device: UInt64, inode: UInt64, size: Int64, modifiedNanoseconds: Int64, changedNanoseconds: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modifiedNanoseconds = modifiedNanoseconds
        self.changedNanoseconds = changedNanoseconds
    }

    init(_ info: stat) {
        self.init(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                  modifiedNanoseconds: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
                  changedNanoseconds: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec))
    }

    static func of(path: String) throws -> FileState { FileState(try FileIO.status(path)) }

    /// The state of the file at `path` now (following symlinks); nil when it cannot be stat'ed.
    public static func current(atPath path: String) -> FileState? {
        var info = stat()
        return stat(path, &info) == 0 ? FileState(info) : nil
    }

    /// The state of the file at `path` relative to the open folder `directory` (the kernel walks only the
    /// relative part — most of a stat's cost for deep paths).
    public static func current(in directory: Int32, cPath path: UnsafePointer<CChar>) -> FileState? {
        var info = stat()
        return fstatat(directory, path, &info, 0) == 0 ? FileState(info) : nil
    }

    /// The state of the file at `path` (a C string) now; nil when it cannot be stat'ed.
    public static func current(atCPath path: UnsafePointer<CChar>) -> FileState? {
        var info = stat()
        return stat(path, &info) == 0 ? FileState(info) : nil
    }

    static func of(descriptor fd: Int32, path: String) throws -> FileState {
        var info = stat()
        if fstat(fd, &info) != 0 { throw CacheError.io(operation: "fstat", path: path, errno: errno) }
        return FileState(info)
    }
}
