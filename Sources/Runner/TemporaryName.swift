import FoundationEssentials
import Glibc
import Stages
import SystemKit

/// Suffixes for temp files beside outputs: `.tmp-<pid>-<random>-<counter>`, unique within the process by
/// the counter and across processes by the pid and a per-process random part (a pid can be reused by a
/// later process while a crashed one's temp files remain). No system call per name.
enum TemporaryName {
    private static let prefix = ".tmp-\(getpid())-\(String(UInt32.random(in: 0...UInt32.max), radix: 36))-"
    private static let counter = Locked(0)

    static func nextSuffix() -> String {
        let next = counter.withLock { value in
            value += 1
            return value
        }
        return prefix + String(next, radix: 36)
    }
}

/// The process's file-creation mask, as Linux reports it in /proc/self/status (reading it with umask(2)
/// would change it for a moment, under other threads creating files).
enum ProcessUmask {
    private static let mask: mode_t? = {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }),
              let value = mode_t(line.dropFirst("Umask:".count).trimming(.whitespaces), radix: 8) else { return nil }
        return value
    }()

    /// Whether files created with `mode` are known to get exactly `mode` (false when the mask is unknown).
    static func keeps(_ mode: mode_t) -> Bool {
        guard let mask else { return false }
        return mode & mask == 0
    }
}
