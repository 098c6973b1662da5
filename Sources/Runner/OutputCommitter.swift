import Cache
import Diagnostics
import Foundation

/// Group commit for cluster outputs: staged clusters (temp files written, lock held) are collected and
/// made durable together — one `syncfs` per group instead of one fsync per file — then renamed into
/// place. Nothing is renamed before it is durable, so a crash leaves each file either old or new, never
/// half-written; the cache records are committed after the last group (see `RegenRunner`).
final class OutputCommitter: @unchecked Sendable {
    /// Clusters per sync: enough to amortise the journal commit, few enough to bound held locks (one
    /// descriptor each) and how long outputs wait.
    static let groupSize = 64

    typealias Finished = (cluster: String, diagnostics: [Diagnostic])

    private let lock = NSLock()
    private var waiting: [Waiting] = []

    private struct Waiting {
        var id: String
        var name: String
        var staged: StagedCluster
    }

    /// Adds a staged cluster; when the group is full, commits it and returns its clusters' results.
    func add(_ staged: StagedCluster, id: String, name: String) -> [Finished] {
        let group: [Waiting]? = lock.withLock {
            waiting.append(Waiting(id: id, name: name, staged: staged))
            guard waiting.count >= Self.groupSize else { return nil }
            defer { waiting = [] }
            return waiting
        }
        return group.map(Self.commit) ?? []
    }

    /// Commits whatever is waiting.
    func drain() -> [Finished] {
        let group = lock.withLock {
            defer { waiting = [] }
            return waiting
        }
        return Self.commit(group)
    }

    private static func commit(_ group: [Waiting]) -> [Finished] {
        guard !group.isEmpty else { return [] }
        // One sync per file system the group writes to (in practice one).
        var synced: [UInt64: Error?] = [:]
        var results: [Finished] = []
        for waiting in group {
            let staged = waiting.staged
            defer { staged.abandon() }
            do {
                var info = stat()
                let device = stat(staged.folder, &info) == 0 ? UInt64(info.st_dev) : UInt64.max
                if synced[device] == nil {
                    do { try FileSystemSync.sync(folder: staged.folder); synced[device] = .some(nil) } catch { synced[device] = error }
                }
                if let failure = synced[device] ?? nil { throw failure }
                try staged.finish()
                results.append((waiting.id, []))
            } catch let diagnostic as Diagnostic {
                results.append((waiting.id, [diagnostic]))
            } catch {
                results.append((waiting.id, [.error("\(waiting.name): writing outputs failed: \(error)")]))
            }
        }
        return results
    }
}
