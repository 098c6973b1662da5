import Diagnostics
import FoundationEssentials
import Glibc
import YAML

/// talenv.yaml → the normalised values document `talenv.values.json`, after checking the contract.
///
/// Its output is what render reads, so an edit that changes no value (a comment, key order, quoting)
/// yields the same output bytes and the runner stops there (early cutoff).
public struct ValidateStage: Stage {
    public static let output = "talenv.values.json"

    public init() {}

    public var name: String { "validate" }
    /// 2: empty cert SANs, MTUs out of range and unknown or duplicate extension names are errors (a
    /// file the previous version accepted must be checked again, not restored).
    public var version: String { "2" }
    public var upstream: [String] { [] }

    public func plan(for cluster: ClusterContext) -> StagePlan {
        StagePlan(inputs: [StageInput(name: "talenv.yaml", source: .file(path: cluster.talenv.path))])
    }

    public func run(for cluster: ClusterContext, inputs: StageInputs, environment: StageEnvironment) throws -> StageResult {
        let file = FleetLayout.displayPath(cluster.talenv.path)
        let values = try Self.validatedValues(try inputs.bytes("talenv.yaml"), file: file)
        return StageResult(outputs: [GeneratedOutput(path: Self.output, contents: values)])
    }

    /// Parses and checks one talenv.yaml; returns its normalised values or throws every problem at once.
    public static func validate(_ bytes: [UInt8], file: String) throws -> String {
        String(decoding: try validatedValues(bytes, file: file), as: UTF8.self)
    }

    /// `validate`'s values as the UTF-8 bytes the stage writes.
    static func validatedValues(_ bytes: [UInt8], file: String) throws -> [UInt8] {
        let root: YAMLNode
        do {
            root = try YAML.parseDocument(bytes, file: file)
        } catch let diagnostic as Diagnostic {
            throw DiagnosticList([diagnostic])
        }
        let problems = TalenvValidator.check(root, file: file)
        if !problems.isEmpty { throw DiagnosticList(problems) }
        return CanonicalJSON.encodeBytes(root)
    }
}
