import ArgumentParser
import Foundation
import Runner
import Secrets

/// `talos-batch decrypt FILE`: a SOPS file's plaintext, byte for byte what `sops -d FILE` prints.
struct DecryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt a SOPS-encrypted YAML file (age recipients) and print it as `sops -d` does.",
        discussion: """
            Keys are found as sops finds them: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, then \
            $XDG_CONFIG_HOME/sops/age/keys.txt (~/.config/sops/age/keys.txt), plus every --age-key-file. \
            Nothing is printed unless the whole file decrypts and its MAC verifies.
            """ + "\n\n" + helpExamples("talos-batch decrypt talsecret.sops.yaml", "talos-batch decrypt --age-key-file ~/keys.txt talenv.sops.yaml"))

    @Option(name: .customLong("age-key-file"), help: ArgumentHelp("An extra age identity file (repeatable).", valueName: "file"))
    var ageKeyFiles: [String] = []

    @Argument(help: ArgumentHelp("The SOPS-encrypted YAML file.", valueName: "file"))
    var file: String

    func run() throws {
        do {
            guard let bytes = try readInputFile(file) else {
                throw CLIError("\(file): cannot read file")
            }
            let identities = try AgeKeyLocator.identities(environment: ProcessInfo.processInfo.environment,
                                                          extraKeyFiles: ageKeyFiles.map { URL(fileURLWithPath: $0) })
            let plaintext = try SOPSFile.decrypt(Array(bytes), file: file, identities: identities)
            FileHandle.standardOutput.write(Data(plaintext.utf8))
        } catch {
            FileHandle.standardError.write(Data("talos-batch: \(ErrorMessage.text(error))\n".utf8))
            throw ExitCode(1)
        }
    }
}

/// A command-line failure with a message for stderr.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = "error: \(message)" }
}
