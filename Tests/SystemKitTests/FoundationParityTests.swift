import Foundation
import SystemKit
import Testing

// SystemKit stands in for full Foundation in the shipped binary; these tests hold each stand-in to
// Foundation's own answer (the test process may load Foundation, the product does not).

@Suite struct FoundationParityTests {
    @Test func pathTextAgreesWithNSString() {
        // Not "a" (corelibs' deletingLastPathComponent traps on it; Darwin's answer is "") nor "//".
        #expect("a".pathDeletingLastComponent == "" && "a".pathLastComponent == "a")
        for path in ["a/b", "a/b/", "", "/", "/a", "/a/", "a//b", "/a/b/c.yaml", "./x", "a/b//"] {
            let ns = path as NSString
            #expect(path.pathLastComponent == ns.lastPathComponent, "lastPathComponent of \(path)")
            #expect(path.pathDeletingLastComponent == ns.deletingLastPathComponent, "deletingLastPathComponent of \(path)")
        }
        for (base, component) in [("a", "b"), ("a/", "b"), ("", "b"), ("/", "b"), ("/a/b", "blobs")] {
            #expect(base.pathAppending(component) == (base as NSString).appendingPathComponent(component), "\(base) + \(component)")
        }
    }

    @Test func trimmingAgreesWithCharacterSet() {
        for text in ["  a b \t", "\n\u{2028} x\u{85}\r\n", "\u{3000}y\u{a0}", "", "   ", "\"'quoted'\"", "\u{1c}z\u{1f}"] {
            #expect(text.trimming(.whitespaces) == text.trimmingCharacters(in: .whitespaces))
            #expect(text.trimming(.whitespacesAndNewlines) == text.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(text.trimming(TrimmedCharacters(charactersIn: "\"' ")) == text.trimmingCharacters(in: CharacterSet(charactersIn: "\"' ")))
        }
    }

    @Test func cFormatAgreesWithStringFormat() {
        #expect(String(cFormat: "%.1f", 0.05) == String(format: "%.1f", 0.05))
        #expect(String(cFormat: "%.2f", 1234.5678) == String(format: "%.2f", 1234.5678))
        #expect(String(cFormat: "%.0f", 2.5) == String(format: "%.0f", 2.5))
        #expect(String(cFormat: "%02x", UInt8(7)) == "07")
        #expect(String(cFormat: "\\u%04X", UInt32(0x2028)) == "\\u2028")
        #expect(String(cFormat: "%%%02X", UInt8(0xE9)) == "%E9")
        #expect(String(cFormat: "%.300f", 1.0).count == 302)  // longer than the first buffer guess
        #expect(String(cFormat: "%#.3g", 0.5) == String(format: "%#.3g", 0.5))
    }

    @Test func scalarSearchFindsWhatFoundationFinds() {
        // "\n" inside a "\r\n" cluster: the standard library's Character search misses it, Foundation does not.
        #expect("a\r\nb".replacingAll("\n", with: "\\n") == "a\r\\nb")
        #expect("a\r\nb".replacingAll("\n", with: "\\n") == "a\r\nb".replacingOccurrences(of: "\n", with: "\\n"))
        #expect("x_y_z".replacingAll("_", with: "") == "xyz")
        #expect("abc".replacingAll("", with: "-") == "abc")
        let text = "a.tmp-1.tmp-2"
        #expect(text.scalarRange(of: ".tmp-") == text.range(of: ".tmp-"))
        #expect(text.lastScalarRange(of: ".tmp-") == text.range(of: ".tmp-", options: .backwards))
        #expect(text.lastScalarRange(of: "zz") == nil)
        #expect("ab".lastScalarRange(of: "ab") == "ab".range(of: "ab"))
    }

    /// JSONSerialization's bytes for the shapes the reports write (sorted ASCII identifier keys).
    @Test func jsonWriterAgreesWithJSONSerialization() throws {
        let document: [String: Any] = [
            "dryRun": false, "ok": true, "elapsedSeconds": 1.234, "jobs": 2,
            "counts": ["ran": 3, "fresh": 0, "restored": 1, "shared": 0, "failed": 0, "skipped": 0],
            "clusters": [["id": "a/b", "status": "ok", "stages": [[String: Any]](), "diagnostics": [[String: Any]]()],
                         ["id": "c", "durationMs": 12.0, "changedInputs": ["x\"y\\z\n\u{1}é"], "outputs": [String](),
                          "key": "00ff", "args": ["name": "talos-batch regen"], "ts": 1_700_000_000_000_000, "tiny": 3e-7,
                          "big": 1e20, "third": 0.1 + 0.2, "negativeZero": -0.0]],
            "empty": [String: Any](),
        ]
        for options: (JSONObjectWriter.Options, JSONSerialization.WritingOptions) in [([.prettyPrinted, .sortedKeys], [.prettyPrinted, .sortedKeys]), ([.sortedKeys], [.sortedKeys])] {
            let expected = String(decoding: try JSONSerialization.data(withJSONObject: document, options: options.1), as: UTF8.self)
            #expect(JSONObjectWriter.text(document, options: options.0) == expected)
        }
        #expect(JSONObjectWriter.text(["x": Double.nan]) == nil)
    }

    @Test func goRegexpMatchesAsGo() throws {
        #expect(try GoRegexp("\\.sops\\.yaml$").matches("talos/clusters/a/talsecret.sops.yaml"))
        #expect(try !GoRegexp("^secret").matches("not-secret"))
        // Go's \d and \w are ASCII only.
        #expect(try !GoRegexp("^\\d$").matches("\u{663}"))
        #expect(try !GoRegexp("^\\w$").matches("é"))
        #expect(try GoRegexp("^(data|stringData)$").matches("stringData"))
        #expect(throws: (any Error).self) { try GoRegexp("(") }
    }

    @Test func childProcessCollectsOutputAndStatus() throws {
        let ok = try ChildProcess.run("/usr/bin/env", arguments: ["printf", "key\\n"])
        #expect(ok.output == Array("key\n".utf8) && ok.exited && ok.status == 0)
        let failed = try ChildProcess.run("/usr/bin/env", arguments: ["sh", "-c", "exit 3"])
        #expect(failed.exited && failed.status == 3)
        let killed = try ChildProcess.run("/usr/bin/env", arguments: ["sh", "-c", "kill -9 $$"])
        #expect(!killed.exited && killed.status == 9)
        #expect(throws: ChildProcess.SpawnError.self) { try ChildProcess.run("/nonexistent/program", arguments: []) }
    }

    @Test func lockAndConditionExclude() async {
        let lock = Lock()
        let condition = Condition()
        final class Counter: @unchecked Sendable { var value = 0 }
        let counter = Counter()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { for _ in 0..<1000 { lock.withLock { counter.value += 1 } } }
            }
        }
        #expect(counter.value == 4000)
        condition.lock()
        condition.broadcast()
        condition.unlock()
        #expect(condition.withLock { 7 } == 7)
    }
}
