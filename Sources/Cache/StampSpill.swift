import FoundationEssentials
import Glibc
import SystemKit

/// Stamps made during a run, appended as records to a temp file in the cache folder as they come, so a
/// run that stamps 10,000 clusters does not hold 20 MB of records until it ends; `StampStore.update`
/// then streams them into the stamp file. Safe to use from several threads.
public final class StampSpill: @unchecked Sendable {
    let path: String
    private let lock = Lock()
    private var descriptor: Int32
    private var failure: Error?
    private(set) var groups: [String] = []

    public init(cacheFolder: URL) throws {
        try FileIO.makeDirectories(cacheFolder.path, mode: 0o700)
        path = FileIO.temporarySibling(of: cacheFolder.appendingPathComponent(StampStore.fileName).path) + ".new"
        descriptor = try FileIO.open(path, O_RDWR | O_CREAT | O_EXCL, mode: 0o600)
    }

    deinit { discard() }

    /// Appends a stamp. A write error is kept and reported by `StampStore.update`.
    public func add(_ stamp: Stamp) {
        let record = StampFileFormat.encode(stamp)
        lock.withLock {
            guard failure == nil, descriptor >= 0 else { return }
            do {
                try record.withUnsafeBytes { try FileIO.writeAll(descriptor, $0, path: path) }
                groups.append(stamp.group)
            } catch {
                failure = error
            }
        }
    }

    public var count: Int { lock.withLock { groups.count } }

    /// Streams every record (as `encode` made them) into `body`, in 64 KiB chunks.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try lock.withLock {
            if let failure { throw failure }
            guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw CacheError.io(operation: "lseek", path: path, errno: errno) }
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try FileIO.read(descriptor, into: $0, path: path) }
                if count == 0 { return }
                try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
            }
        }
    }

    /// Closes and removes the temp file (idempotent).
    public func discard() {
        lock.withLock {
            guard descriptor >= 0 else { return }
            close(descriptor)
            unlink(path)
            descriptor = -1
        }
    }
}
