import FoundationEssentials
import Glibc
import Stages

/// The names in the output folders of the clusters in flight, each folder listed once (when a stage's cached
/// outputs are first checked against the disk), so that an output missing from its folder costs no `stat`:
/// a restore into a fresh checkout finds a dozen outputs per cluster missing, and each failing `stat` walks
/// the whole path. A cluster's outputs are only written by its commit, after all its stages were decided,
/// so a listing holds for the cluster's decisions; it is only a hint all the same — a name it lacks is
/// restored, and the commit checks the folder again under the cluster lock. Dropped at the commit.
final class FolderListings: Sendable {
    private let listings = Locked<[String: Set<String>]>([:])

    /// Whether the folder of `path` was listed without that name in it (a missing folder lists as empty);
    /// false when the folder cannot be listed (then the caller asks `stat`).
    func isListedAbsent(_ path: String) -> Bool {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")), slash != path.startIndex else { return false }
        let folder = String(path[..<slash])
        let name = path[path.utf8.index(after: slash)...]
        let known = listings.withLock { $0[folder] }
        guard let names = known ?? list(folder) else { return false }
        return !names.contains(String(name))
    }

    /// Forgets the listings of `folder` and of the folders in it (the cluster is being committed).
    func forget(under folder: String) {
        listings.withLock { listings in
            for key in listings.keys where key == folder || key.hasPrefix(folder + "/") { listings[key] = nil }
        }
    }

    private func list(_ folder: String) -> Set<String>? {
        var names = Set<String>()
        if let directory = opendir(folder) {
            defer { closedir(directory) }
            while let entry = readdir(directory) {
                names.insert(withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                })
            }
        } else if errno != ENOENT {
            return nil
        }
        listings.withLock { $0[folder] = names }
        return names
    }
}
