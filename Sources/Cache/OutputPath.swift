import FoundationEssentials
import Glibc

/// Where a restored output may go. A cache record is an input like any other — whoever can write the
/// cache folder can write records — so the path it names is checked before a byte is written: a plain
/// relative path inside the cluster's output folder, and no symbolic link on the way there.
public enum OutputPath {
    /// Whether `path` is plain and relative: not empty, no leading `/`, no empty, `.` or `..` component,
    /// no NUL, no backslash, nothing longer than a file name may be. One pass over the UTF-8 bytes (asked
    /// for every output of every record a run looks at: splitting into substrings cost more than the rest
    /// of the check).
    public static func isPlainRelative(_ path: String) -> Bool {
        var path = path
        return path.withUTF8 { bytes in
            guard !bytes.isEmpty, bytes.count <= 4096 else { return false }
            var componentLength = 0
            var dots = 0
            for byte in bytes {
                switch byte {
                case 0, UInt8(ascii: "\\"):
                    return false
                case UInt8(ascii: "/"):
                    // An empty (also a leading "/"), "." or ".." component.
                    if componentLength == 0 || dots == componentLength && dots <= 2 { return false }
                    componentLength = 0
                    dots = 0
                default:
                    componentLength += 1
                    if componentLength > 255 { return false }
                    if byte == UInt8(ascii: ".") { dots += 1 }
                }
            }
            return componentLength > 0 && !(dots == componentLength && dots <= 2)
        }
    }

    /// Refuses a write through a symbolic link: every existing component of `relative` under `root`
    /// (folders and the file itself) must be what it claims, not a link that could point outside the tree.
    /// Missing components are fine (they will be created as plain folders).
    public static func refuseSymlinks(root: String, relative: String) throws {
        guard isPlainRelative(relative) else {
            throw CacheError.invalidArgument("\(root): refusing to write the output path \"\(relative)\": not a plain relative path")
        }
        var path = root
        for component in relative.split(separator: "/") {
            path += "/" + component
            var info = stat()
            if lstat(path, &info) != 0 {
                if errno == ENOENT { return }
                throw CacheError.io(operation: "lstat", path: path, errno: errno)
            }
            if (info.st_mode & S_IFMT) == S_IFLNK {
                throw CacheError.invalidArgument("\(path) is a symbolic link; refusing to write outputs through it (remove it and run again)")
            }
        }
    }

    /// What `refuseSymlinks` looks at, for the many outputs of one commit: each folder component once
    /// per commit (`checkedFolders`, relative paths) instead of once per file, and the target's own
    /// `lstat` returned, so the caller needs no second `stat` to see whether it is there. nil when the
    /// target (or a folder on the way) is missing; a symbolic link on the way (a folder or the target)
    /// comes back as that link's `lstat` (`S_IFLNK`), for the caller to judge and refuse. `listedAbsent`:
    /// the caller's listing of the target's folder has no such name, so once the folders check out the
    /// target needs no `lstat` of its own.
    public static func lstatCheckingFolders(root: String, relative: String, checkedFolders: inout Set<Substring>,
                                            listedAbsent: Bool = false) throws -> stat? {
        guard isPlainRelative(relative) else {
            throw CacheError.invalidArgument("\(root): refusing to write the output path \"\(relative)\": not a plain relative path")
        }
        var info = stat()
        var end = relative.startIndex
        while let slash = relative[end...].firstIndex(of: "/") {
            let folder = relative[..<slash]
            end = relative.index(after: slash)
            if checkedFolders.contains(folder) { continue }
            let path = root + "/" + folder
            if lstat(path, &info) != 0 {
                if errno == ENOENT { return nil }
                throw CacheError.io(operation: "lstat", path: path, errno: errno)
            }
            if (info.st_mode & S_IFMT) == S_IFLNK { return info }
            checkedFolders.insert(folder)
        }
        if listedAbsent { return nil }
        let path = root + "/" + relative
        if lstat(path, &info) != 0 {
            if errno == ENOENT { return nil }
            throw CacheError.io(operation: "lstat", path: path, errno: errno)
        }
        return info
    }
}
