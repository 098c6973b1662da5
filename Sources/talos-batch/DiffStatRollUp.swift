import Cache
import FoundationEssentials
import Glibc
import Runner

/// The `diff --stat` roll-up of a regen, as Markdown for `regen --summary-markdown`: per changed output
/// file of the clusters the run rewrote, its added and removed line counts (paths and counts only; no
/// content, so nothing secret).
enum DiffStatRollUp {
    /// Files listed at most; a big template change lists the first ones and counts the rest.
    static let limit = 200

    /// `openCache` is called only when the run rewrote some cluster (a no-op regen never opens the database).
    static func markdown(_ report: RegenReport, fleet: Fleet, openCache: () throws -> CacheDirectory) throws -> String {
        let rewritten = report.clusters.filter { cluster in
            !cluster.failed && cluster.stages.contains { $0.status == .ran || $0.status == .restored }
        }
        guard !rewritten.isEmpty else { return "" }
        let cache = try openCache()
        var rows: [String] = []
        var added = 0, removed = 0
        for cluster in rewritten {
            for change in try DiffCommand.changes(fleet.context(cluster.cluster), cache: cache) {
                let counted = UnifiedDiffPrinter.render(change, redactor: SecretLineRedactor(bundleValues: []))
                added += counted.added
                removed += counted.removed
                let note = change.hasPrevious ? "" : " (no previous copy)"
                rows.append("| `\(change.path)`\(note) | \(counted.added) | \(counted.removed) |")
            }
        }
        guard !rows.isEmpty else { return "" }
        var lines = ["**Changed outputs (`talos-batch diff --stat`): \(rows.count) file(s), +\(added) -\(removed)**", "",
                     "| file | + | - |", "| --- | ---: | ---: |"]
        lines += rows.prefix(limit)
        if rows.count > limit { lines.append("| … and \(rows.count - limit) more | | |") }
        return lines.joined(separator: "\n") + "\n\n"
    }
}
