import FoundationEssentials
import Glibc
import SystemKit

/// One `talosctl` invocation `gencommand` prints, for one node address.
public struct TalosctlCommand: Sendable, Equatable {
    /// `apply-config`, `upgrade`, …
    public var verb: String
    /// The node the command is for (for `health -n HOST`, the node that matched).
    public var hostname: String
    /// The `--nodes` value.
    public var address: String
    /// `apply`: the node's config file name in the output folder.
    public var configFile: String?
    /// Everything after the verb, in talhelper's order.
    public var arguments: [CommandArgument]

    /// The line exactly as talhelper prints it: words joined by spaces, then `;`.
    public var line: String {
        (["talosctl", verb] + arguments.map(\.text)).joined(separator: " ") + ";"
    }

    /// The line for a shell: identical to `line` unless a generated word (a path with a space, say) needs
    /// quoting, which talhelper does not do. Extra flags stay as the user wrote them, as in talhelper.
    public var shellLine: String {
        (["talosctl", verb] + arguments.map(\.shellText)).joined(separator: " ") + ";"
    }

    /// The argument vector (`talosctl` first), for running it without a shell.
    public var argv: [String] {
        ["talosctl", verb] + arguments.map(\.text)
    }
}

/// A word of a `talosctl` line: one talos-batch wrote, or a `--extra-flags` entry passed through as is.
public enum CommandArgument: Sendable, Equatable {
    case generated(String)
    case extra(String)

    public var text: String {
        switch self {
        case .generated(let text), .extra(let text): return text
        }
    }

    var shellText: String {
        switch self {
        case .generated(let text): return ShellWord.quoted(text)
        case .extra(let text): return text
        }
    }
}

/// POSIX shell quoting that leaves ordinary words (flags, paths, addresses, image references) unchanged.
enum ShellWord {
    static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "-_./=:,@%+".utf8.contains(byte)
            }
        }
        if plain { return word }
        return "'" + word.replacingAll("'", with: "'\\''") + "'"
    }
}
