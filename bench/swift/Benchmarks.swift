/// Every in-process benchmark, by name: each takes its arguments and returns an exit status.
/// Add one line per benchmark here, its code in a file of its own.
let benchmarks: [String: @Sendable ([String]) -> Int32] = [
    "sha256": sha256Benchmark,
    "action-cache": actionCacheBenchmark,
    "yaml-parse": yamlParseBenchmark,
    "yaml-emit": yamlEmitBenchmark,
    "yaml-reemit": yamlReemit,
    "jinja-render": jinjaRenderBenchmark,
    "genconfig": genconfigBenchmark,
    "genconfig-fleet": genconfigFleetBenchmark,
    "validate-render": validateRenderBenchmark,
    "secrets-path": secretsPathBenchmark,
    "genbundles": genBundlesTool,
]
