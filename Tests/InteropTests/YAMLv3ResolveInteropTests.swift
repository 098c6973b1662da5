import Foundation
import Testing
import TestSupport
import YAML

/// Plain-scalar typing against the real yaml.v3: numbers in every Go syntax, floats, special values,
/// timestamps and sexagesimals, generated from a fixed seed. The parser's kind must be yaml.v3's tag
/// (timestamps are strings here), and the emitter must quote exactly the strings yaml.v3 would
/// misread as something else.
@Suite struct YAMLv3ResolveInteropTests {
    static let scalars: [String] = {
        var random = SeededGenerator(seed: 5)
        var seen = Set<String>()
        return (0..<6000).map { _ in random.numberLike() }.filter { !$0.isEmpty && seen.insert($0).inserted }
    }()

    @Test func plainScalarKindsMatchYAMLv3Tags() throws {
        let tags = try YAMLv3Oracle.resolve(Self.scalars)
        try #require(tags.count == Self.scalars.count)
        var mismatches: [String] = []
        for (text, tag) in zip(Self.scalars, tags) {
            let kind: String
            do {
                switch try YAML.parseDocument("a: \(text)\n", file: "s.yaml")["a"]?.scalar?.kind {
                case .string?: kind = tag == "!!timestamp" ? "!!timestamp" : "!!str"
                case .int?: kind = "!!int"
                case .float?: kind = "!!float"
                case .bool?: kind = "!!bool"
                case .null?: kind = "!!null"
                case nil: kind = "?"
                }
            } catch {
                kind = "ERR"
            }
            // A plain `<<` value is tagged !!merge by yaml.v3; as a value it is just the string "<<".
            let expected = tag == "!!merge" ? "!!str" : tag
            if kind != expected { mismatches.append("\(text): yaml.v3 \(expected), parsed \(kind)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
        #expect(tags.filter { $0 == "!!int" }.count > 500)
        #expect(tags.filter { $0 == "!!float" }.count > 500)
        #expect(tags.filter { $0 == "!!timestamp" }.count > 100)
    }

    @Test func emittedQuotingMatchesYAMLv3() throws {
        let documents = Self.scalars.map { YAMLNode.mapping([YAMLPair("a", .string($0))]) }
        let expected = try YAMLv3Oracle.encode(documents, indent: 4)
        #expect(YAMLEmitter(indent: 4).emitDocuments(documents) == expected)
    }
}

extension SeededGenerator {
    /// Strings near the edges of yaml.v3's number, timestamp and sexagesimal rules.
    mutating func numberLike() -> String {
        func chars(_ alphabet: String, _ count: Int) -> String {
            let letters = Array(alphabet)
            return String((0..<count).map { _ in letters[below(letters.count)] })
        }
        var s = pick(["", "", "+", "-"])
        switch below(20) {
        case 0..<4:
            s += "0" + chars("xXoObB", 1) + chars("0123456789abcdefABCDEF_", below(6))
        case 4..<10:
            s += chars("0123456789_", 1 + below(21))
            if below(10) < 4 { s += "." + chars("0123456789_", below(5)) }
            if below(10) < 3 { s += chars("eE", 1) + pick(["", "+", "-"]) + chars("0123456789", below(4)) }
        case 10..<12:
            s += "." + chars("0123456789_eE+-", below(6))
        case 12..<15:
            s += String(format: "%04d-%d-%d", below(2101), below(14), below(33))
            if below(10) < 6 {
                s += chars("Tt ", 1) + "\(below(26)):\(below(62)):\(below(62))"
                if below(2) == 0 { s += ".\(below(1_000_000))" }
                if below(2) == 0 { s += pick(["Z", "+01:00", "-05:30", "+1:00", "z"]) }
            }
        case 15..<17:
            s += chars("0123456789", 1 + below(3)) + ":" + chars("0123456789", 1 + below(3))
            if below(2) == 0 { s += ":\(below(100))" }
            if below(10) < 3 { s += ".\(below(100))" }
        default:
            s += pick([".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", "inf", "Infinity", "nan", ".iNf", "0x1p-2",
                       "1_000", "1__0", "_1", "1_", "0", "00", "08", "0777", "0o", "0x", "0b", "true", "False",
                       "NULL", "~", "yes", "<<", ".8e440", "1e400"])
        }
        return s
    }
}
