// talos-batch-bench: in-process micro-benchmarks. Each benchmark registers itself in `benchmarks`
// (one file per benchmark); bench/ scripts call `TalosBatchBench <name> [args…]`.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let name = arguments.first, let benchmark = benchmarks[name] else {
    let names = benchmarks.keys.sorted().joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: TalosBatchBench <\(names)> [arguments…]\n".utf8))
    exit(2)
}
exit(benchmark(Array(arguments.dropFirst())))
