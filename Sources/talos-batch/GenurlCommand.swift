import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import Talos
import YAML

/// talhelper's `genurl`: Image Factory installer and image URLs, from a talconfig's nodes or from flags.
struct GenurlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genurl",
        abstract: "Image Factory URLs as talhelper's genurl prints them (schematic IDs computed offline).",
        discussion: helpExamples("talos-batch genurl installer -c talconfig.yaml", "talos-batch genurl image -v v1.11.5 -e siderolabs/iscsi-tools"),
        subcommands: [GenurlInstallerCommand.self, GenurlImageCommand.self])
}

/// talhelper's genurl flags, shared by `installer` and `image`.
struct GenurlOptions: ParsableArguments {
    @Option(name: [.customShort("c"), .long], help: "The talconfig; when it exists its nodes are used.")
    var configFile = "talconfig.yaml"
    @Option(parsing: .singleValue, help: "Files with variables for the talconfig (repeatable).")
    var envFile: [String] = ["talenv.yaml", "talenv.sops.yaml", "talenv.yml", "talenv.sops.yml"]
    @Option(name: [.customShort("n"), .long], help: "Only this node (hostname or IP address).")
    var node = ""
    @Option(name: [.customShort("r"), .long], help: "Registry of the image (without a talconfig).")
    var registryURL = "factory.talos.dev"
    @Option(name: [.customShort("v"), .long], help: "Talos version (without a talconfig).")
    var version = TalhelperConfig.defaultTalosVersion
    @Option(name: [.customShort("e"), .long], parsing: .singleValue, help: "Official extension (without a talconfig; repeatable).")
    var `extension`: [String] = []
    @Option(name: [.customShort("k"), .long], parsing: .singleValue, help: "Kernel argument (without a talconfig; repeatable).")
    var kernelArg: [String] = []
    @Flag(help: "Accepted for talhelper compatibility: schematic IDs are always computed offline.")
    var offlineMode = false
    @Flag(help: "A Secure Boot URL.") var secureBoot = false
    @Option(name: [.customShort("m"), .long], help: "Talos runtime mode.") var talosMode = "metal"
    @Option(help: "A schematic (customization) file; the talconfig is then ignored.") var customizationFile = ""
    @Option(help: "An age key file for SOPS-encrypted env files (repeatable).") var ageKeyFile: [String] = []

    /// The schematic the flags describe (talhelper drops empty fields, so the empty one is `{}`).
    var flagSchematic: YAMLNode {
        var customization: [YAMLPair] = []
        if !kernelArg.isEmpty { customization.append(YAMLPair("extraKernelArgs", .sequence(kernelArg.map { .string($0) }))) }
        if !`extension`.isEmpty {
            customization.append(YAMLPair("systemExtensions", .mapping([
                YAMLPair("officialExtensions", .sequence(`extension`.map { .string($0) })),
            ])))
        }
        return .mapping(customization.isEmpty ? [] : [YAMLPair("customization", .mapping(customization))])
    }

    func customization() throws -> YAMLNode? {
        guard !customizationFile.isEmpty else { return nil }
        guard let data = try readInputFile(customizationFile) else {
            throw CLIError("cannot read \(customizationFile)")
        }
        return try YAML.parseDocument([UInt8](data), file: customizationFile)
    }

    func talconfig() throws -> TalhelperConfig? {
        guard let bytes = try readInputFile(configFile) else { return nil }
        var environment = ProcessInfo.processInfo.environment
        for file in envFile where FileManager.default.fileExists(atPath: file) {
            environment.merge(try GenconfigCommand.readEnvironmentFile(file, ageKeyFiles: ageKeyFile) ?? [:]) { _, new in new }
        }
        return try TalhelperConfig.load(Array(bytes), file: configFile, environment: environment, strict: false).0
    }

    /// talhelper's output: one URL alone, else `hostname: url` per line; a `--node` that matches nothing is an error.
    func printPerNode(_ config: TalhelperConfig, _ url: (TalhelperNode) throws -> String) throws {
        var lines: [(String, String)] = []
        for candidate in config.nodes {
            if !node.isEmpty && !candidate.ipAddresses.contains(node) && candidate.hostname != node { continue }
            lines.append((candidate.hostname, try url(candidate)))
            if !node.isEmpty { break }
        }
        switch lines.count {
        case 0: throw CLIError("Node with IP address or hostname of \(node) is not found in the config file")
        case 1: print(lines[0].1)
        default: for (hostname, url) in lines { print("\(hostname): \(url)") }
        }
    }
}

struct GenurlInstallerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "installer", abstract: "The Talos installer image URL.",
        discussion: helpExamples("talos-batch genurl installer -c talconfig.yaml", "talos-batch genurl installer -c talconfig.yaml -n 10.0.0.10", "talos-batch genurl installer -v v1.11.5 -e siderolabs/iscsi-tools"))

    @OptionGroup var options: GenurlOptions
    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        try runReportingDiagnostics(color: colorOptions.color) {
            var spec = MachineSpec()
            spec.mode = options.talosMode
            spec.secureboot = options.secureBoot
            if let schematic = try options.customization() {
                print(try FactoryURLs.installer(schematic: schematic, registry: options.registryURL, spec: spec, version: options.version))
            } else if let config = try options.talconfig() {
                try options.printPerNode(config) { try TalhelperGenerator.installerURL($0, in: config) }
            } else {
                print(try FactoryURLs.installer(schematic: options.flagSchematic, registry: options.registryURL, spec: spec,
                                                version: options.version))
            }
        }
    }
}

struct GenurlImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image", abstract: "The Talos ISO or disk image URL.",
        discussion: helpExamples("talos-batch genurl image -c talconfig.yaml", "talos-batch genurl image -v v1.11.5 --boot-method disk-image --suffix raw.xz"))

    @OptionGroup var options: GenurlOptions
    @Option(name: [.customShort("a"), .long], help: "CPU architecture.") var arch = "amd64"
    @Flag(help: "A UKI image URL when Secure Boot is on.") var useUKI = false
    @Option(help: "Boot method: iso, disk-image or pxe.") var bootMethod = "iso"
    @Option(help: "The image file extension (e.g. raw.xz, qcow2).") var suffix = ""
    @OptionGroup var colorOptions: ColorOptions

    func run() throws {
        try runReportingDiagnostics(color: colorOptions.color) {
            guard ["iso", "disk-image", "pxe"].contains(bootMethod) else {
                throw CLIError("invalid boot-method, should be one of iso, disk-image, pxe")
            }
            var spec = MachineSpec()
            spec.mode = options.talosMode
            spec.arch = arch
            spec.secureboot = options.secureBoot
            spec.useUKI = useUKI
            spec.bootMethod = bootMethod
            spec.imageSuffix = suffix
            if let schematic = try options.customization() {
                // talhelper uses the default factory here, whatever --registry-url says.
                print(try FactoryURLs.image(schematic: schematic, registry: "factory.talos.dev", spec: spec, version: options.version))
            } else if let config = try options.talconfig() {
                try options.printPerNode(config) { try FactoryURLs.image(for: $0, in: config) }
            } else {
                print(try FactoryURLs.image(schematic: options.flagSchematic, registry: "factory.talos.dev", spec: spec,
                                            version: options.version))
            }
        }
    }
}
