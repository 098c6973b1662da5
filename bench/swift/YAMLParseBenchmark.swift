import Foundation
import YAML

/// `yaml-parse FILE [RUNS]`: parses FILE RUNS times (default 5) in process and prints one line per run,
/// `seconds <wall-clock>`, then `median <seconds>` and the node count (so the work cannot be skipped).
/// The file is read once, before timing; each run is a full YAML.parseStream to YAMLNode trees.
@Sendable func yamlParseBenchmark(_ arguments: [String]) -> Int32 {
    guard let path = arguments.first else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench yaml-parse FILE [RUNS]\n".utf8))
        return 2
    }
    let runs = arguments.count > 1 ? max(1, Int(arguments[1]) ?? 5) : 5
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
        return 1
    }
    let bytes = [UInt8](data)
    var times: [Double] = []
    var nodes = 0
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let documents = try YAML.parseStream(bytes, file: path)
            nodes = documents.reduce(0) { $0 + countNodes($1) }
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
    print("nodes \(nodes)")
    return 0
}

private func countNodes(_ node: YAMLNode) -> Int {
    switch node.content {
    case .scalar: return 1
    case .sequence(let items): return items.reduce(1) { $0 + countNodes($1) }
    case .mapping(let pairs): return pairs.reduce(1) { $0 + countNodes($1.key) + countNodes($1.value) }
    }
}
