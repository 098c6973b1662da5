import FoundationEssentials
import Glibc

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
}

extension FileSystem {
    /// The real call, for fault-injecting file systems that have no reason to intercept it.
    public func link(_ existing: String, _ new: String) -> Int32 { Glibc.link(existing, new) }

    /// "Not supported", for fault-injecting file systems: their `link` and `rename` then see every call.
    public func renameNoReplace(_ from: String, _ to: String) -> Int32 {
        errno = EINVAL
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
}

// Glibc's module map does not export renameat2 (it is behind _GNU_SOURCE); flag 1 is RENAME_NOREPLACE.
@_silgen_name("renameat2")
private func linuxRenameat2(_ oldDirectory: Int32, _ old: UnsafePointer<CChar>, _ newDirectory: Int32,
                            _ new: UnsafePointer<CChar>, _ flags: UInt32) -> Int32
