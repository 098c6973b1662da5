/// A remembered digest of a file, with the file's state and the time it was hashed.
public struct FileStateRecord: Sendable, Hashable {
    public var state: FileState
    public var digest: Digest
    /// Wall-clock time (ns since 1970) taken just before the content was read.
    public var hashedNanoseconds: Int64

    /// Timestamps are only as fine as the file system and the kernel's clock tick make them (FAT
    /// keeps 2 s, ext3 1 s, and Linux's nanosecond stamps advance in jiffies), so a file changed
    /// within this window of being hashed could have changed again without its stamps moving.
    public static let racyWindowNanoseconds: Int64 = 2_000_000_000

    public init(state: FileState, digest: Digest, hashedNanoseconds: Int64) {
        self.state = state
        self.digest = digest
        self.hashedNanoseconds = hashedNanoseconds
    }

    /// Whether the remembered digest still holds for a file now in `current` state without reading
    /// it: every stat field must match, and — git's racy-timestamp rule — the file's last change
    /// must be safely older than the moment it was hashed.
    public func isValid(for current: FileState) -> Bool {
        guard current == state else { return false }
        let lastChange = max(state.modifiedNanoseconds, state.changedNanoseconds)
        return lastChange < hashedNanoseconds - FileStateRecord.racyWindowNanoseconds
    }
}
