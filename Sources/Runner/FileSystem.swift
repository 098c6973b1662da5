import FoundationEssentials
import Glibc
import Stages

/// The system calls output writing makes, behind a protocol as ninja's `DiskInterface`: the real calls in
/// the tool; in tests, ones that inject faults (short writes, EINTR, ENOSPC) without a tmpfs. Each call
/// returns what the system call returns and sets `errno` as it does.
public protocol FileSystem: Sendable {
    func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32
    /// Writes from `bytes`; returns how many were written (maybe fewer), or -1.
    func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int
    func close(_ descriptor: Int32) -> Int32
    func rename(_ from: String, _ to: String) -> Int32
    @discardableResult func unlink(_ path: String) -> Int32
    /// A hard link: the backup of an output kept until the commit it belongs to is complete.
    func link(_ existing: String, _ new: String) -> Int32
    /// A rename that fails with EEXIST instead of replacing an existing `to` (renameat2's RENAME_NOREPLACE):
    /// an output that was not there needs no backup, and this proves it still was not when it appeared.
    /// -1 with EINVAL (or ENOSYS) where the file system cannot: the caller backs up and renames as usual.
    func renameNoReplace(_ from: String, _ to: String) -> Int32
    /// A file with no name yet in `folder` (open(2)'s O_TMPFILE; `folder` relative to the open folder
    /// `directory`, or AT_FDCWD), open for writing with `mode`: written, then given its name by
    /// `linkUnnamed`, it never exists half-written under any name, and one killed before that leaves nothing
    /// behind. -1 (EOPNOTSUPP, EISDIR or EINVAL) where the file system has none: the caller writes a temp
    /// file and renames it.
    func openUnnamed(at directory: Int32, _ folder: String, _ mode: mode_t) -> Int32
    /// Gives a file from `openUnnamed` its name (`path` relative to `directory`), failing with EEXIST if
    /// something is there (linkat(2)).
    func linkUnnamed(_ descriptor: Int32, at directory: Int32, _ path: String) -> Int32
}

extension FileSystem {
    /// The real call, for fault-injecting file systems that have no reason to intercept it.
    public func link(_ existing: String, _ new: String) -> Int32 { Glibc.link(existing, new) }

    /// "Not supported", for fault-injecting file systems: their `link` and `rename` then see every call.
    public func renameNoReplace(_ from: String, _ to: String) -> Int32 {
        errno = EINVAL
        return -1
    }

    /// "Not supported", for fault-injecting file systems: their `open` and `rename` then see every file.
    public func openUnnamed(at directory: Int32, _ folder: String, _ mode: mode_t) -> Int32 {
        errno = EOPNOTSUPP
        return -1
    }

    public func linkUnnamed(_ descriptor: Int32, at directory: Int32, _ path: String) -> Int32 {
        errno = EOPNOTSUPP
        return -1
    }
}

/// The real system calls.
public struct SystemFileSystem: FileSystem {
    public init() {}

    public func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { Glibc.open(path, flags, mode) }

    public func write(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        return Glibc.write(descriptor, base, bytes.count)
    }

    public func close(_ descriptor: Int32) -> Int32 { Glibc.close(descriptor) }
    public func rename(_ from: String, _ to: String) -> Int32 { Glibc.rename(from, to) }
    @discardableResult public func unlink(_ path: String) -> Int32 { Glibc.unlink(path) }
    public func renameNoReplace(_ from: String, _ to: String) -> Int32 { linuxRenameat2(AT_FDCWD, from, AT_FDCWD, to, 1) }

    public func openUnnamed(at directory: Int32, _ folder: String, _ mode: mode_t) -> Int32 {
        openat(directory, folder, Self.unnamedFile | O_WRONLY | O_CLOEXEC, mode)
    }

    /// linkat(2) of the descriptor itself (AT_EMPTY_PATH, which needs CAP_DAC_READ_SEARCH), else of its
    /// /proc/self/fd entry — the way open(2)'s manual gives for anyone; which one works is learnt once.
    public func linkUnnamed(_ descriptor: Int32, at directory: Int32, _ path: String) -> Int32 {
        if Self.emptyPathLinks.withLock({ $0 }) != false {
            if linkat(descriptor, "", directory, path, Self.emptyPath) == 0 {
                Self.emptyPathLinks.withLock { $0 = true }
                return 0
            }
            // ENOENT is also what a process without the capability gets: the /proc form tells them apart.
            guard errno == ENOENT else { return -1 }
            let result = linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", directory, path, AT_SYMLINK_FOLLOW)
            if result == 0 { Self.emptyPathLinks.withLock { $0 = false } }
            return result
        }
        return linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", directory, path, AT_SYMLINK_FOLLOW)
    }

    /// open(2)'s O_TMPFILE (__O_TMPFILE | O_DIRECTORY), not exported by Glibc's module map.
    static let unnamedFile: Int32 = 0o20000000 | O_DIRECTORY
    /// linkat(2)'s AT_EMPTY_PATH.
    static let emptyPath: Int32 = 0x1000
    /// Whether linkat with AT_EMPTY_PATH works for this process (nil until tried).
    private static let emptyPathLinks = Locked<Bool?>(nil)
}

// Glibc's module map does not export renameat2 (it is behind _GNU_SOURCE); flag 1 is RENAME_NOREPLACE.
@_silgen_name("renameat2")
private func linuxRenameat2(_ oldDirectory: Int32, _ old: UnsafePointer<CChar>, _ newDirectory: Int32,
                            _ new: UnsafePointer<CChar>, _ flags: UInt32) -> Int32
