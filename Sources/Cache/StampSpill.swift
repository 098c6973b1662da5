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
        add(record: StampFileFormat.encode(stamp), group: stamp.group)
    }

    /// Appends a record as `StampFile.refreshed` returns it (unsealed), for `group`.
    public func add(record: [UInt8], group: String) {
        lock.withLock {
            guard failure == nil, descriptor >= 0 else { return }
            do {
                try record.withUnsafeBytes { try FileIO.writeAll(descriptor, $0, path: path) }
                groups.append(group)
            } catch {
                failure = error
            }
        }
    }

    public var count: Int { lock.withLock { groups.count } }

    /// Hands every record (as `encode` made them) to `body`, one at a time, in the order they were added.
    func forEachRecord(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        try lock.withLock {
            if let failure { throw failure }
            let size = lseek(descriptor, 0, SEEK_END)
            guard size >= 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
                throw CacheError.io(operation: "lseek", path: path, errno: errno)
            }
            var reader = RecordStreamReader(fd: descriptor, path: path, offset: 0, size: Int(size), trailer: 0)
            while let record = try reader.next() { try body(record) }
            guard reader.atEnd else { throw CacheError.io(operation: "read", path: path, errno: EIO) }
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
