import FoundationEssentials
import Glibc

/// Makes the cache folder, and the folders inside it, usable and private before anything is read from
/// them: a folder of ours with group or other permission bits is narrowed to 0700, one owned by another
/// user is refused (it could be read or rigged by them), and a file sitting where one of the cache's
/// folders belongs is moved aside (`<name>.broken-<time>-<pid>`, never deleted) so the cache starts over.
public enum CacheFolderRepair {
    /// Prepares the cache folder itself. Throws only for a folder owned by another user or one that
    /// cannot be created.
    public static func ensureCacheFolder(_ path: String, warn: CacheWarningHandler) throws {
        try ensureFolder(path, warn: warn)
        var info = stat()
        guard stat(path, &info) == 0 else { throw CacheError.io(operation: "stat", path: path, errno: errno) }
        guard info.st_uid == geteuid() else {
            throw CacheError.foreignCacheFolder(path: path, owner: info.st_uid)
        }
        if info.st_mode & 0o077 != 0 {
            guard chmod(path, 0o700) == 0 else { throw CacheError.io(operation: "chmod 0700", path: path, errno: errno) }
            warn("\(path): the cache folder was open to other users (mode \(String(info.st_mode & 0o777, radix: 8))); narrowed it to 0700")
        }
    }

    /// Creates `path` (0700, with missing parents) unless it is a folder already; anything else in its
    /// place is moved aside with a warning.
    public static func ensureFolder(_ path: String, warn: CacheWarningHandler) throws {
        var info = stat()
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { return }
            let aside = path + ".broken-\(Int(Date().timeIntervalSince1970))-\(getpid())"
            try FileIO.rename(path, aside)
            warn("\(path) was not a folder; moved it aside to \(aside) and started afresh")
        } else if errno == ENOENT, lstat(path, &info) == 0 {
            // A dangling symbolic link where a cache folder belongs.
            let aside = path + ".broken-\(Int(Date().timeIntervalSince1970))-\(getpid())"
            try FileIO.rename(path, aside)
            warn("\(path) was a dangling symbolic link; moved it aside to \(aside) and started afresh")
        }
        try FileIO.makeDirectories(path, mode: 0o700)
    }
}
