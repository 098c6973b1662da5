import FoundationEssentials
import Glibc

/// What `verifyPacks` found.
struct PackCheck {
    var checked = 0
    var valid = Set<Digest>()
    var corrupt: [Digest] = []
    /// Packs whose index was missing or damaged (their writer is gone); rebuilt from their entries.
    var reindexed: [String] = []
}

/// Whole-pack operations for gc, verify and stats. They read the indexes on disk afresh, leave this
/// process's own pack alone, and make every rewrite durable before the old pack is deleted.
extension PackCatalog {
    /// Every indexed entry with its pack's last change (the later of pack and index mtimes).
    func allEntries() -> [(digest: Digest, length: Int64, modified: Date)] {
        var result: [(digest: Digest, length: Int64, modified: Date)] = []
        for pack in Self.packNames(in: directory) {
            guard let index = index(ofPack: pack) else { continue }
            let modified = lastChange(ofPack: pack)
            for (digest, location) in index { result.append((digest, location.length, modified)) }
        }
        return result
    }

    /// Removes `digests` from every pack: a pack left with nothing live is deleted, one that keeps
    /// some entries is rewritten. Returns the packed digests that were dropped.
    func remove(_ digests: Set<Digest>) throws -> Set<Digest> {
        var dropped = Set<Digest>()
        let own = ownPack
        for pack in Self.packNames(in: directory) where pack != own {
            guard let index = index(ofPack: pack) else { continue }
            let live = index.filter { !digests.contains($0.key) }
            guard live.count != index.count else { continue }
            try rewrite(pack, keeping: live)
            dropped.formUnion(index.keys.filter { digests.contains($0) })
        }
        if !dropped.isEmpty { invalidate() }
        return dropped
    }

    /// Re-hashes every packed entry against its header and digest. Indexed packs are checked entry by
    /// entry through the index and rewritten without damaged entries. A pack whose index is missing or
    /// damaged is walked by its entry headers up to a torn tail (a length past the end of the file stops
    /// the walk; nothing is allocated for it) and, unless its writer may still be running, rewritten with
    /// a fresh index — reported, because until then its blobs were invisible to every run.
    func verifyPacks(now: Date = Date()) throws -> PackCheck {
        var check = PackCheck()
        let own = ownPack
        for pack in Self.packNames(in: directory) where pack != own {
            let path = directory + "/" + pack
            guard let fd = FileIO.openRegular(path) else { continue }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { continue }
            if let index = index(ofPack: pack) {
                var live = [Digest: PackLocation]()
                for (digest, location) in index.sorted(by: { $0.value.offset < $1.value.offset }) {
                    check.checked += 1
                    if try entryIsIntact(fd, digest, location) {
                        live[digest] = location
                        check.valid.insert(digest)
                    } else {
                        check.corrupt.append(digest)
                    }
                }
                if live.count != index.count { try rewrite(pack, keeping: live) }
            } else {
                var live = [Digest: PackLocation]()
                var offset = Int64(PackFormat.packMagic.count)
                while let header = try Self.readExactly(fd, count: PackFormat.entryHeaderSize, at: offset),
                      let (digest, length) = PackFormat.parseEntryHeader(header[...]) {
                    let location = PackLocation(pack: pack, offset: offset + Int64(PackFormat.entryHeaderSize), length: length)
                    guard let payload = Self.readPayload(fd, location) else { break }     // torn tail
                    check.checked += 1
                    if content.isIntact(payload, address: digest) {
                        live[digest] = location
                    } else {
                        check.corrupt.append(digest)
                    }
                    offset = location.offset + length
                }
                guard !Self.mayStillBeWritten(pack, modified: info.st_mtim.tv_sec, now: now) else { continue }
                check.valid.formUnion(live.keys)
                check.reindexed.append(pack)
                try rewrite(pack, keeping: live)
            }
        }
        invalidate()
        return check
    }

    /// Whether a pack without an index may belong to a run still going: its writer process (the pid in
    /// its name, `<ms>-<pid>-<random>.pack`) is alive and it changed within the hour.
    static func mayStillBeWritten(_ pack: String, modified: Int, now: Date) -> Bool {
        let parts = pack.split(separator: "-")
        // This process's own pack is excluded by the caller while it is still being written.
        guard parts.count >= 3, let pid = Int32(parts[1]), pid > 0, pid != getpid() else { return false }
        let alive = kill(pid, 0) == 0 || errno == EPERM
        return alive && now.timeIntervalSince1970 - Double(modified) < 3600
    }

    /// Deletes packs that never got an index (their writer crashed) once untouched for `age` seconds,
    /// and indexes whose pack is gone (a rewrite interrupted between its two deletions).
    func removeAbandonedPacks(olderThan age: TimeInterval, now: Date) -> Int {
        var removed = 0
        for indexName in Self.indexNames(in: directory) {
            let path = directory + "/" + indexName
            guard access(String(path.dropLast(".idx".count)), F_OK) != 0,
                  let info = try? FileIO.status(path),
                  now.timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec) > age,
                  unlink(path) == 0 else { continue }
            removed += 1
        }
        let own = ownPack
        for pack in Self.packNames(in: directory) where pack != own {
            let path = directory + "/" + pack
            guard access(Self.indexPath(ofPackAt: path), F_OK) != 0,
                  let info = try? FileIO.status(path),
                  now.timeIntervalSince1970 - TimeInterval(info.st_mtim.tv_sec) > age,
                  unlink(path) == 0 else { continue }
            removed += 1
        }
        return removed
    }

    /// Copies `live` (re-hashed; damaged entries are left out) into a new pack, makes it and its index
    /// durable, then deletes the old index and pack. A crash in between leaves both: duplicates, no loss.
    private func rewrite(_ pack: String, keeping live: [Digest: PackLocation]) throws {
        let oldPath = directory + "/" + pack
        if !live.isEmpty {
            guard let source = FileIO.openRegular(oldPath) else { throw CacheError.io(operation: "open", path: oldPath, errno: EINVAL) }
            defer { close(source) }
            let writer = try PackWriter(directory: directory)
            do {
                for (digest, location) in live.sorted(by: { $0.value.offset < $1.value.offset }) {
                    guard let bytes = Self.readPayload(source, location), content.isIntact(bytes, address: digest) else { continue }
                    try bytes.withUnsafeBytes { _ = try writer.append(digest, $0) }
                }
                if writer.isEmpty {
                    unlink(writer.path)
                } else {
                    try writer.writeIndex(fsync: true)
                }
            } catch {
                unlink(writer.path)
                throw error
            }
        }
        unlink(Self.indexPath(ofPackAt: oldPath))
        unlink(oldPath)
        FileIO.fsyncDirectory(directory)
    }

    private func entryIsIntact(_ fd: Int32, _ digest: Digest, _ location: PackLocation) throws -> Bool {
        let headerOffset = location.offset - Int64(PackFormat.entryHeaderSize)
        guard headerOffset >= Int64(PackFormat.packMagic.count),
              let header = try Self.readExactly(fd, count: PackFormat.entryHeaderSize, at: headerOffset),
              let parsed = PackFormat.parseEntryHeader(header[...]),
              parsed.digest == digest, parsed.length == location.length,
              let payload = Self.readPayload(fd, location) else { return false }
        return content.isIntact(payload, address: digest)
    }

    private func lastChange(ofPack pack: String) -> Date {
        let path = directory + "/" + pack
        let seconds = [path, Self.indexPath(ofPackAt: path)].compactMap { try? FileIO.status($0).st_mtim.tv_sec }.max() ?? 0
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
