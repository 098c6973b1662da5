import FoundationEssentials
import Glibc

extension Digest {
    /// SHA-256 of a file's bytes, streamed in large reads (never loaded whole, never decoded as text).
    public static func ofFile(atPath path: String) throws -> Digest {
        let fd = try FileIO.open(path, O_RDONLY)
        defer { close(fd) }
        return try ofFile(descriptor: fd, path: path).digest
    }

    /// Hashes an open file from its current offset to the end; also returns how many bytes it read.
    static func ofFile(descriptor fd: Int32, path: String) throws -> (digest: Digest, size: Int64) {
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        var hasher = SHA256Hasher()
        let size = try FileIO.forEachChunk(ofFileDescriptor: fd, path: path) { hasher.update($0) }
        return (hasher.finalize(), size)
    }
}
