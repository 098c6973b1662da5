import FoundationEssentials
import Glibc
import SystemKit

/// Removes temp files that a killed talos-batch (kill -9, a crash, a power cut) left beside a cluster's
/// outputs. Only names of our own scheme (`.<name>.tmp-<pid>-<random>-<counter>`, see `TemporaryName`)
/// whose writer process is gone are removed: never a file of another name, never one of a live process
/// (a concurrent run's temp file, or this process's own). Called with the cluster lock held (and, for a
/// cluster with nothing to write, without: only a dead writer's files go).
enum StaleTemporaryFiles {
    /// Removes the stale temp files in `folders`; returns the names each folder that could be listed
    /// holds now. The commit takes a name missing from its folder's listing as an output not there
    /// (taken under the cluster lock), so it need not `lstat` it: a cold run or a restore writes a dozen
    /// new outputs per cluster on one listing instead of a dozen failing path walks.
    @discardableResult
    static func remove(in folders: some Sequence<String>) -> [String: Set<String>] {
        var listings: [String: Set<String>] = [:]
        for folder in folders {
            guard let directory = opendir(folder) else { continue }
            defer { closedir(directory) }
            var names = Set<String>()
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                }
                guard let pid = writerProcess(ofTemporaryName: name), pid != getpid(), !isRunning(pid) else {
                    names.insert(name)
                    continue
                }
                let path = folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, unlink(path) == 0 else {
                    names.insert(name)
                    continue
                }
            }
            listings[folder] = names
        }
        return listings
    }

    /// The pid in a temp-file name of our scheme; nil for any other name.
    static func writerProcess(ofTemporaryName name: String) -> pid_t? {
        guard name.hasPrefix("."), let marker = name.lastScalarRange(of: ".tmp-"),
              marker.lowerBound > name.index(after: name.startIndex) else { return nil }
        let parts = name[marker.upperBound...].split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let pid = pid_t(parts[0]), pid > 0,
              parts[1...].allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber) } })
        else { return nil }
        return pid
    }

    /// Whether a process with that pid exists (EPERM: it exists, owned by someone else).
    private static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
