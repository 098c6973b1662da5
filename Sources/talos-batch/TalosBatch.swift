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

    static func main() {
        main(Jinja2CLIArguments.rewrite(TalosctlArguments.rewrite(Array(CommandLine.arguments.dropFirst()))))
    }
}
