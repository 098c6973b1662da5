import FoundationEssentials
import Glibc

/// The one checked way to read an input file (a talenv, template, secrets file, project file, patch, or a
/// file whose digest keys a stage): only regular files, within a size limit. A FIFO, a device, a symbolic
/// link to `/dev/zero` or a folder put where a file belongs gives an error naming the file instead of a
/// hang or an unbounded read. The file is opened with O_NONBLOCK (opening a FIFO without a writer would
/// block) and checked with `fstat` on the open descriptor, so nothing can be swapped in between the check
/// and the read. Symbolic links to regular files are followed: fleets share talenv files that way.
public enum RegularFile {
    /// 64 MiB: far above any talenv, template or secrets file, far below what would exhaust memory.
    public static let sizeLimit: Int64 = 64 << 20

    /// An open descriptor on a regular file no larger than `limit`, with its status; the caller closes it.
    public static func open(_ path: String, limit: Int64 = sizeLimit) throws -> (descriptor: Int32, status: stat) {
        var fd: Int32
        repeat {
            fd = Glibc.open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        } while fd < 0 && errno == EINTR
        guard fd >= 0 else { throw RegularFileError(path: path, problem: .system(errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw RegularFileError(path: path, problem: .system(code))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw RegularFileError(path: path, problem: .notRegular(RegularFileError.kind(of: info.st_mode)))
        }
        guard Int64(info.st_size) <= limit else {
            close(fd)
            throw RegularFileError(path: path, problem: .tooLarge(size: Int64(info.st_size), limit: limit))
        }
        // Reads of a regular file never block; clearing the flag keeps the descriptor ordinary.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (fd, info)
    }

    /// The whole content of a regular file no larger than `limit` (a file that grows past the limit
    /// while being read is refused too).
    public static func read(_ path: String, limit: Int64 = sizeLimit) throws -> [UInt8] {
        let (fd, info) = try open(path, limit: limit)
        defer { close(fd) }
        // Read straight into the array, sized by `fstat` plus one byte that tells a file grown meanwhile
        // (every stage reads its inputs here: no zero-filled staging buffer per read).
        var failure: Int32 = 0
        var filledUp = false
        var bytes = [UInt8](unsafeUninitializedCapacity: Int(info.st_size) + 1) { buffer, initialized in
            initialized = 0
            while initialized < buffer.count {
                let count = Glibc.read(fd, buffer.baseAddress! + initialized, buffer.count - initialized)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if count == 0 { return }
                initialized += count
            }
            filledUp = true
        }
        if failure != 0 { throw RegularFileError(path: path, problem: .system(failure)) }
        if Int64(bytes.count) > limit {
            throw RegularFileError(path: path, problem: .tooLarge(size: Int64(bytes.count), limit: limit))
        }
        guard filledUp else { return bytes }
        // The file is larger than `fstat` said (it grew, or its size is not known ahead): read on in chunks.
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw RegularFileError(path: path, problem: .system(errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            if Int64(bytes.count) > limit {
                throw RegularFileError(path: path, problem: .tooLarge(size: Int64(bytes.count), limit: limit))
            }
        }
        return bytes
    }

    /// The content when `path` is a regular file; nil when nothing is there (ENOENT, ENOTDIR).
    public static func readIfPresent(_ path: String, limit: Int64 = sizeLimit) throws -> [UInt8]? {
        do {
            return try read(path, limit: limit)
        } catch let error as RegularFileError where error.isMissing {
            return nil
        }
    }
}

/// Why an input file could not be read, worded for a person: `path: is a FIFO, not a regular file`.
public struct RegularFileError: Error, Sendable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case notRegular(String)
        case tooLarge(size: Int64, limit: Int64)
        case system(Int32)
    }

    public var path: String
    public var problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// Nothing at the path (the caller may treat the file as absent).
    public var isMissing: Bool {
        if case .system(let code) = problem { return code == ENOENT || code == ENOTDIR }
        return false
    }

    /// The reason alone, without the path (callers that print their own display path use it).
    public var reason: String {
        switch problem {
        case .notRegular(let kind):
            return "is \(kind), not a regular file; only regular files are read"
        case let .tooLarge(size, limit):
            return "is larger (\(size) bytes) than the \(limit >> 20) MiB input files may have"
        case .system(let code):
            return String(cString: strerror(code))
        }
    }

    public var description: String { "\(path): \(reason)" }

    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a file"
        }
    }
}

extension RegularFileError: LocalizedError {
    public var errorDescription: String? { description }
}
