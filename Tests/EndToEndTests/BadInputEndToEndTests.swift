import Foundation
import Testing
import TestSupport

/// The bad-input battery of issue 19: 246 edits of the example fleet (Tests/BadInputs/cases.json, written by
/// generate.py beside it) — wrong types and values in talenv.yaml, broken YAML, broken templates,
/// damaged secrets files, a broken project file. For each, `regen --all` over a fleet a clean run
/// generated must exit non-zero (and never hang: it runs under `timeout`), say what is wrong at
/// file:line:col where there is a position (else name the file), and leave every file of the tree as it was.
@Suite("Bad input battery")
struct BadInputEndToEndTests {
    struct Case: Decodable, Sendable {
        var name: String
        var file: String
        var find: String
        var replace: String
        /// The match to replace (1-based); 0 replaces every match.
        var occurrence: Int
        /// Whether the message must give a file:line:col.
        var position: Bool
        /// What the message must name.
        var names: String
        /// Whether the run starts without the base's cache: only decrypting reveals a bad age key, and with
        /// the base's (keyed) cache every bundle's key is remembered, so nothing decrypts.
        var coldCache: Bool?
    }

    struct Verdict: Sendable {
        var name: String
        var status: Int32 = 0
        var clear = false
        var untouched = false
        var problem: String?
    }

    static func loadCases() throws -> [Case] {
        let url = TestPaths.packageRoot.appendingPathComponent("Tests/BadInputs/cases.json")
        return try JSONDecoder().decode([Case].self, from: Data(contentsOf: url))
    }

    /// `text` with the case's edit, nil when the text to find is not there.
    static func edited(_ text: String, _ c: Case) -> String? {
        if c.occurrence == 0 { return text.contains(c.find) ? text.replacingOccurrences(of: c.find, with: c.replace) : nil }
        var range: Range<String.Index>?
        var start = text.startIndex
        for _ in 0..<c.occurrence {
            guard let found = text.range(of: c.find, range: start..<text.endIndex) else { return nil }
            range = found
            start = text.index(after: found.lowerBound)
        }
        guard let range else { return nil }
        var result = text.replacingCharacters(in: range, with: c.replace)
        // "\0CUT" marks where the file is cut short.
        if let cut = result.range(of: "\u{0}CUT") { result = String(result[..<cut.lowerBound]) }
        return result
    }

    /// Every file under talos/ and the project file: path → bytes.
    static func snapshot(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        for name in FileManager.default.enumerator(atPath: root.path)?.compactMap({ $0 as? String }) ?? [] {
            guard name.hasPrefix("talos") else { continue }
            var info = stat()
            guard lstat(root.path + "/" + name, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            files[name] = FileManager.default.contents(atPath: root.path + "/" + name)
        }
        return files
    }

    /// A copy of the generated fleet for one case, cheap to make: its files are hard links to the base's,
    /// except what a run may change in place — the cache folder, the cluster locks (a shared inode would
    /// share the lock between cases) — and `edited`, the file the case rewrites, which are real copies.
    /// regen replaces outputs by renaming new files over them, so a link is never written through; if it
    /// were, the case's own before/after comparison would see it.
    static func clone(_ base: URL, to work: URL, copying edited: String, withCache: Bool = true) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: work, withIntermediateDirectories: false)
        for name in try fm.contentsOfDirectory(atPath: base.path) {
            if name == ".cache" && !withCache { continue }
            if name == ".cache" || name == ".config" {
                try fm.copyItem(at: base.appendingPathComponent(name), to: work.appendingPathComponent(name))
                continue
            }
            try cloneEntry(base.appendingPathComponent(name), to: work.appendingPathComponent(name), relative: name, copying: edited)
        }
    }

    private static func cloneEntry(_ source: URL, to target: URL, relative: String, copying edited: String) throws {
        var info = stat()
        guard lstat(source.path, &info) == 0 else { return }
        switch info.st_mode & S_IFMT {
        case S_IFDIR:
            guard mkdir(target.path, info.st_mode & 0o7777) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            for name in try FileManager.default.contentsOfDirectory(atPath: source.path) {
                try cloneEntry(source.appendingPathComponent(name), to: target.appendingPathComponent(name),
                               relative: relative + "/" + name, copying: edited)
            }
        case S_IFREG where relative != edited && source.lastPathComponent != ".talos-batch.lock":
            guard link(source.path, target.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        default:
            try FileManager.default.copyItem(at: source, to: target)
        }
    }

    static func check(_ c: Case, base: URL, baseFiles: [String: Data], work: URL, environment: [String: String]) -> Verdict {
        var verdict = Verdict(name: c.name)
        do {
            try clone(base, to: work, copying: c.file, withCache: c.coldCache != true)
            defer { try? FileManager.default.removeItem(at: work) }
            guard let original = baseFiles[c.file], let text = String(data: original, encoding: .utf8), let bad = edited(text, c) else {
                verdict.problem = "the text to edit is not in \(c.file) (regenerate cases.json)"
                return verdict
            }
            try Data(bad.utf8).write(to: work.appendingPathComponent(c.file))
            // The tree before the run: the base's files, this one edited (the clone holds exactly those).
            var before = baseFiles
            before[c.file] = Data(bad.utf8)
            let result = try runProcess(URL(fileURLWithPath: "/usr/bin/timeout"),
                                        ["60", TestPaths.binary.path, "regen", "--all", "--progress", "none",
                                         "--cache-dir", work.appendingPathComponent(".cache").path],
                                        environment: environment, currentDirectory: work)
            verdict.status = result.status
            let message = result.stderrString
            let positioned = message.range(of: #"[^\s:]+:\d+:\d+: error"#, options: .regularExpression) != nil
            verdict.clear = message.contains(c.names) && (!c.position || positioned) && !message.contains("Error Domain=")
            verdict.untouched = snapshot(work) == before
            if result.status == 0 || result.status == 124 || !verdict.clear || !verdict.untouched {
                verdict.problem = "status \(result.status), clear \(verdict.clear), untouched \(verdict.untouched): \(message.prefix(400))"
            }
        } catch {
            verdict.problem = "\(error)"
        }
        return verdict
    }

    /// How many cases run at once: each is one short talos-batch process, mostly waiting on the CPU, so one
    /// more than the cores keeps them busy (TALOS_BATCH_BAD_INPUT_WORKERS overrides it).
    static var workers: Int {
        if let text = ProcessInfo.processInfo.environment["TALOS_BATCH_BAD_INPUT_WORKERS"], let count = Int(text), count > 0 { return count }
        return max(3, ProcessInfo.processInfo.activeProcessorCount + 1)
    }

    @Test("every bad input: non-zero exit, a clear message (file:line:col), the tree untouched")
    func everyBadInputFailsClearlyAndTouchesNothing() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 150)
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        final class Verdicts: @unchecked Sendable {  // each slot written by one worker, read after all finished
            var values: [Verdict]
            private var next = 0
            private let lock = NSLock()
            init(_ count: Int) { values = Array(repeating: Verdict(name: ""), count: count) }
            /// The next case to run (workers take them in order, so none idles while cases remain).
            func take() -> Int { lock.withLock { defer { next += 1 }; return next } }
        }
        let verdicts = Verdicts(cases.count)
        let base = fleet.root
        let baseFiles = Self.snapshot(base)
        let environment = fleet.environment
        // Threads of their own: Dispatch's concurrentPerform runs no more blocks at once than there are cores,
        // and these mostly wait for their process.
        let finished = DispatchSemaphore(value: 0)
        let workers = Self.workers
        for _ in 0..<workers {
            Thread.detachNewThread {
                while case let index = verdicts.take(), index < cases.count {
                    let work = base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + "-case-\(index)")
                    verdicts.values[index] = Self.check(cases[index], base: base, baseFiles: baseFiles, work: work, environment: environment)
                }
                finished.signal()
            }
        }
        for _ in 0..<workers { finished.wait() }
        for verdict in verdicts.values {
            if let problem = verdict.problem { Issue.record("\(verdict.name): \(problem)") }
        }
        let failed = verdicts.values.filter { $0.status != 0 && $0.status != 124 }.count
        let hangs = verdicts.values.filter { $0.status == 124 }.count
        print("reliability: bad input: \(cases.count) cases, \(failed) non-zero exits, \(verdicts.values.filter(\.clear).count) clear messages, "
              + "\(verdicts.values.filter(\.untouched).count) trees untouched, \(hangs) hangs")
    }
}
