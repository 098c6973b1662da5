/// jinja2-cli (argparse) takes `-Dkey=value` as well as `-D key=value`; ArgumentParser only the second.
/// For `render`, the attached form is split before parsing so jinja2 command lines work unchanged.
enum Jinja2CLIArguments {
    static func rewrite(_ arguments: [String]) -> [String] {
        guard arguments.first == "render" else { return arguments }
        var out: [String] = []
        var afterTerminator = false
        for argument in arguments {
            if argument == "--" { afterTerminator = true }
            if !afterTerminator, argument.hasPrefix("-D"), argument.count > 2 {
                out.append("-D")
                out.append(String(argument.dropFirst(2)))
            } else {
                out.append(argument)
            }
        }
        return out
    }
}
