// sha256: throughput of the cache's hashing — in memory, from a file (page cache warm), and many
// small inputs as the file-state and action-key paths see them.
// usage: TalosBatchBench sha256 [megabytes=256] [repetitions=5]
import Cache
import Foundation

@Sendable func sha256Benchmark(_ arguments: [String]) -> Int32 {
    let megabytes = arguments.first.flatMap(Int.init) ?? 256
    let repetitions = arguments.dropFirst().first.flatMap(Int.init) ?? 5
    guard megabytes > 0, repetitions > 0 else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench sha256 [megabytes] [repetitions]\n".utf8))
        return 2
    }
    let bytes = (0..<(megabytes << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }

    /// Best wall-clock seconds of `repetitions` runs (the least disturbed by the other engineers' builds).
    func best(_ body: () throws -> Void) rethrows -> Double {
        var fastest = Double.infinity
        for _ in 0..<repetitions {
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            fastest = min(fastest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        return fastest
    }
    func report(_ label: String, _ seconds: Double, megabytes: Double) {
        print(String(format: "sha256 %@ %8.1f MiB/s  (%.3f s for %.0f MiB, best of %d)",
                     padded(label), megabytes / seconds, seconds, megabytes, repetitions))
    }

    func padded(_ label: String) -> String { label.padding(toLength: 14, withPad: " ", startingAt: 0) }

    var sink = 0
    let memory = best { sink &+= Int(Digest.of(bytes).bytes[0]) }
    report("in memory", memory, megabytes: Double(megabytes))

    let file = FileManager.default.temporaryDirectory.appendingPathComponent("talos-batch-bench-sha256-\(getpid())")
    defer { try? FileManager.default.removeItem(at: file) }
    do {
        try Data(bytes).write(to: file)
        let fromFile = try best { sink &+= Int(try Digest.ofFile(atPath: file.path).bytes[0]) }
        report("from a file", fromFile, megabytes: Double(megabytes))
    } catch {
        FileHandle.standardError.write(Data("sha256: \(error)\n".utf8))
        return 1
    }

    let small = Array(bytes.prefix(4096))
    let count = 20_000
    let smallSeconds = best { for _ in 0..<count { sink &+= Int(Digest.of(small).bytes[0]) } }
    print(String(format: "sha256 %@ %8.0f hashes/s (%.1f MiB/s)", padded("4 KiB inputs"),
                 Double(count) / smallSeconds, Double(count) * 4096 / 1_048_576 / smallSeconds))

    let key = ActionKey(stage: "genconfig", stageVersion: "1", toolVersion: "0.1.0",
                        parameters: (0..<8).map { ("parameter\($0)", "value \($0)") },
                        inputs: (0..<16).map { ("input\($0)", Digest.of("input \($0)")) })
    let keySeconds = best { for _ in 0..<count { sink &+= Int(key.digest.bytes[0]) } }
    print(String(format: "sha256 %@ %8.0f keys/s (8 parameters, 16 inputs)", padded("action keys"),
                 Double(count) / keySeconds))
    return sink == -1 ? 1 : 0
}
