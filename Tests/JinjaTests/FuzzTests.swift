// The seeded differential fuzzer: random templates and data rendered by Python Jinja2 and by
// the Swift engine must agree byte for byte (or both fail). Reproducible from the seed.
import Foundation
import Testing
import TestSupport

@Suite struct FuzzTests {
    /// Seeds 1…2,000 in CI (about half a minute); JINJA_FUZZ_CASES / JINJA_FUZZ_SEED run more or other seeds.
    static var caseCount: Int { Int(ProcessInfo.processInfo.environment["JINJA_FUZZ_CASES"] ?? "") ?? 2000 }
    static var baseSeed: UInt64 { UInt64(ProcessInfo.processInfo.environment["JINJA_FUZZ_SEED"] ?? "") ?? 1 }

    @Test func randomTemplatesMatchPythonJinja2() throws {
        let cases = (0..<Self.caseCount).map { i -> FuzzCase in
            var fuzzer = TemplateFuzzer(seed: Self.baseSeed &+ UInt64(i))
            return fuzzer.makeCase()
        }
        let expected = try Oracle.python(cases.map(\.renderCase))
        var failures: [(FuzzCase, RenderOutcome, RenderOutcome)] = []
        for (c, want) in zip(cases, expected) {
            let got = Oracle.swift(c.renderCase)
            if !got.agrees(with: want) { failures.append((c, want, got)) }
        }
        var report: [String] = []
        for (c, _, _) in failures.prefix(3) {
            let small = try Shrinker.shrink(c)
            let want = try Oracle.python([small.renderCase])[0]
            report.append("seed \(c.seed) (JINJA_FUZZ_SEED=\(c.seed) JINJA_FUZZ_CASES=1), minimal reproducer:\n  \(small.renderCase.description)\n  python: \(want)\n  swift:  \(Oracle.swift(small.renderCase))")
        }
        let agreed = failures.isEmpty
        #expect(agreed, "\(failures.count) of \(cases.count) random cases differ; first ones shrunk:\n\(report.joined(separator: "\n"))")
    }

    @Test func generatorIsReproducible() {
        var a = TemplateFuzzer(seed: 42), b = TemplateFuzzer(seed: 42), c = TemplateFuzzer(seed: 43)
        let x = a.makeCase().renderCase, y = b.makeCase().renderCase, z = c.makeCase().renderCase
        #expect(x.template == y.template && x.data == y.data)
        #expect(x.template != z.template || x.data != z.data)
    }
}

/// Random data through to_yaml / to_nice_yaml / to_json / tojson: PyYAML's quoting, folding and
/// indentation rules and Python's json escaping, on strings made of the characters that trip them.
@Suite struct SerializerFuzzTests {
    static let pieces = ["a", "b", " ", "  ", "-", ": ", ":", "#", " #", "'", "\"", "\\", "\n", "\t", "é", "日本", "!", "&", "*",
                         "?", "|", ">", "%", "@", "`", "{", "}", "[", "]", ",", "yes", "null", "true", "1", "0x1F", "1.5", "~", "=",
                         "2020-01-01", "---", "...", "\u{85}", "\u{2028}", "\u{7f}", "\u{1}", "wordy", "longer words here"]

    static func string(_ rng: inout SeededGenerator) -> String {
        let n = Int(rng.next() % 8)
        var s = ""
        for _ in 0..<n { s += pieces[Int(rng.next() % UInt64(pieces.count))] }
        if rng.next() % 10 == 0 { s += String(repeating: "word ", count: Int(rng.next() % 30)) }
        return s
    }

    static func value(_ rng: inout SeededGenerator, depth: Int) -> String {
        switch rng.next() % (depth > 2 ? 5 : 8) {
        case 0: return jsonString(string(&rng))
        case 1: return String(Int(rng.next() % 2000) - 1000)
        case 2: return ["0.5", "1e+20", "-2.25", "1e-07", "100.0"][Int(rng.next() % 5)]
        case 3: return ["true", "false", "null"][Int(rng.next() % 3)]
        case 4: return jsonString(string(&rng))
        case 5, 6:
            let n = Int(rng.next() % 4)
            var keys = Set<String>()
            var pairs: [String] = []
            for _ in 0..<n {
                let k = string(&rng)
                if keys.insert(k).inserted { pairs.append(jsonString(k) + ": " + value(&rng, depth: depth + 1)) }
            }
            return "{" + pairs.joined(separator: ", ") + "}"
        default:
            return "[" + (0..<Int(rng.next() % 4)).map { _ in value(&rng, depth: depth + 1) }.joined(separator: ", ") + "]"
        }
    }

    @Test func randomDataSerializesLikePython() throws {
        var rng = SeededGenerator(seed: UInt64(ProcessInfo.processInfo.environment["JINJA_SERIALIZER_SEED"] ?? "") ?? 7)
        let cases = (0..<2000).map { _ in
            RenderCase(template: "{{ v|to_yaml }}---\n{{ v|to_nice_yaml }}---\n{{ v|to_json }}\n{{ v|tojson }}\n{{ v|pprint }}",
                       data: "{\"v\": \(Self.value(&rng, depth: 0))}")
        }
        let failures = try Oracle.disagreements(cases)
        let agreed = failures.isEmpty
        #expect(agreed, "\(failures.count) of \(cases.count) differ:\n\(failures.prefix(5).joined(separator: "\n"))")
    }
}
