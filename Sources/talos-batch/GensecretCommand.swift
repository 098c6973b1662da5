import ArgumentParser
import FoundationEssentials
import Glibc
import Runner
import Secrets
import SystemKit
import YAML

/// `talos-batch gensecret`: a new Talos secrets bundle (talsecret.yaml shape), optionally SOPS-encrypted.
struct GensecretCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gensecret",
        abstract: "Generate a new Talos secrets bundle, optionally SOPS-encrypted for age recipients.",
        discussion: """
            CAs (OS Ed25519, etcd/Kubernetes/aggregator ECDSA P-256) are self-signed and valid ten years; the \
            service-account key is RSA-4096 from Talos v1.7 (ECDSA P-256 before). With --age-recipient the \
            output is a SOPS file that `sops -d` and `talos-batch decrypt` read. Without it, -o FILE is \
            encrypted as `sops -e FILE` would: for the recipients of the first creation rule of the nearest \
            .sops.yaml (from the current folder upward) whose path_regex matches FILE. A *.sops.yaml name \
            with no recipients from either is refused: plaintext never lands in a file named as encrypted. \
            Files are written 0600.
            """ + "\n\n" + helpExamples("talos-batch gensecret > talsecret.yaml",
                                        "talos-batch gensecret --age-recipient age1… -o talsecret.sops.yaml",
                                        "talos-batch gensecret -o talos/clusters/cluster-104/talsecret.sops.yaml   # recipients from .sops.yaml"))

    @Option(name: .customLong("talos-version"), help: "Talos version the bundle is for (default \(SecretsBundleGenerator.defaultTalosVersion)).")
    var talosVersion: String = SecretsBundleGenerator.defaultTalosVersion

    @Option(name: .customLong("age-recipient"), help: ArgumentHelp("Encrypt for this age recipient (repeatable).", valueName: "age1…"))
    var ageRecipients: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        do {
            let recipients = try ageRecipients.map(AgeRecipient.parse)
            if let output, FileManager.default.fileExists(atPath: output) {
                throw CLIError("\(output) already exists; refusing to overwrite a secrets file (remove it first)")
            }
            let rule = try encryptionRule(recipients)
            let bundle = try SecretsBundleGenerator.generate(talosVersion: talosVersion)
            try bundle.validate(file: "generated bundle")
            let text = try rule.map { try SOPSFile.encrypt(bundle.encoded(), rule: $0, now: Date()) }
                ?? YAMLEmitter(indent: 4).emit(bundle.encoded())
            if let output {
                // The one atomic writer: 0600, a missing folder created 0700, an existing one left alone.
                do {
                    try AtomicFile.write(Array(text.utf8), to: URL(fileURLWithPath: output).path, mode: 0o600)
                } catch {
                    throw CLIError("\(output): writing failed: \(ErrorMessage.text(error))")
                }
            } else {
                StandardStream.standardOutput.write(Data(text.utf8))
            }
        } catch {
            let style = TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO)
            StandardStream.standardError.write(Data((style.severityColored("talos-batch: \(ErrorMessage.text(error))") + "\n").utf8))
            throw ExitCode(1)
        }
    }

    /// The recipients: --age-recipient, else the `.sops.yaml` creation rule for the output file; nil for
    /// plaintext, which a SOPS-named output never gets.
    func encryptionRule(_ recipients: [AgeRecipient]) throws -> SOPSCreationRule? {
        if !recipients.isEmpty { return SOPSCreationRule(recipients: recipients) }
        guard let output else { return nil }
        let folder = try WorkingDirectory.url()
        let path = URL(fileURLWithPath: output, relativeTo: folder).standardizedFileURL.path
        let config = SOPSCreationRule.configFile(from: folder)
        if let config, let rule = try SOPSCreationRule.rule(for: path, config: config) { return rule }
        let name = URL(fileURLWithPath: output).lastPathComponent
        if name.contains(".sops.") {
            let why = config.map { "no creation rule in \($0.path) matches it" } ?? "no .sops.yaml was found from the current folder upward"
            throw CLIError("refusing to write a plaintext secrets bundle to \(output), a SOPS file name: give --age-recipient, or add a "
                           + "creation rule with age recipients to .sops.yaml (\(why))")
        }
        return nil
    }
}
