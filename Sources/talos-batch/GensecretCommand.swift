import ArgumentParser
import Foundation
import Runner
import Secrets
import YAML

/// `talos-batch gensecret`: a new Talos secrets bundle (talsecret.yaml shape), optionally SOPS-encrypted.
struct GensecretCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gensecret",
        abstract: "Generate a new Talos secrets bundle, optionally SOPS-encrypted for age recipients.",
        discussion: """
            CAs (OS Ed25519, etcd/Kubernetes/aggregator ECDSA P-256) are self-signed and valid ten years; the \
            service-account key is RSA-4096 from Talos v1.7 (ECDSA P-256 before). With --age-recipient the \
            output is a SOPS file that `sops -d` and `talos-batch decrypt` read. Files are written 0600.
            """ + "\n\n" + helpExamples("talos-batch gensecret > talsecret.yaml", "talos-batch gensecret --age-recipient age1… -o talsecret.sops.yaml"))

    @Option(name: .customLong("talos-version"), help: "Talos version the bundle is for (default \(SecretsBundleGenerator.defaultTalosVersion)).")
    var talosVersion: String = SecretsBundleGenerator.defaultTalosVersion

    @Option(name: .customLong("age-recipient"), help: ArgumentHelp("Encrypt for this age recipient (repeatable).", valueName: "age1…"))
    var ageRecipients: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
    var output: String?

    func run() throws {
        do {
            let recipients = try ageRecipients.map(AgeRecipient.parse)
            if let output, FileManager.default.fileExists(atPath: output) {
                throw CLIError("\(output) already exists; refusing to overwrite a secrets file (remove it first)")
            }
            let bundle = try SecretsBundleGenerator.generate(talosVersion: talosVersion)
            try bundle.validate(file: "generated bundle")
            let text = recipients.isEmpty
                ? YAMLEmitter(indent: 4).emit(bundle.encoded())
                : try SOPSFile.encrypt(bundle.encoded(), recipients: recipients, now: Date())
            if let output {
                // The one atomic writer: 0600, a missing folder created 0700, an existing one left alone.
                do {
                    try AtomicFile.write(Array(text.utf8), to: URL(fileURLWithPath: output).path, mode: 0o600)
                } catch {
                    throw CLIError("\(output): writing failed: \(ErrorMessage.text(error))")
                }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("talos-batch: \(ErrorMessage.text(error))\n".utf8))
            throw ExitCode(1)
        }
    }
}
