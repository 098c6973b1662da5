import Dispatch
import FoundationEssentials
import Glibc
import Runner
import SystemKit

/// SIGTERM and SIGINT end a regen promptly and cleanly: the first one cancels the run (no new stage or
/// commit starts; the clusters being written finish, so none is left half-written, and their locks and
/// temp files go), then the command exits 128 + the signal (143, 130). A second one exits at once; a
/// temp file that leaves behind is removed by the next run (`StaleTemporaryFiles`).
final class SignalCancellation {
    let cancellation = RunCancellation()
    private var sources: [any DispatchSourceSignal] = []

    init(signals: [Int32] = [SIGTERM, SIGINT]) {
        for number in signals {
            // Dispatch sees the signal only when its default action (ending the process) is off.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [cancellation] in
                if cancellation.isCancelled { _exit(128 + number) }
                cancellation.cancel(signal: number)
                let name = number == SIGINT ? "SIGINT" : number == SIGTERM ? "SIGTERM" : "signal \(number)"
                StandardStream.standardError.write(Data(("\(name): finishing the clusters being written and starting no more "
                                                     + "(send it again to stop at once)\n").utf8))
            }
            source.resume()
            sources.append(source)
        }
    }

    /// 128 + the signal that cancelled the run (the shell's convention); nil when none did.
    var exitCode: Int32? { cancellation.signal.map { 128 + $0 } }
}
