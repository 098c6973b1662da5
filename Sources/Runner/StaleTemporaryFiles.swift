import FoundationEssentials
import Glibc
import SystemKit

/// Removes temp files that a killed talos-batch (kill -9, a crash, a power cut) left beside a cluster's
/// outputs. Only names of our own scheme (`.<name>.tmp-<pid>-<random>-<counter>`, see `TemporaryName`)
/// whose writer process is gone are removed: never a file of another name, never one of a live process
/// (a concurrent run's temp file, or this process's own). Called with the cluster lock held.
enum StaleTemporaryFiles {
    /// Removes the stale temp files in `folders`; returns how many.
    @discardableResult
    static func remove(in folders: some Sequence<String>) -> Int {
        var removed = 0
        for folder in folders {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                guard let pid = writerProcess(ofTemporaryName: name), pid != getpid(), !isRunning(pid) else { continue }
                let path = folder + "/" + name
                var info = stat()
                guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                if unlink(path) == 0 { removed += 1 }
            }
        }
        return removed
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
