import Foundation
import Secrets

/// `genbundles --seed S --count N --out DIR [--first-id F] [--recipient age1…] [--talos-version V]`: writes
/// `DIR/cluster-<F+i>/talsecret.sops.yaml` for i in 0..<N, each cluster's own SOPS/age-encrypted secrets
/// bundle (own CAs, keys, ids and tokens) from the project's generator, with every random byte drawn from
/// a stream seeded by (S, F+i): the same arguments give byte-identical files, in any order, on any number
/// of threads. For benchmark fleets only: the seed is the keys. bench/genfleet.py calls it.
@Sendable func genBundlesTool(_ arguments: [String]) -> Int32 {
    var options: [String: String] = ["--first-id": "10000", "--talos-version": "v1.12"]
    var index = 0
    while index + 1 < arguments.count, arguments[index].hasPrefix("--") {
        options[arguments[index]] = arguments[index + 1]
        index += 2
    }
    guard index == arguments.count, let seed = options["--seed"].flatMap(UInt64.init), let count = options["--count"].flatMap(Int.init),
          let out = options["--out"], let firstID = options["--first-id"].flatMap(Int.init), count >= 0 else {
        FileHandle.standardError.write(Data("usage: TalosBatchBench genbundles --seed S --count N --out DIR [--first-id F] [--recipient age1…] [--talos-version V]\n".utf8))
        return 2
    }
    let recipients: [AgeRecipient]
    do {
        recipients = [try AgeRecipient.parse(options["--recipient"] ?? "age1fl5g7mksyawtne53u7a9c7a05hvxxlkm5mjh59z56ppley70sagstvdzq7")]
    } catch {
        FileHandle.standardError.write(Data("genbundles: \(error)\n".utf8))
        return 2
    }
    let talosVersion = options["--talos-version"]!
    // Certificates start at a fixed instant so that the files do not depend on the day they were made.
    let notBefore = Date(timeIntervalSince1970: 1_767_225_600)   // 2026-01-01T00:00:00Z
    let failures = FailureCount()
    let started = ContinuousClock.now
    DispatchQueue.concurrentPerform(iterations: count) { offset in
        let id = firstID + offset
        var seedText = Array("talos-batch bench bundle\n\(seed)\n\(id)\n".utf8)
        defer { seedText.removeAll() }
        do {
            let text = try SecretsBundleGenerator.benchmarkBundle(seed: seedText, talosVersion: talosVersion, now: notBefore,
                                                                  recipients: recipients)
            let folder = URL(fileURLWithPath: out).appendingPathComponent("cluster-\(id)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("talsecret.sops.yaml")
            try Data(text.utf8).write(to: file)
            chmod(file.path, 0o600)
        } catch {
            failures.add()
            FileHandle.standardError.write(Data("genbundles: cluster-\(id): \(error)\n".utf8))
        }
    }
    let elapsed = ContinuousClock.now - started
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "genbundles: %d bundles in %.2f s", count, seconds))
    return failures.value == 0 ? 0 : 1
}

private final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
