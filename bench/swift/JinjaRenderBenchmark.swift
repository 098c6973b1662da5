import Foundation
import Jinja
import YAML

/// `jinja-render TEMPLATE VALUES [RUNS] [--trim-blocks] [--lstrip-blocks] [--output FILE]`: compiles
/// TEMPLATE once and loads VALUES (JSON, or YAML) once, then renders RUNS times (default 20) in process,
/// printing `seconds <wall-clock>` per run, then `median <seconds>` and `bytes <output size>`.
/// Only `Template.render` is timed — the same work as Python's `template.render(values)` — in CPU time
/// of the rendering thread (CLOCK_THREAD_CPUTIME_ID, like Python's time.thread_time()).
@Sendable func jinjaRenderBenchmark(_ arguments: [String]) -> Int32 {
    var positional: [String] = []
    var options = RenderOptions()
    var outputPath: String?
    var i = 0
    while i < arguments.count {
        switch arguments[i] {
        case "--trim-blocks": options.syntax.trimBlocks = true
        case "--lstrip-blocks": options.syntax.lstripBlocks = true
        case "--output":
            i += 1
            if i < arguments.count { outputPath = arguments[i] }
        default: positional.append(arguments[i])
        }
        i += 1
    }
    guard positional.count >= 2 else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench jinja-render TEMPLATE VALUES [RUNS] [--trim-blocks] [--lstrip-blocks] [--output FILE]\n".utf8))
        return 2
    }
    let runs = positional.count > 2 ? max(1, Int(positional[2]) ?? 20) : 20
    do {
        guard let source = FileManager.default.contents(atPath: positional[0]).flatMap({ String(data: $0, encoding: .utf8) }),
              let valuesText = FileManager.default.contents(atPath: positional[1]).flatMap({ String(data: $0, encoding: .utf8) }) else {
            FileHandle.standardError.write(Data("cannot read the template or the values\n".utf8))
            return 1
        }
        let values = positional[1].hasSuffix(".json")
            ? try JSONReader.parse(valuesText, file: positional[1])
            : Value(yaml: try YAML.parseDocument(valuesText, file: positional[1]))
        let context = Value.context(from: values) ?? [:]
        let environment = Environment(options: options)
        let template = try environment.template(source: source, name: positional[0])
        var times: [Double] = []
        var output = ""
        for _ in 0..<runs {
            let start = threadCPUSeconds()
            output = try template.render(context)
            let seconds = threadCPUSeconds() - start
            times.append(seconds)
            print("seconds \(seconds)")
        }
        times.sort()
        print("median \(times[times.count / 2])")
        print("bytes \(output.utf8.count)")
        if let outputPath { try Data(output.utf8).write(to: URL(fileURLWithPath: outputPath)) }
        return 0
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return 1
    }
}

private func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
