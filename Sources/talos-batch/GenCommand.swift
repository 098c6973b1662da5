import ArgumentParser

/// `talos-batch gen …`: generators mirroring `talosctl gen`.
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generate Talos configuration (like talosctl gen).",
        subcommands: [
            TalosctlGenConfigCommand.self,
        ]
    )
}
