import FoundationEssentials
import Glibc
import Runner
import SystemKit

/// `regen --summary-markdown FILE`: the run as Markdown for a CI job page (GitHub's `$GITHUB_STEP_SUMMARY`,
/// a GitLab MR note): counts, the clusters whose outputs were (re)written, and each failure.
enum RegenMarkdownSummary {
    static func text(_ report: RegenReport, shard: String?) -> String {
        let scope = shard.map { " (shard \($0))" } ?? ""
        // Clusters and stages counted apart, as in the terminal summary.
        var verdicts: [ClusterVerdict: Int] = [:]
        for cluster in report.clusters { verdicts[ClusterVerdict(cluster), default: 0] += 1 }
        let stages = StageCounts(report.clusters.lazy.flatMap(\.stages))
        var stageParts = ["\(stages.ran) ran", "\(stages.fresh) fresh"]
        if stages.restored > 0 { stageParts.append("\(stages.restored) restored") }
        if stages.shared > 0 { stageParts.append("\(stages.shared) shared in-run") }
        if stages.failed > 0 { stageParts.append("\(stages.failed) failed") }
        if stages.skipped > 0 { stageParts.append("\(stages.skipped) skipped") }
        var lines = [
            "### talos-batch regen\(scope)",
            "",
            "| clusters | changed | fresh | failed | seconds |",
            "| ---: | ---: | ---: | ---: | ---: |",
            "| \(report.clusters.count) | \(verdicts[.changed] ?? 0) | \(verdicts[.fresh] ?? 0) | \(verdicts[.failed] ?? 0) "
                + "| \(String(cFormat: "%.2f", report.elapsed)) |",
            "",
            "Stages: " + stageParts.joined(separator: ", ") + ".",
        ]
        let rewritten = report.clusters.filter { cluster in
            !cluster.failed && cluster.stages.contains { $0.status == .ran || $0.status == .restored }
        }
        if !rewritten.isEmpty {
            lines += ["", "**Regenerated (\(rewritten.count)):** " + rewritten.map { "`cluster-\($0.cluster)`" }.joined(separator: ", ")]
        }
        let failed = report.failedClusters
        if !failed.isEmpty {
            lines += ["", "**Failed (\(failed.count)):**", ""]
            for cluster in failed {
                lines.append("- `cluster-\(cluster.cluster)`")
                let errors = cluster.stages.flatMap(\.diagnostics) + cluster.diagnostics
                let messages = errors.filter { $0.severity == .error }.map(\.description)
                if !messages.isEmpty {
                    lines += ["  ```"] + messages.map { "  " + $0 } + ["  ```"]
                }
            }
        }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// Appends to `path` (created 0644 if missing), as steps add to `$GITHUB_STEP_SUMMARY`.
    static func append(_ text: String, to path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
            }
            offset += written
        }
    }
}
