import FoundationEssentials
import Glibc

/// A commit's rename that failed part way (issue 19: one node config made immutable). `StagedWrite` has
/// put the files renamed before it back; `stale` names any it could not, which now hold new bytes while
/// the rest of the cluster's outputs are old. The cluster gets no stamp either way, so the next run
/// redoes it.
public struct PartialRenameError: Error, Sendable, CustomStringConvertible {
    /// The target whose rename failed.
    public var path: String
    public var code: Int32
    /// Targets already replaced that could not be rolled back.
    public var stale: [String]

    public var description: String {
        let cause = "cannot replace \(path): \(String(cString: strerror(code)))"
        if stale.isEmpty { return cause + "; no output of this commit was changed" }
        return cause + "; these outputs are new while the others are old (stale until the next run succeeds): "
            + stale.joined(separator: ", ")
    }
}
