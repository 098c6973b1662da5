import Foundation
import YAML

/// `yaml-emit FILE [RUNS] [INDENT]`: parses FILE once, then emits its documents RUNS times (default 5) with
/// YAMLEmitter(indent: INDENT, default 4); prints `seconds …` per run, the median and the output size.
@Sendable func yamlEmitBenchmark(_ arguments: [String]) -> Int32 {
    guard let path = arguments.first, let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench yaml-emit FILE [RUNS] [INDENT]\n".utf8))
        return 2
    }
    let runs = arguments.count > 1 ? max(1, Int(arguments[1]) ?? 5) : 5
    let indent = arguments.count > 2 ? Int(arguments[2]) ?? 4 : 4
    let documents: [YAMLNode]
    do {
        documents = try YAML.parseStream([UInt8](data), file: path)
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return 1
    }
    let emitter = YAMLEmitter(indent: indent)
    var times: [Double] = []
    var size = 0
    for _ in 0..<runs {
        let start = DispatchTime.now().uptimeNanoseconds
        size = emitter.emitBytes(documents).count
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        times.append(seconds)
        print("seconds \(seconds)")
    }
    times.sort()
    print("median \(times[times.count / 2])")
    print("bytes \(size)")
    return 0
}
