import Foundation
import Secrets
import Talos
import YAML

/// `genconfig TALCONFIG SECRETS [RUNS]`: loads a rendered talhelper config and a plaintext secrets bundle
/// once, then generates every node's machine config RUNS times (default 20) — the CPU half of the
/// genconfig stage, without SOPS or file writes. Prints `seconds …` per run, the median and the bytes.
@Sendable func genconfigBenchmark(_ arguments: [String]) -> Int32 {
    guard arguments.count >= 2, let talconfig = FileManager.default.contents(atPath: arguments[0]),
          let secretsFile = FileManager.default.contents(atPath: arguments[1]) else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench genconfig TALCONFIG SECRETS [RUNS]\n".utf8))
        return 2
    }
    let runs = arguments.count > 2 ? max(1, Int(arguments[2]) ?? 20) : 20
    let config: TalhelperConfig
    let secrets: SecretsBundle
    do {
        var loaded = try TalhelperConfig.load([UInt8](talconfig), file: arguments[0], environment: [:], strict: true).0
        loaded.baseDirectory = URL(fileURLWithPath: arguments[0]).deletingLastPathComponent()
        config = loaded
        secrets = try SecretsBundle.parse(try YAML.parseDocument([UInt8](secretsFile), file: arguments[1]), file: arguments[1])
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return 1
    }
    var times: [Double] = []
    var size = 0
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            size = try TalhelperGenerator.generateNodeConfigs(config, secrets: secrets).reduce(0) { $0 + $1.contents.count }
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return 1
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        times.append(seconds)
        print("seconds \(seconds)")
    }
    times.sort()
    print("median \(times[times.count / 2])")
    print("nodes \(config.nodes.count)")
    print("bytes \(size)")
    return 0
}
