import ArgumentParser
import Diagnostics
import FoundationEssentials
import Glibc
import Talos

/// `validate --talconfig` / `--nodeconfig`: talhelper's read-only checks, every problem at file:line:col.
enum TalhelperValidation {
    static func run(talconfig: String?, nodeconfig: String?, mode: String, envFiles: [String], color: ColorMode = .auto) throws {
        let style = TerminalStyle(color, descriptor: STDOUT_FILENO)
        try runReportingDiagnostics(color: color) {
            if let talconfig {
                guard let bytes = try readInputFile(talconfig) else { throw CLIError("cannot read \(talconfig)") }
                var environment = ProcessInfo.processInfo.environment
                for file in envFiles where FileManager.default.fileExists(atPath: file) {
                    environment.merge(try GenconfigCommand.readEnvironmentFile(file, ageKeyFiles: []) ?? [:]) { _, new in new }
                }
                // `@file` patches and extra manifests must exist beside the talconfig, as genconfig reads them there.
                let folder = URL(fileURLWithPath: talconfig).deletingLastPathComponent()
                let (_, warnings) = try TalhelperConfig.load(Array(bytes), file: talconfig, environment: environment, strict: false,
                                                             baseDirectory: folder)
                printWarnings(warnings, color: color)
                print("\(talconfig): \(style.status("ok"))")
            }
            if let nodeconfig {
                guard let runtimeMode = NodeConfigValidator.Mode(rawValue: mode) else {
                    throw CLIError("unknown mode \"\(mode)\" (expected metal, cloud or container)")
                }
                guard let bytes = try readInputFile(nodeconfig) else { throw CLIError("cannot read \(nodeconfig)") }
                let problems = NodeConfigValidator.validate(Array(bytes), file: nodeconfig, mode: runtimeMode)
                printWarnings(problems.filter { $0.severity == .warning }, color: color)
                let errors = problems.filter { $0.severity == .error }
                if !errors.isEmpty { throw DiagnosticList(errors) }
                print("\(nodeconfig) is valid for \(mode) mode")
            }
        }
    }
}
