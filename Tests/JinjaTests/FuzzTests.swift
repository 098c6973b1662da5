// The seeded differential fuzzer: random templates and data rendered by Python Jinja2 and by
// the Swift engine must agree byte for byte (or both fail). Reproducible from the seed.
import Foundation
import Testing

@Suite struct FuzzTests {
    /// Seeds 1…N; override with JINJA_FUZZ_CASES / JINJA_FUZZ_SEED to explore further.
    static var caseCount: Int { Int(ProcessInfo.processInfo.environment["JINJA_FUZZ_CASES"] ?? "") ?? 5000 }
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
