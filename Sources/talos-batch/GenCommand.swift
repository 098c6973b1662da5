import ArgumentParser

/// `talos-batch gen …`: generators mirroring `talosctl gen`.
struct GenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gen",
        abstract: "Generate Talos configuration (like talosctl gen).",
        discussion: helpExamples("talos-batch gen config my-cluster https://10.0.0.10:6443 --with-secrets secrets.yaml", "talos-batch gen config my-cluster https://10.0.0.10:6443 --with-secrets secrets.yaml --with-kubespan -o out"),
        subcommands: [
            TalosctlGenConfigCommand.self,
        ]
    )
}
