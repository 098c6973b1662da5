/// talosctl command lines for `gen config`, rewritten before parsing so they work unchanged: cobra's boolean
/// `--flag=false` (ArgumentParser's flags take `--no-flag`), `gen --force config`, and talosctl's
/// `--version v1alpha1` (the config version; to ArgumentParser `--version` prints the program's version).
enum TalosctlArguments {
    static let flags: Set<String> = ["with-cluster-discovery", "with-kubespan", "with-docs", "with-examples", "force"]
    /// Flags with no `--no-` form: `=false` just drops them.
    static let plainFlags: Set<String> = ["force"]

    static func rewrite(_ arguments: [String]) -> [String] {
        guard arguments.first == "gen", arguments.contains("config") else { return arguments }
        var out: [String] = []
        var afterTerminator = false
        for argument in arguments {
            if afterTerminator || argument == "--" {
                afterTerminator = true
                out.append(argument)
                continue
            }
            if argument.hasPrefix("--version=") {
                out.append("--config-version")
                out.append(String(argument.dropFirst("--version=".count)))
                continue
            }
            guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { out.append(argument); continue }
            let name = String(argument[argument.index(argument.startIndex, offsetBy: 2)..<equals])
            let value = String(argument[argument.index(after: equals)...])
            guard flags.contains(name), let truth = parseBool(value) else { out.append(argument); continue }
            if truth { out.append("--" + name) } else if !plainFlags.contains(name) { out.append("--no-" + name) }
        }
        // `--version VALUE` (a value follows): the config version, not a request for the program's version.
        if let version = out.firstIndex(of: "--version"), version + 1 < out.count, !out[version + 1].hasPrefix("-"),
           out.firstIndex(of: "config").map({ $0 < version }) == true {
            out[version] = "--config-version"
        }
        // talosctl's --force belongs to `gen` (a persistent flag): `gen --force config …` works there too.
        if let config = out.firstIndex(of: "config"), let force = out[..<config].firstIndex(of: "--force") {
            out.remove(at: force)
            out.append("--force")
        }
        return out
    }

    /// Go's strconv.ParseBool.
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }
}
