import ArgumentParser
import FoundationEssentials
import Glibc
import Runner
import Secrets
import SystemKit

/// `talos-batch decrypt FILE`: a SOPS file's plaintext, byte for byte what `sops -d FILE` prints.
struct DecryptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decrypt",
        abstract: "Decrypt a SOPS file (YAML, JSON, dotenv, INI or binary) and print it as `sops -d` does.",
        discussion: """
            The format comes from the file name as sops infers it (.yaml/.yml, .json, .env, .ini, else binary) \
            unless --input-type says; the output is in the same format unless --output-type says (standard \
            input, `-` or /dev/stdin, is printed in its input type). Keys are found as sops finds them: \
            SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, SOPS_AGE_KEY_CMD, $XDG_CONFIG_HOME/sops/age/keys.txt \
            (~/.config/sops/age/keys.txt), SSH keys (SOPS_AGE_SSH_PRIVATE_KEY_FILE, else ~/.ssh/id_ed25519 \
            and ~/.ssh/id_rsa); then every --age-key-file and, inside a fleet, the ageKeyFiles of \
            talos-batch.yaml. Nothing is printed unless the whole file decrypts and its MAC verifies.
            """ + "\n\n" + helpExamples("talos-batch decrypt talos/clusters/cluster-101/talsecret.sops.yaml",
                                        "talos-batch decrypt --extract '[\"cluster\"][\"secret\"]' talsecret.sops.yaml",
                                        "talos-batch decrypt --output-type json --output plain.json secrets.sops.yaml"))

    @Option(name: .customLong("age-key-file"), help: ArgumentHelp("An extra age identity file (repeatable).", valueName: "file"))
    var ageKeyFiles: [String] = []

    @Option(name: .customLong("extract"), help: ArgumentHelp("Print only this part, in sops' path syntax: '[\"a\"][\"b\"][0]'.", valueName: "path"))
    var extract: String?

    @Option(name: .customLong("output"), help: ArgumentHelp("Write the plaintext to this file (mode 0600, atomically) instead of standard output.", valueName: "file"))
    var output: String?

    @Option(name: .customLong("input-type"), help: ArgumentHelp("The input format: yaml, json, dotenv, ini or binary.", valueName: "type"))
    var inputType: String?

    @Option(name: .customLong("output-type"), help: ArgumentHelp("The output format: yaml, json, dotenv, ini or binary.", valueName: "type"))
    var outputType: String?

    @Argument(help: ArgumentHelp("The SOPS-encrypted file; - or /dev/stdin reads standard input.", valueName: "file"))
    var file: String

    static func format(_ name: String?, option: String) throws -> SOPSFormat? {
        guard let name else { return nil }
        guard let format = SOPSFormat(name: name) else {
            throw CLIError("--\(option) \(name): unknown format (expected yaml, json, dotenv, ini or binary)")
        }
        return format
    }

    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        do {
            let fromStandardInput = file == "-" || file == "/dev/stdin"
            let input = try Self.format(inputType, option: "input-type") ?? SOPSFormat.inferred(fromPath: file)
            let outputFormat = try Self.format(outputType, option: "output-type")
                ?? (fromStandardInput ? input : SOPSFormat.inferred(fromPath: file))
            let path = try extract.map(SOPSTreePath.init(parsing:))
            let bytes: Data
            if fromStandardInput {
                bytes = StandardStream.standardInput.readDataToEndOfFile()
            } else {
                guard let data = try readInputFile(file) else { throw CLIError("\(file): cannot read file") }
                bytes = data
            }
            let identities = try CommandKeys.identities(extraKeyFiles: ageKeyFiles, near: fromStandardInput ? nil : file)
            let plaintext = try SOPSFile.decrypt(Array(bytes), file: fromStandardInput ? "<stdin>" : file, identities: identities,
                                                 input: input, output: outputFormat, extract: path)
            if let output {
                do {
                    try AtomicFile.write(plaintext, to: URL(fileURLWithPath: output).path, mode: 0o600)
                } catch {
                    throw CLIError("\(output): writing failed: \(ErrorMessage.text(error))")
                }
            } else {
                StandardStream.standardOutput.write(Data(plaintext))
            }
        } catch {
            let style = TerminalStyle(colorOptions.color, descriptor: STDERR_FILENO)
            StandardStream.standardError.write(Data((style.severityColored("talos-batch: \(ErrorMessage.text(error))") + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

/// A command-line failure with a message for stderr.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = "error: \(message)" }
}
