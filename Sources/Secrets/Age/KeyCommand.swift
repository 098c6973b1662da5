import Diagnostics
import FoundationEssentials
import Glibc
import SystemKit

/// Runs a key command as sops does (`SOPS_AGE_KEY_CMD`): split into words like a shell (quotes and
/// backslashes, no expansion), run without a shell, its standard output the keys. Its standard error
/// passes through; a failure names the variable, never the output.
enum KeyCommand {
    static func run(_ command: String, variable: String) throws -> [UInt8] {
        let words = split(command)
        guard !words.isEmpty else { throw Diagnostic.error("\(variable) is set but empty") }
        let process: ChildProcess.Result
        do {
            process = try ChildProcess.run("/usr/bin/env", arguments: words)
        } catch {
            throw Diagnostic.error("\(variable): cannot run '\(words[0])': \(error)")
        }
        guard process.exited, process.status == 0 else {
            throw Diagnostic.error("\(variable): the command '\(words[0])' failed (exit status \(process.status))")
        }
        return process.output
    }

    /// Shell-like word splitting (google/shlex as sops uses it): whitespace separates, quotes group, a
    /// backslash escapes the next character outside single quotes.
    static func split(_ text: String) -> [String] {
        var words: [String] = []
        var current = "", inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; inWord = true; continue }
            if let open = quote {
                if character == open { quote = nil } else if character == "\\" && open == "\"" { escaped = true } else { current.append(character) }
                continue
            }
            switch character {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = character; inWord = true
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            default: current.append(character); inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
