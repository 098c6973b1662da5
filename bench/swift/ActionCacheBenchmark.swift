// action-cache: cost of the cache operations a run makes per stage — recording an action,
// looking one up, and answering an unchanged input file from its file-state record.
// usage: TalosBatchBench action-cache [records=2000] [files=2000]
import Cache
import Foundation

@Sendable func actionCacheBenchmark(_ arguments: [String]) -> Int32 {
    let recordCount = arguments.first.flatMap(Int.init) ?? 2000
    let fileCount = arguments.dropFirst().first.flatMap(Int.init) ?? 2000
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("talos-batch-bench-cache-\(getpid())")
    defer { try? FileManager.default.removeItem(at: scratch) }

    func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = ContinuousClock.now
        try body()
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
    func report(_ label: String, _ count: Int, _ seconds: Double) {
        print(String(format: "action-cache %@ %9.1f µs each (%d in %.3f s)",
                     label.padding(toLength: 26, withPad: " ", startingAt: 0), seconds / Double(count) * 1e6, count, seconds))
    }

    do {
        let cache = try CacheDirectory(url: scratch.appendingPathComponent("cache"))
        let records = (0..<recordCount).map { index in
            let key = ActionKey(stage: "genconfig", stageVersion: "1", toolVersion: "bench",
                                parameters: [("cluster", "cluster-\(index)")],
                                inputs: (0..<4).map { ("input\($0)", Digest.of("\(index)/\($0)")) })
            return ActionRecord(key: key.digest, stage: "genconfig", cluster: "cluster-\(index)",
                                outputs: (0..<3).map { OutputEntry(path: "clusterconfig/node-\($0).yaml",
                                                                   digest: Digest.of("\(index)-\($0)"), mode: 0o600, size: 4096) },
                                inputs: key.inputs, created: Date(), lastUsed: Date(), duration: 0.01)
        }
        report("record (3 outputs)", recordCount, try seconds { for record in records { try cache.actions.record(record) } })
        var found = 0
        report("lookup (hit)", recordCount, try seconds {
            for record in records where try cache.actions.lookup(record.key) != nil { found += 1 }
        })
        report("markUsed + noteHit", recordCount, try seconds {
            for record in records {
                try cache.actions.markUsed(record.key)
                try cache.actions.noteHit()
            }
        })

        let files = scratch.appendingPathComponent("inputs")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        let paths = try (0..<fileCount).map { index -> String in
            let url = files.appendingPathComponent("file-\(index).yaml")
            try Data(repeating: UInt8(index & 0xff), count: 2048).write(to: url)
            return url.path
        }
        report("file state, first hash", fileCount, try seconds {
            for path in paths { _ = try cache.fileStates.digest(ofFileAtPath: path) }
        })
        // Let the files age past the racy window so their records are trusted.
        Thread.sleep(forTimeInterval: Double(FileStateRecord.racyWindowNanoseconds) / 1e9 + 0.2)
        _ = try seconds { for path in paths { _ = try cache.fileStates.digest(ofFileAtPath: path) } }
        let hashedBefore = cache.fileStates.filesHashed
        report("file state, unchanged", fileCount, try seconds {
            for path in paths { _ = try cache.fileStates.digest(ofFileAtPath: path) }
        })
        guard found == recordCount, cache.fileStates.filesHashed == hashedBefore else {
            FileHandle.standardError.write(Data("action-cache: unexpected misses or re-reads\n".utf8))
            return 1
        }
        return 0
    } catch {
        FileHandle.standardError.write(Data("action-cache: \(error)\n".utf8))
        return 1
    }
}
