import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc

/// `--color auto|always|never`.
enum ColorMode: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// How lines written to one output look: ANSI colours on a terminal unless NO_COLOR or `--color never`.
struct TerminalStyle: Sendable {
    let colored: Bool

    init(colored: Bool) { self.colored = colored }

    /// `auto` colours only a terminal and only without a non-empty NO_COLOR (https://no-color.org);
    /// an explicit `always` wins over NO_COLOR, as that convention asks.
    init(_ mode: ColorMode, descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) {
        switch mode {
        case .always: colored = true
        case .never: colored = false
        case .auto: colored = isatty(descriptor) == 1 && (environment["NO_COLOR"] ?? "").isEmpty
        }
    }

    func red(_ text: String) -> String { paint(text, "31") }
    func green(_ text: String) -> String { paint(text, "32") }
    func yellow(_ text: String) -> String { paint(text, "33") }
    func cyan(_ text: String) -> String { paint(text, "36") }
    func dim(_ text: String) -> String { paint(text, "2") }
    func bold(_ text: String) -> String { paint(text, "1") }

    /// A stage or cluster status word in its colour.
    func status(_ word: String) -> String {
        switch word {
        case "failed", "FAILED": return bold(red(word))
        case "ran", "changed", "ok": return green(word)
        case "restored", "shared": return cyan(word)
        case "skipped": return yellow(word)
        default: return dim(word)
        }
    }

    /// `file:line:col: error: message` with its severity coloured.
    func diagnostic(_ diagnostic: Diagnostic) -> String {
        let text = diagnostic.description
        guard colored else { return text }
        let word = diagnostic.severity.rawValue + ":"
        let painted = diagnostic.severity == .error ? bold(red(word)) : bold(yellow(word))
        guard let range = text.firstRange(of: word) else { return text }
        return text[..<range.lowerBound] + painted + text[range.upperBound...]
    }

    /// A plain `error: message` (or `warning: …`) line with its leading severity word coloured.
    func errorLine(_ text: String) -> String {
        guard colored else { return text }
        for (word, painted) in [("error:", bold(red("error:"))), ("warning:", bold(yellow("warning:")))] where text.hasPrefix(word) {
            return painted + text.dropFirst(word.count)
        }
        return text
    }

    /// `text` with its first `error:` or `warning:` coloured, wherever it is (`talos-batch: file:1:2: error: …`).
    func severityColored(_ text: String) -> String {
        guard colored else { return text }
        for (word, painted) in [("error:", bold(red("error:"))), ("warning:", bold(yellow("warning:")))] {
            if let range = text.firstRange(of: word) { return text[..<range.lowerBound] + painted + text[range.upperBound...] }
        }
        return text
    }

    private func paint(_ text: String, _ code: String) -> String {
        colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// How wide a terminal is: the window size of the descriptor (TIOCGWINSZ), else $COLUMNS, else 80.
enum TerminalWidth {
    static func of(_ descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        var size = winsize()
        if withUnsafeMutablePointer(to: &size, { ioctl(descriptor, UInt(TIOCGWINSZ), $0) }) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 80
    }

    /// `line` cut to fit in `width` columns without wrapping (one column is left free: some terminals
    /// wrap when the last column is written). Every character the printer writes is one column wide.
    static func truncate(_ line: String, to width: Int) -> String {
        let room = max(1, width - 1)
        guard line.count > room else { return line }
        return String(line.prefix(max(0, room - 1))) + "…"
    }
}
