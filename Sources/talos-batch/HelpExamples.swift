/// The "Examples:" block closing a subcommand's `--help` (its `discussion`), one command per line.
func helpExamples(_ commands: String...) -> String {
    "Examples:\n" + commands.map { "  " + $0 }.joined(separator: "\n")
}
