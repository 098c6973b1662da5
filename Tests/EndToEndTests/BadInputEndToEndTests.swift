import Foundation
import Testing
import TestSupport

/// The bad-input battery of issue 19: 200 edits of the example fleet (Tests/BadInputs/cases.json, written by
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

    static func check(_ c: Case, base: URL, work: URL, environment: [String: String]) -> Verdict {
        var verdict = Verdict(name: c.name)
        do {
            try FileManager.default.copyItem(at: base, to: work)
            defer { try? FileManager.default.removeItem(at: work) }
            let file = work.appendingPathComponent(c.file)
            guard let text = String(data: try Data(contentsOf: file), encoding: .utf8), let bad = edited(text, c) else {
                verdict.problem = "the text to edit is not in \(c.file) (regenerate cases.json)"
                return verdict
            }
            try Data(bad.utf8).write(to: file)
            let before = snapshot(work)
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

    @Test("every bad input: non-zero exit, a clear message (file:line:col), the tree untouched")
    func everyBadInputFailsClearlyAndTouchesNothing() throws {
        let cases = try Self.loadCases()
        #expect(cases.count >= 150)
        let fleet = try RegenFixture()
        defer { fleet.remove() }
        #expect(try fleet.regen().status == 0)
        final class Verdicts: @unchecked Sendable {  // each slot written by one worker, read after all finished
            var values: [Verdict]
            init(_ count: Int) { values = Array(repeating: Verdict(name: ""), count: count) }
        }
        let verdicts = Verdicts(cases.count)
        let base = fleet.root
        let environment = fleet.environment
        // Three workers over the cases, each on its own copy of the generated fleet (and cache).
        DispatchQueue.concurrentPerform(iterations: 3) { worker in
            for index in stride(from: worker, to: cases.count, by: 3) {
                let work = base.deletingLastPathComponent().appendingPathComponent(base.lastPathComponent + "-case-\(index)")
                verdicts.values[index] = Self.check(cases[index], base: base, work: work, environment: environment)
            }
        }
        for verdict in verdicts.values {
            if let problem = verdict.problem { Issue.record("\(verdict.name): \(problem)") }
        }
        let failed = verdicts.values.filter { $0.status != 0 && $0.status != 124 }.count
        let hangs = verdicts.values.filter { $0.status == 124 }.count
        print("reliability: bad input: \(cases.count) cases, \(failed) non-zero exits, \(verdicts.values.filter(\.clear).count) clear messages, "
              + "\(verdicts.values.filter(\.untouched).count) trees untouched, \(hangs) hangs")
    }
}
