import Foundation
import Cache
import Stages

/// `validate-render FLEET [CLUSTERS] [RUNS]`: the validate and render stages' own CPU per cluster, in
/// process, as a cold regen runs them: for each of the first CLUSTERS clusters (default all) of the fleet
/// under FLEET (its root, holding talos/), validate's `run` on its talenv.yaml, then render's `run` on that
/// output and the templates. Untimed: reading and hashing the files (the runner does both and hands the
/// stages each file's digest). Each run gets a fresh `StageEnvironment` (a regen makes one), so its first
/// cluster compiles the templates, as a cold run does. Prints the CPU time
/// (user + system) per cluster of each run, the median, and a checksum of the output bytes. Under
/// callgrind, use RUNS 1 and subtract a run over 1 cluster to get the instructions per cluster.
@Sendable func validateRenderBenchmark(_ arguments: [String]) -> Int32 {
    guard !arguments.isEmpty else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench validate-render FLEET [CLUSTERS] [RUNS]\n".utf8))
        return 2
    }
    let limit = arguments.count > 1 ? max(1, Int(arguments[1]) ?? .max) : .max
    let runs = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 3) : 3
    let fleet = FleetLayout(root: URL(fileURLWithPath: arguments[0]))
    let validate = ValidateStage()
    let render = RenderStage()

    /// A cluster's file inputs of one stage's plan, read up front (the upstream output is added when timed).
    func fileInputs(of stage: some Stage, for cluster: ClusterContext) -> [String: [UInt8]]? {
        var contents: [String: [UInt8]] = [:]
        for input in stage.plan(for: cluster).inputs {
            guard case .file(let path) = input.source else { continue }
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            contents[input.name] = [UInt8](data)
        }
        return contents
    }

    /// The digests the runner passes with file inputs.
    func digests(of contents: [String: [UInt8]]) -> [String: Digest] { contents.mapValues { Digest.of($0) } }

    var clusters: [(context: ClusterContext, validate: [String: [UInt8]], validateDigests: [String: Digest],
                    render: [String: [UInt8]], renderDigests: [String: Digest])] = []
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: fleet.clusters.path)) ?? []).sorted()
    for name in names.prefix(limit) {
        guard let id = FleetLayout.clusterID(folderName: name) else { continue }
        let context = ClusterContext(id: id, fleet: fleet)
        guard let validateInputs = fileInputs(of: validate, for: context),
              let renderInputs = fileInputs(of: render, for: context) else { continue }
        clusters.append((context, validateInputs, digests(of: validateInputs), renderInputs, digests(of: renderInputs)))
    }
    guard !clusters.isEmpty else {
        FileHandle.standardError.write(Data("validate-render: no cluster with a talenv.yaml under \(fleet.clusters.path)\n".utf8))
        return 2
    }

    do {
        try reportCPUPerCluster(runs: runs, clusters: clusters.count) {
            let environment = StageEnvironment(environment: [:], ageKeyFiles: [], now: Date())
            var checksum = 0
            for cluster in clusters {
                let values = try validate.run(for: cluster.context, inputs: StageInputs(cluster.validate, digests: cluster.validateDigests),
                                              environment: environment)
                var inputs = cluster.render
                inputs["values"] = values.outputs[0].contents
                let rendered = try render.run(for: cluster.context, inputs: StageInputs(inputs, digests: cluster.renderDigests),
                                              environment: environment)
                for output in values.outputs + rendered.outputs {
                    checksum = checksum &* 31 &+ output.contents.count
                    for byte in output.contents { checksum = checksum &* 31 &+ Int(byte) }
                }
            }
            return checksum
        }
    } catch {
        FileHandle.standardError.write(Data("validate-render: \(error)\n".utf8))
        return 1
    }
    return 0
}
