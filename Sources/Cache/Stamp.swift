import FoundationEssentials
import Glibc

/// The summary of a group of actions' last good run (for talos-batch: all of one cluster's stages), kept so
/// that a later run can find the whole group unchanged from `stat` alone — without computing a key, opening
/// the cache database or reading a file, as ninja decides from its log and mtimes.
///
/// It holds every file the actions read and every output they left, each in the `stat` state it had when
/// its digest was last confirmed (file-state rules: the state was trusted, never racy), plus the actions'
/// keys and outputs for the report. While every file is still in exactly that state, the files hold
/// the bytes the keys were computed from, so every action would be a cache hit whose outputs are on disk.
public struct Stamp: Sendable, Hashable {
    /// What the stamp is for (the cluster's folder, absolute); relative file paths are relative to it.
    public var group: String
    /// Digest of everything besides files that decides the actions (tool and stage versions).
    public var configuration: Digest
    /// The earliest time any action's result expires (ns since 1970); `Int64.max` when none does.
    public var validUntilNanoseconds: Int64
    /// When the actions' last-use times were last refreshed in the cache database (s since 1970).
    public var refreshedSeconds: Int64
    public var files: [StampedFile]
    public var actions: [StampedAction]

    public init(group: String, configuration: Digest, validUntilNanoseconds: Int64, refreshedSeconds: Int64,
                files: [StampedFile], actions: [StampedAction]) {
        self.group = group
        self.configuration = configuration
        self.validUntilNanoseconds = validUntilNanoseconds
        self.refreshedSeconds = refreshedSeconds
        self.files = files
        self.actions = actions
    }
}

/// One file of a stamp: its path (relative to the group folder when inside it, so the decoder can share
/// one string between groups) and its `stat` state.
public struct StampedFile: Sendable, Hashable {
    public var path: String
    public var state: FileState

    public init(path: String, state: FileState) {
        self.path = path
        self.state = state
    }
}

/// One action of a stamp: its name, key and outputs as recorded.
public struct StampedAction: Sendable, Hashable {
    public var name: String
    public var key: Digest
    public var outputs: [OutputEntry]

    public init(name: String, key: Digest, outputs: [OutputEntry]) {
        self.name = name
        self.key = key
        self.outputs = outputs
    }
}
