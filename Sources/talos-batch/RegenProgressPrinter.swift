import Foundation
import Runner
import Stages

/// Progress while a regen runs: on a terminal one live line (clusters done/total, stages ran/fresh/
/// restored, rate, ETA) on stderr; otherwise one plain line per stage.
final class RegenProgressPrinter: RegenObserver, @unchecked Sendable {  // @unchecked: its drawing state is only touched under `lock`
    private let live: Bool
    private let quiet: Bool
    private let output: FileHandle
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var drewLine = false

    init(mode: ProgressMode, toStandardError: Bool) {
        let terminal = isatty(STDERR_FILENO) == 1
        live = mode == .auto && terminal
        quiet = mode == .none
        output = (toStandardError || live) ? .standardError : .standardOutput
    }

    func stageFinished(_ outcome: StageOutcome, progress: RegenProgress) {
        guard !quiet else { return }
        lock.withLock {
            if live {
                draw(progress, force: false)
            } else {
                let ms = String(format: "%.1fms", outcome.duration * 1000)
                var line = "\(FleetLayout.clusterName(outcome.cluster)) \(outcome.stage): \(outcome.status.rawValue) (\(ms))"
                if outcome.status == .ran, !outcome.changedInputs.isEmpty {
                    line += " because " + outcome.changedInputs.joined(separator: ", ")
                }
                output.write(Data((line + "\n").utf8))
            }
        }
    }

    func clusterFinished(_ outcome: ClusterOutcome, progress: RegenProgress) {
        guard live, !quiet else { return }
        lock.withLock { draw(progress, force: progress.clustersDone == progress.clustersTotal) }
    }

    func finish() {
        lock.withLock {
            if drewLine { output.write(Data("\n".utf8)) }
        }
    }

    private func draw(_ progress: RegenProgress, force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let rate = progress.elapsed > 0 ? Double(progress.clustersDone) / progress.elapsed : 0
        let remaining = progress.clustersTotal - progress.clustersDone
        let eta = rate > 0 ? String(format: "%.1fs", Double(remaining) / rate) : "?"
        let line = "[\(progress.clustersDone)/\(progress.clustersTotal) clusters] ran \(progress.ran) · fresh \(progress.fresh)"
            + " · restored \(progress.restored) · failed \(progress.failed) · "
            + String(format: "%.1f clusters/s", rate) + " · ETA \(eta)"
        output.write(Data(("\r\u{1B}[K" + line).utf8))
        drewLine = true
    }
}
