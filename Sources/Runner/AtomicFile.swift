import Cache
import FoundationEssentials
import Glibc

/// Writes files the way outputs must be written: never half-written (temp file, made durable, then
/// rename), with their mode set before they appear, and secret folders 0700.
///
/// Several files are written as one `StagedWrite`: every temp file is written first, then one `syncfs`
/// makes all of them durable, then they are renamed into place — the same guarantee as an fsync per
/// file (no name ever points at bytes that are not on disk) for one journal commit instead of one per
/// file. The runner stages many clusters before that one sync (see `OutputCommitter`); the commands
/// that write files outside a fleet (`render -o`, `genconfig`, `gen config`) use `write`.
public enum AtomicFile {
    /// Writes every file (each with exactly its mode) with one sync per folder. Until the renames no target
    /// has changed; after them each target is either old or new, never half-written.
    /// A folder that exists is left as it is (it may be the user's working folder); a missing one is
    /// created, 0700 when it gets a secret file.
    public static func write(_ files: [(path: String, bytes: [UInt8], mode: UInt32)],
                             fileSystem: any FileSystem = SystemFileSystem()) throws {
        var staged = StagedWrite(fileSystem: fileSystem, narrowsExistingFolders: false)
        defer { staged.discard() }
        var synced: Set<String> = []
        for file in files { try staged.add(file.bytes, to: file.path, mode: file.mode) }
        for file in files where synced.insert(folder(of: file.path)).inserted {
            try FileSystemSync.sync(folder: folder(of: file.path))
        }
        try staged.renameAll()
    }

    public static func write(_ bytes: [UInt8], to path: String, mode: UInt32) throws {
        try write([(path, bytes, mode)])
    }

    /// Creates `folder` and missing parents (0700 when `secret`, else 0755); an existing secret folder is
    /// narrowed to 0700 when `narrowExisting` (a cluster's output folders). Returns the file system
    /// (`st_dev`) of a folder that was already there.
    @discardableResult
    static func createFolder(_ folder: String, secret: Bool, narrowExisting: Bool = true) throws -> UInt64? {
        let mode: mode_t = secret ? 0o700 : 0o755
        // Usually there (a cluster folder holds its inputs): one stat, and a chmod only when it changes
        // something, instead of a failing mkdir and an unconditional chmod.
        var info = stat()
        if stat(folder, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            if secret && narrowExisting && info.st_mode & 0o7777 != 0o700 { chmod(folder, 0o700) }
            return UInt64(info.st_dev)
        }
        if mkdir(folder, mode) == 0 {
            if !ProcessUmask.keeps(mode) { chmod(folder, mode) }
            return nil
        }
        switch errno {
        case EEXIST:
            if secret && narrowExisting { chmod(folder, 0o700) }
        case ENOENT:
            guard let slash = folder.lastIndex(of: "/"), slash != folder.startIndex else { throw posixError(folder) }
            try createFolder(String(folder[..<slash]), secret: false)
            guard mkdir(folder, mode) == 0 || errno == EEXIST else { throw posixError(folder) }
            chmod(folder, mode)
        default:
            throw posixError(folder)
        }
        return nil
    }

    /// The folder part of a path ("/a/b/c" → "/a/b").
    static func folder(of path: String) -> String {
        // Searched in the UTF-8 view: "/" is ASCII, so its index is a valid String index, and the search
        // costs no grapheme breaking (twice per output written).
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The permission bits of a file, nil if it does not exist.
    static func mode(of path: String) -> UInt32? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt32(info.st_mode) & 0o7777
    }

    static func posixError(_ path: String) -> Error {
        FileSystemError(path: path, code: errno)
    }
}

/// Temp files waiting to be renamed over their targets; see `AtomicFile`.
struct StagedWrite {
    /// The system calls that write the bytes (a faulty one in tests).
    let fileSystem: any FileSystem
    private var files: [Staged] = []

    /// A file waiting for its name: a temp file beside `target`, or an unnamed one (`openUnnamed`).
    private struct Staged {
        var temporary: String
        var target: String
        /// The commit saw no file at `target` (so it needs no backup, see `renameAll`).
        var absent: Bool
        var mode: UInt32
        /// An unnamed file's descriptor (-1: a temp file), and its bytes — written again to a temp file
        /// if it cannot be linked after all.
        var unnamed: Int32 = -1
        var bytes: [UInt8] = []
        /// Where an unnamed file is linked: `linkPath` relative to the open folder `linkDirectory`.
        var linkDirectory: Int32 = AT_FDCWD
        var linkPath = ""
    }

    /// An open descriptor of a folder files are written to (the locked cluster folder) with its path: an
    /// unnamed file there is opened and linked relative to it.
    var folderDescriptor: (path: String, descriptor: Int32)?

    /// Whether a file the commit saw absent is written as an unnamed file and linked into place
    /// (`FileSystem.openUnnamed`) instead of a temp file renamed: no temp name to create and remove (two
    /// directory updates per output fewer), nothing left behind by a killed run. Only where files are
    /// renamed as soon as they are written: the unnamed file holds its descriptor until then.
    var linksUnnamedFiles = false
    /// Folders prepared so far, and whether each was made secret (0700).
    private var folders: [String: Bool] = [:]

    /// Whether no file is staged (before `renameAll`, nothing to write).
    var isEmpty: Bool { files.isEmpty }

    /// Whether an existing folder that gets a secret file is narrowed to 0700 (yes for cluster folders).
    let narrowsExistingFolders: Bool
    /// A folder on each file system (`st_dev`) the prepared folders that already existed are on, for the
    /// group commit's one sync per file system; `createdFolders` when a folder had to be made (its file
    /// system is then not known here).
    private(set) var fileSystems: [UInt64: String] = [:]
    private(set) var createdFolders = false

    init(fileSystem: any FileSystem, narrowsExistingFolders: Bool = true) {
        self.fileSystem = fileSystem
        self.narrowsExistingFolders = narrowsExistingFolders
    }

    /// Creates (or narrows) each folder once per staged write rather than once per file. A folder holding
    /// any secret file (no group/other bits) is 0700, whichever of its files comes first.
    private mutating func prepareFolder(of path: String, mode: UInt32) throws {
        let folder = AtomicFile.folder(of: path)
        let secret = mode & 0o077 == 0
        if let preparedSecret = folders[folder], preparedSecret || !secret { return }
        if let device = try AtomicFile.createFolder(folder, secret: secret, narrowExisting: narrowsExistingFolders) {
            if fileSystems[device] == nil { fileSystems[device] = folder }
        } else {
            createdFolders = true
        }
        folders[folder] = secret
    }

    /// Writes `bytes` to a new temp file beside `path` — or, when `absent` and `linksUnnamedFiles`, to an
    /// unnamed file in its folder — with exactly `mode` (not yet durable). `absent`: the caller found no file
    /// at `path` (under the cluster lock), so `renameAll` need not back it up.
    mutating func add(_ bytes: [UInt8], to path: String, mode: UInt32, absent: Bool = false) throws {
        try prepareFolder(of: path, mode: mode)
        if absent && linksUnnamedFiles {
            let folder = AtomicFile.folder(of: path)
            var staged = Staged(temporary: "", target: path, absent: true, mode: mode, bytes: bytes, linkPath: path)
            let fd: Int32
            if let opened = folderDescriptor, opened.path == folder {
                staged.linkDirectory = opened.descriptor
                staged.linkPath = String(path[path.utf8.index(after: path.utf8.lastIndex(of: UInt8(ascii: "/"))!)...])
                fd = fileSystem.openUnnamed(at: opened.descriptor, ".", mode_t(mode))
            } else {
                fd = fileSystem.openUnnamed(at: AT_FDCWD, folder, mode_t(mode))
            }
            if fd >= 0 {
                staged.unnamed = fd
                files.append(staged)
                guard fill(fd, with: bytes, mode: mode) else { throw AtomicFile.posixError(path) }
                return
            }
            // No unnamed files here (EOPNOTSUPP, EISDIR, EINVAL): a temp file, which reports any real error.
        }
        let temporary = try writeTemporary(bytes, beside: path, mode: mode)
        files.append(Staged(temporary: temporary, target: path, absent: absent, mode: mode))
    }

    /// Writes `bytes` to a new temp file beside `path` with exactly `mode`, and returns its name.
    private func writeTemporary(_ bytes: [UInt8], beside path: String, mode: UInt32) throws -> String {
        let temporary = Self.temporaryName(beside: path)
        let fd = fileSystem.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw AtomicFile.posixError(path) }
        let ok = fill(fd, with: bytes, mode: mode)
        let error = ok ? nil : AtomicFile.posixError(path)
        guard fileSystem.close(fd) == 0, ok else {
            let failure = error ?? AtomicFile.posixError(path)
            fileSystem.unlink(temporary)
            throw failure
        }
        return temporary
    }

    /// Writes all of `bytes` to a new file and gives it exactly `mode`; false (errno set) on failure.
    private func fill(_ fd: Int32, with bytes: [UInt8], mode: UInt32) -> Bool {
        // open() applied the umask; only a mode it narrowed needs setting again.
        var ok = ProcessUmask.keeps(mode_t(mode)) || fchmod(fd, mode_t(mode)) == 0
        var offset = 0
        // A write may take fewer bytes than asked (a short write) or be interrupted (EINTR): go on.
        while ok && offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                fileSystem.write(fd, UnsafeRawBufferPointer(rebasing: buffer[offset...]))
            }
            if written < 0 {
                if errno == EINTR { continue }
                ok = false
            } else {
                offset += written
            }
        }
        return ok
    }

    /// Copies a cached blob to a temp file beside `path` (not yet durable); false when the blob is
    /// missing or corrupt.
    mutating func addRestore(_ digest: Digest, from blobs: BlobStore, to path: String, mode: UInt32, absent: Bool = false) throws -> Bool {
        guard let bytes = try blobs.read(digest) else { return false }
        try add(bytes, to: path, mode: mode, absent: absent)
        return true
    }

    /// Renames every temp file over its target; the caller synced them first (`FileSystemSync`).
    ///
    /// All or nothing where the file system allows (issue 19): each existing target is first hard-linked
    /// to a backup beside it (named like a temp file, so a killed run's backups are swept as stale temp
    /// files); when a rename fails (an immutable file, a folder turned read-only), the targets already
    /// renamed get their backups back (or are removed, if they did not exist before), so the files keep
    /// switching together. A target that cannot be put back is named in the error as stale.
    ///
    /// A target the commit saw absent is renamed without a backup, with RENAME_NOREPLACE: if a file appeared
    /// there meanwhile, that rename fails (EEXIST) and the file is backed up and replaced as any other
    /// (a cold run or a restore makes no hard link at all: one system call per output fewer).
    mutating func renameAll() throws {
        var backups: [Backup] = []
        for file in files {
            backups.append(file.absent ? .absent : backUp(file.target))
        }
        var renamed = 0
        while renamed < files.count {
            var file = files[renamed]
            var moved = false
            if file.unnamed >= 0 {
                if fileSystem.linkUnnamed(file.unnamed, at: file.linkDirectory, file.linkPath) == 0 {
                    moved = true
                } else {
                    // Named through a temp file after all: the target appeared meanwhile (EEXIST: backed up and
                    // replaced below, as any other), or the file cannot be linked (no /proc). A temp file that
                    // cannot be written leaves the name empty: its rename fails and rolls the commit back.
                    file.temporary = (try? writeTemporary(file.bytes, beside: file.target, mode: file.mode)) ?? ""
                }
                _ = fileSystem.close(file.unnamed)
                file.unnamed = -1
                file.bytes = []
                files[renamed] = file
            }
            if !moved && file.absent {
                if fileSystem.renameNoReplace(file.temporary, file.target) == 0 {
                    moved = true
                } else if errno == EEXIST {
                    backups[renamed] = backUp(file.target)
                }
                // Otherwise (not supported, or a real failure) the plain rename below does it or reports it.
            }
            guard moved || fileSystem.rename(file.temporary, file.target) == 0 else {
                let code = errno
                var stale: [String] = []
                for index in (0..<renamed).reversed() {
                    let target = files[index].target
                    switch backups[index] {
                    case .kept(let backup):
                        if fileSystem.rename(backup, target) != 0 { stale.append(target) }
                    case .absent:
                        if fileSystem.unlink(target) != 0 && errno != ENOENT { stale.append(target) }
                    case .none:
                        stale.append(target)
                    }
                }
                for case .kept(let backup) in backups { fileSystem.unlink(backup) }
                files.removeFirst(renamed)
                throw PartialRenameError(path: file.target, code: code, stale: stale.reversed())
            }
            renamed += 1
        }
        files = []
        for case .kept(let backup) in backups { fileSystem.unlink(backup) }
    }

    /// A hard link to `target` beside it, if there is a file there.
    private func backUp(_ target: String) -> Backup {
        let backup = StagedWrite.temporaryName(beside: target)
        if fileSystem.link(target, backup) == 0 { return .kept(backup) }
        return errno == ENOENT ? .absent : .none
    }

    /// What `renameAll` keeps of a target before replacing it.
    private enum Backup {
        /// A hard link to the old file.
        case kept(String)
        /// There was no old file: rolling back removes the new one.
        case absent
        /// No backup could be made (a file system without hard links): the target cannot be rolled back.
        case none
    }

    /// `.<name>.tmp-<pid>-<random>-<n>` in the folder of `path`.
    static func temporaryName(beside path: String) -> String {
        let name = path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path.utf8.index(after: $0) } ?? path.startIndex
        return AtomicFile.folder(of: path) + "/." + path[name...] + TemporaryName.nextSuffix()
    }

    /// Removes temp files not renamed and closes unnamed files not linked (after a failure).
    mutating func discard() {
        for file in files {
            if file.unnamed >= 0 {
                _ = fileSystem.close(file.unnamed)
            } else if !file.temporary.isEmpty {
                fileSystem.unlink(file.temporary)
            }
        }
        files = []
    }
}

extension FileSystemSync {
    /// syncfs(2) on the file system holding `folder`.
    static func sync(folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomicFile.posixError(folder) }
        defer { close(fd) }
        guard syncfs(fd) == 0 else { throw AtomicFile.posixError(folder) }
    }
}
