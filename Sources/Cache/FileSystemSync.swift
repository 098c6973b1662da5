/// syncfs(2): makes everything written to one file system durable — one journal commit for any number of
/// files, where an fsync per file costs a commit each. The blob store and the runner's group commit use it.
public enum FileSystemSync {
    /// 0 on success, -1 with errno set; `fd` is any open descriptor on the file system.
    public static func syncfs(_ fd: Int32) -> Int32 { linuxSyncfs(fd) }
}

// Glibc's module map does not export syncfs (it is behind _GNU_SOURCE).
@_silgen_name("syncfs")
private func linuxSyncfs(_ fd: Int32) -> Int32
