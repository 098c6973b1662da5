import Foundation
import YAML

/// `yaml-parse FILE [RUNS]`: parses FILE RUNS times (default 5) in process and prints one line per run,
/// `seconds <wall-clock>`, then `median <seconds>` and the node count (so the work cannot be skipped).
/// The file is read once, before timing; each run is a full YAML.parseStream to YAMLNode trees, and the
/// time to free those trees is counted too.
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
        // Timed: parsing into trees and freeing them again; not timed: counting the nodes.
        let start = DispatchTime.now().uptimeNanoseconds
        var documents: [YAMLNode]
        do {
            documents = try YAML.parseStream(bytes, file: path)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            return 1
        }
        let parsed = DispatchTime.now().uptimeNanoseconds
        nodes = documents.reduce(0) { $0 + countNodes($1) }
        let counted = DispatchTime.now().uptimeNanoseconds
        documents = []
        let freed = DispatchTime.now().uptimeNanoseconds
        let seconds = Double((parsed - start) + (freed - counted)) / 1e9
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
