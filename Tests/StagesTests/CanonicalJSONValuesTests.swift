import Jinja
import Testing
import YAML
@testable import Stages

/// The direct reading of validate's values must give exactly what reading the same bytes as YAML gives
/// (`Value(yaml:)`, PyYAML's typing), and must leave every other form to that reading.
@Suite struct CanonicalJSONValuesTests {
    /// The YAML reading, as render did it for every values file before the direct one.
    static func yamlReading(_ bytes: [UInt8]) -> String? {
        (try? YAML.parseDocument(bytes, file: "values.json")).map { "\(Value(yaml: $0))" }
    }

    static let scalars: [YAMLNode] = [
        .string(""), .string("plain"), .string("quote \" backslash \\ slash /"), .string("line\nbreak\r\ttab"),
        .string("controls \u{0}\u{1}\u{1f}\u{7f}"), .string("1e-05"), .string("yes"), .string("null"), .string("~"),
        .int(0), .int(-7), .int(Int.max), .int(Int.min), .bool(true), .bool(false), .null,
        YAMLNode(.scalar(YAMLScalar(text: "1.5", kind: .float))), YAMLNode(.scalar(YAMLScalar(text: "1e-5", kind: .float))),
        YAMLNode(.scalar(YAMLScalar(text: "2.5e20", kind: .float))), YAMLNode(.scalar(YAMLScalar(text: "-0.0", kind: .float))),
        YAMLNode(.scalar(YAMLScalar(text: "0o17", kind: .int))), YAMLNode(.scalar(YAMLScalar(text: "1_000", kind: .int))),
    ]

    @Test func readsWhatCanonicalJSONWritesAsYAMLDoes() throws {
        var pairs: [YAMLPair] = []
        for (index, scalar) in Self.scalars.enumerated() {
            pairs.append(YAMLPair("key \(index) \"\\\n", scalar))
        }
        pairs.append(YAMLPair("list", .sequence(Self.scalars + [.sequence([]), .mapping([]), .sequence([.mapping([YAMLPair("a", .int(1))])])])))
        pairs.append(YAMLPair("nested", .mapping([YAMLPair("b", .mapping([YAMLPair("c", .sequence([.string("d")]))])), YAMLPair("a", .null)])))
        pairs.append(YAMLPair("empty", .mapping([])))
        let bytes = CanonicalJSON.encodeBytes(.mapping(pairs))
        let direct = try #require(CanonicalJSONValues.read(bytes))
        #expect("\(direct)" == Self.yamlReading(bytes))
        // Each scalar alone too, so a mismatch names its value.
        for scalar in Self.scalars {
            let single = CanonicalJSON.encodeBytes(.mapping([YAMLPair("v", scalar)]))
            let value = try #require(CanonicalJSONValues.read(single), "\(String(decoding: single, as: UTF8.self))")
            #expect("\(value)" == Self.yamlReading(single), "\(String(decoding: single, as: UTF8.self))")
        }
    }

    @Test func readsOtherSpacingOfTheSameForm() throws {
        for text in ["{\"a\": 1}", "{}\n\n", "{ \"a\": [1,2 , 3],\n\"b\": {\"c\": \"d\"} }", "{\"a\": []}  \n"] {
            let bytes = Array(text.utf8)
            let value = try #require(CanonicalJSONValues.read(bytes), "\(text)")
            #expect("\(value)" == Self.yamlReading(bytes), "\(text)")
        }
    }

    /// Forms outside what the writer produces go to the YAML reading, which types or refuses them itself.
    @Test(arguments: [
        "", "[1]", "\"a\"", " {\"a\": 1}", "---\n{\"a\": 1}", "{\"a\": 1} # comment", "{\"a\":\t1}", "{\"a\":1}",
        "{\"a\":  1}", "{\"a\": \n1}", "{'a': 1}", "{a: 1}", "{\"a\": yes}", "{\"a\": 0x10}", "{\"a\": 1.}", "{\"a\": .5}",
        "{\"a\": 1 2}", "{\"a\": 1\n 2}", "{\"a\": 1,}", "{\"a\": [1,]}", "{\"a\": 1, \"a\": 2}", "{\"a\": \"é\"}",
        "{\"a\": \"\\/\"}", "{\"a\": \"\\ud800\"}", "{\"a\": \"\\x41\"}", "{\"a\": \"tab\there\"}", "{\"a\": [\"b\": 1]}",
        "{\"a\": 1}\n---\n{}", "{\"a\": 1}}", "{\"a\": &x 1}", "{\"a\": !!str 1}", "{\"a\": 1\r\n}",
    ])
    func leavesOtherFormsToYAML(_ text: String) {
        #expect(CanonicalJSONValues.read(Array(text.utf8)) == nil)
    }

    @Test func leavesDeepNestingAndLongKeysToYAML() {
        let deep = String(repeating: "{\"a\": ", count: 70) + "1" + String(repeating: "}", count: 70)
        #expect(CanonicalJSONValues.read(Array(deep.utf8)) == nil)
        let shallow = String(repeating: "{\"a\": ", count: 60) + "1" + String(repeating: "}", count: 60)
        #expect(CanonicalJSONValues.read(Array(shallow.utf8)).map { "\($0)" } == Self.yamlReading(Array(shallow.utf8)))
        let longKey = "{\"" + String(repeating: "k", count: 1100) + "\": 1}"
        #expect(CanonicalJSONValues.read(Array(longKey.utf8)) == nil)
    }

    @Test func decodesUnicodeEscapes() throws {
        let bytes = Array("{\"a\": \"\\u00e9\\u0041\\u2028\\u0000\"}".utf8)
        let value = try #require(CanonicalJSONValues.read(bytes))
        #expect("\(value)" == Self.yamlReading(bytes))
    }
}
