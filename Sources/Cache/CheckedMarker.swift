import FoundationEssentials
import Glibc

/// `cache.db-checked`: the `stat` state (device, inode, size, modification and status-change times) of
/// `cache.db` as a run of this program left it, sound, with its write-ahead log emptied. While the file
/// and an empty or absent log are still in exactly that state, nothing has written to them since, so the
/// quick check at open (which reads every page) would find what it found then. Any write — a damaging
/// one included — moves the status-change time, which no one can set back; a log with content (a crash,
/// another process mid-run) means the check runs. The marker is a hint against accidental damage, not a
/// trust decision: action records and stamps carry their own MACs whatever the database holds.
enum CheckedMarker {
    static let suffix = "-checked"

    static func holds(databasePath path: String) -> Bool {
        guard let recorded = FileIO.readRegularFile(path + suffix), let current = state(databasePath: path) else {
            return false
        }
        return recorded == Array(current.utf8)
    }

    static func record(databasePath path: String) {
        guard let current = state(databasePath: path) else { return }
        let temporary = FileIO.temporarySibling(of: path + suffix)
        guard let fd = try? FileIO.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600) else { return }
        let written = (try? Array(current.utf8).withUnsafeBytes { try FileIO.writeAll(fd, $0, path: temporary) }) != nil
        close(fd)
        if !written || Glibc.rename(temporary, path + suffix) != 0 { unlink(temporary) }
    }

    static func forget(databasePath path: String) {
        unlink(path + suffix)
    }

    /// The database file's state as text; nil when it is not a regular file or its log holds frames.
    private static func state(databasePath path: String) -> String? {
        var info = stat()
        if lstat(path + "-wal", &info) == 0, info.st_size > 0 { return nil }
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return "talos-batch cache.db checked 1\n\(info.st_dev) \(info.st_ino) \(info.st_size) "
            + "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)\n"
    }
}
