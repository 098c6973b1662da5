import FoundationEssentials
import Glibc
import Runner
import Stages
import SystemKit

/// Progress while a regen runs. Plain output (a log, CI) is one line per changed or failed cluster, never
/// one per fresh stage; `--verbose` adds one line per stage. On a terminal a live line (clusters done,
/// changed, failed, rate, ETA) sits below those lines, cut to the terminal's width and redrawn in place.
final class RegenProgressPrinter: RegenObserver, @unchecked Sendable {  // @unchecked: its drawing state is only touched under `lock`
    private let live: Bool
    private let verbose: Bool
    private let output: StandardStream
    private let style: TerminalStyle
    private let width: Int
    private let lock = Lock()
    private var lastDraw = Date.distantPast
    private var liveLine: String?
    private var changed = 0
    private var failed = 0

    init(mode: ProgressMode, verbose: Bool, toStandardError: Bool, color: ColorMode) {
        let terminal = isatty(STDERR_FILENO) == 1
        live = mode == .auto && terminal
        self.verbose = verbose
        let toError = toStandardError || live
        output = toError ? .standardError : .standardOutput
        let descriptor = toError ? STDERR_FILENO : STDOUT_FILENO
        style = TerminalStyle(color, descriptor: descriptor)
        width = TerminalWidth.of(descriptor)
    }

    func stageFinished(_ outcome: StageOutcome, progress: RegenProgress) {
        lock.withLock {
            if verbose {
                let ms = String(cFormat: "%.1fms", outcome.duration * 1000)
                let word = outcome.sharedInRun && outcome.status == .restored ? "shared" : outcome.status.rawValue
                var line = "\(FleetLayout.clusterName(outcome.cluster)) \(outcome.stage): \(style.status(word)) (\(ms))"
                if outcome.status == .ran, !outcome.changedInputs.isEmpty {
                    line += " because " + outcome.changedInputs.joined(separator: ", ")
                }
                emit(line)
            }
            if live { draw(progress, force: false) }
        }
    }

    func clusterFinished(_ outcome: ClusterOutcome, progress: RegenProgress) {
        lock.withLock {
            let verdict = ClusterVerdict(outcome)
            switch verdict {
            case .changed: changed += 1
            case .failed: failed += 1
            case .fresh, .notRun: break
            }
            if !verbose, verdict == .changed || verdict == .failed {
                emit(Self.clusterLine(outcome, verdict: verdict, style: style))
            }
            if live { draw(progress, force: progress.clustersDone == progress.clustersTotal) }
        }
    }

    /// Clears the live line, so the scrollback keeps none of it.
    func finish() {
        lock.withLock {
            if liveLine != nil { output.write(Data("\r\u{1B}[K".utf8)) }
            liveLine = nil
        }
    }

    /// "cluster-101: changed (ran validate, render; restored talosconfig)", "cluster-102: failed (genconfig)".
    /// The errors themselves are printed once, in the failure summary at the end.
    static func clusterLine(_ outcome: ClusterOutcome, verdict: ClusterVerdict, style: TerminalStyle) -> String {
        let name = FleetLayout.clusterName(outcome.cluster)
        if verdict == .failed {
            let failing = outcome.stages.filter { $0.status == .failed }.map(\.stage)
            let detail = failing.isEmpty ? "writing its outputs" : failing.joined(separator: ", ")
            return "\(name): \(style.status("failed")) (\(detail); errors below)"
        }
        var parts: [String] = []
        let ran = outcome.stages.filter { $0.status == .ran }.map(\.stage)
        let restored = outcome.stages.filter { $0.status == .restored && !$0.sharedInRun }.map(\.stage)
        let shared = outcome.stages.filter { $0.status == .restored && $0.sharedInRun }.map(\.stage)
        if !ran.isEmpty { parts.append("ran " + ran.joined(separator: ", ")) }
        if !restored.isEmpty { parts.append("restored " + restored.joined(separator: ", ")) }
        if !shared.isEmpty { parts.append("shared " + shared.joined(separator: ", ") + " from an identical cluster") }
        return "\(name): \(style.status("changed")) (\(parts.joined(separator: "; ")))"
    }

    /// Writes a whole line above the live line (which is cleared first and redrawn after).
    private func emit(_ line: String) {
        var text = ""
        if liveLine != nil { text += "\r\u{1B}[K" }
        text += line + "\n"
        if let liveLine { text += liveLine }
        output.write(Data(text.utf8))
    }

    private func draw(_ progress: RegenProgress, force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let rate = progress.elapsed > 0 ? Double(progress.clustersDone) / progress.elapsed : 0
        let remaining = progress.clustersTotal - progress.clustersDone
        let eta = rate > 0 ? String(cFormat: "%.1fs", Double(remaining) / rate) : "?"
        // Plain text: it is cut to the width, which escape sequences would make uncountable.
        let plain = "[\(progress.clustersDone)/\(progress.clustersTotal) clusters] \(changed) changed · \(failed) failed · "
            + String(cFormat: "%.1f clusters/s", rate) + " · ETA \(eta)"
        let line = "\r\u{1B}[K" + TerminalWidth.truncate(plain, to: width)
        liveLine = line
        output.write(Data(line.utf8))
    }
}
