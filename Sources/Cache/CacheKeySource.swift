import COpenSSL
import FoundationEssentials
import Glibc
import SystemKit

/// Where the cache key comes from, in order:
///
/// 1. `TALOS_BATCH_CACHE_KEY` — for CI, where it is a secret of the pipeline (at least 16 characters;
///    `openssl rand -hex 32` makes a good one). A fork's pull request that does not get the secret gets no
///    usable entries from the base branch's cache, and cannot plant any.
/// 2. A per-user key file, `$XDG_CONFIG_HOME/talos-batch/cache.key` (else `~/.config/talos-batch/cache.key`):
///    32 random bytes, hex, created 0600 (folder 0700) on first use. It never lives in the cache folder,
///    so a copy of the cache does not carry the key that vouches for it.
///
/// Without either (no home folder, an unwritable config folder, an unusable key file) there is no key: a
/// warning says so, records are checked only for their shape, and secret-bearing outputs are not stored
/// at all (their stages run again where a restore would be needed).
public enum CacheKeySource {
    public static let environmentVariable = "TALOS_BATCH_CACHE_KEY"
    static let minimumEnvironmentKeyLength = 16

    /// The process's key, resolved once from its environment (warnings on standard error).
    public static let current: CacheKey? = resolve(environment: ProcessInfo.processInfo.environment,
                                                   warn: CacheWarning.standardError)

    /// The key file for an environment: `$XDG_CONFIG_HOME/talos-batch/cache.key`, else under `$HOME/.config`.
    public static func keyFilePath(environment: [String: String]) -> String? {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return config + "/talos-batch/cache.key"
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return home + "/.config/talos-batch/cache.key"
    }

    /// The key for `environment`, creating the key file when there is none; nil (with a warning) when
    /// no key can be had.
    public static func resolve(environment: [String: String], warn: CacheWarningHandler) -> CacheKey? {
        if let text = environment[environmentVariable], !text.isEmpty {
            guard text.utf8.count >= minimumEnvironmentKeyLength else {
                warn("\(environmentVariable) is shorter than \(minimumEnvironmentKeyLength) characters; ignoring it, so the cache runs without a key (secret outputs are not stored)")
                return nil
            }
            return CacheKey(secret: Array(text.utf8), origin: "$\(environmentVariable)")
        }
        guard let path = keyFilePath(environment: environment) else {
            warn("no cache key: neither \(environmentVariable) nor a home folder for the key file is set; secret outputs are not stored in the cache")
            return nil
        }
        do {
            return CacheKey(secret: try loadOrCreate(path), origin: path)
        } catch {
            warn("no cache key: \(error); secret outputs are not stored in the cache")
            return nil
        }
    }

    /// Reads the key file, creating it (32 random bytes as hex, 0600, exclusive create so concurrent
    /// first runs agree on one key) when it does not exist.
    static func loadOrCreate(_ path: String) throws -> [UInt8] {
        if let existing = try read(path) { return existing }
        try FileIO.makeDirectories(path.pathDeletingLastComponent, mode: 0o700)
        var secret = [UInt8](repeating: 0, count: 32)
        guard SecRandom.fill(&secret) else { throw CacheError.invalidArgument("\(path): the system random generator failed") }
        let text = Array((secret.map { String(cFormat: "%02x", $0) }.joined() + "\n").utf8)
        let temporary = FileIO.temporarySibling(of: path)
        let fd = try FileIO.open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
        do {
            try text.withUnsafeBytes { try FileIO.writeAll(fd, $0, path: temporary) }
            try FileIO.fsync(fd, path: temporary)
            close(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        // link(2) fails when another process created the file meanwhile: then its key is the one.
        defer { unlink(temporary) }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw CacheError.io(operation: "create the cache key file", path: path, errno: errno)
        }
        guard let key = try read(path) else {
            throw CacheError.invalidArgument("\(path): the cache key file vanished while it was created")
        }
        return key
    }

    /// The key file's secret; nil when there is no file. Refuses files that are not ours or not regular,
    /// and narrows a readable-by-others file to 0600.
    static func read(_ path: String) throws -> [UInt8]? {
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw CacheError.io(operation: "open the cache key file", path: path, errno: errno)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CacheError.io(operation: "stat", path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw CacheError.invalidArgument("\(path): the cache key file is not a regular file")
        }
        guard info.st_uid == geteuid() else {
            throw CacheError.invalidArgument("\(path): the cache key file belongs to another user (uid \(info.st_uid))")
        }
        if info.st_mode & 0o077 != 0 { _ = fchmod(fd, 0o600) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { throw CacheError.invalidArgument("\(path): the cache key file is empty or unreadable") }
        let text = String(decoding: buffer[..<count], as: UTF8.self).trimming(.whitespacesAndNewlines)
        guard text.utf8.count >= 32 else {
            throw CacheError.invalidArgument("\(path): the cache key file holds fewer than 32 characters")
        }
        return Array(text.utf8)
    }
}

/// The system's random generator, through OpenSSL.
enum SecRandom {
    static func fill(_ bytes: inout [UInt8]) -> Bool {
        let count = Int32(bytes.count)
        return bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, count) } == 1
    }
}
