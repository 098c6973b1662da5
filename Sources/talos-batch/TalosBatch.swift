import ArgumentParser

@main
struct TalosBatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "talos-batch",
        abstract: "Keep a fleet of Talos clusters' machine configs in sync with their inputs, redoing only what changed.",
        version: TalosBatchVersion.string,
        subcommands: [
            RegenCommand.self,
            PlanCommand.self,
            ExplainCommand.self,
            DiffCommand.self,
            GraphCommand.self,
            ValidateCommand.self,
            SchematicCommand.self,
            CacheCommand.self,
            RenderCommand.self,
            DecryptCommand.self,
            GenCommand.self,
            GenconfigCommand.self,
            GenurlCommand.self,
            GensecretCommand.self,
            GencommandCommand.self,
            MarkAppliedCommand.self,
        ]
    )

    /// ArgumentParser's own `main`, with two additions: talosctl's and jinja2-cli's argument forms are
    /// rewritten first, and errors a command did not word itself (issue 19) are printed through
    /// `ErrorMessage` (never a Foundation error object or a raw dump) with exit status 1.
    static func main() {
        let arguments = Jinja2CLIArguments.rewrite(TalosctlArguments.rewrite(Array(CommandLine.arguments.dropFirst())))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            guard let message = TopLevelError.message(for: error) else { exit(withError: error) }
            TopLevelError.print(message)
            exit(withError: ExitCode(1))
        }
    }
}
