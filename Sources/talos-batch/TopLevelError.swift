import ArgumentParser
import Cache
import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import Runner
import SystemKit

/// What the CLI entry prints for an error that reached it (issue 19): the command's own exits and
/// ArgumentParser's usage errors keep their handling; everything else — a diagnostic, a system error, a
/// Foundation file error, a cache or SQLite error — is worded by `ErrorMessage`.
enum TopLevelError {
    /// The line to print, or nil when ArgumentParser should handle the error (help, usage, an exit code).
    static func message(for error: any Error) -> String? {
        switch error {
        case is ExitCode, is CleanExit, is ValidationError: return nil
        case let diagnostic as Diagnostic: return diagnostic.description
        case let list as DiagnosticList: return list.description
        case let error as CLIError: return error.description
        default: break
        }
        // ArgumentParser's parse errors are internal types of its module.
        if String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") { return nil }
        return "talos-batch: error: " + ErrorMessage.text(error)
    }

    static func print(_ message: String) {
        StandardStream.standardError.write(Data((message + "\n").utf8))
    }
}
