import Testing
import YAML
@testable import Stages

@Suite struct CanonicalJSONTests {
    @Test func sortsKeysAndNormalisesScalars() {
        let node = YAMLNode.mapping([
            YAMLPair("b", .sequence([.int(1), .bool(true), .null])),
            YAMLPair("a", .string("x\"y\n")),
            YAMLPair("c", YAMLNode(.scalar(YAMLScalar(text: "0x10", kind: .int)))),
        ])
        #expect(CanonicalJSON.encode(node) == """
            {
              "a": "x\\"y\\n",
              "b": [
                1,
                true,
                null
              ],
              "c": 16
            }

            """)
    }

    @Test func emptyCollections() {
        #expect(CanonicalJSON.encode(.mapping([YAMLPair("a", .mapping([])), YAMLPair("b", .sequence([]))]))
                == "{\n  \"a\": {},\n  \"b\": []\n}\n")
    }
}

extension CanonicalJSONTests {
    /// Ints and bools already in their JSON spelling are copied; every other spelling is normalised.
    @Test func intAndBoolSpellings() {
        func json(_ text: String, _ kind: YAMLScalar.Kind) -> String {
            CanonicalJSON.encode(.mapping([YAMLPair("v", YAMLNode(.scalar(YAMLScalar(text: text, kind: kind))))]))
        }
        for (text, expected) in [("0", "0"), ("-0", "0"), ("007", "7"), ("+5", "5"), ("1_000", "1000"), ("-12", "-12"),
                                 ("0x1F", "31"), ("9223372036854775807", "9223372036854775807"), ("99999999999999999999", "\"99999999999999999999\"")] {
            #expect(json(text, .int) == "{\n  \"v\": \(expected)\n}\n", "\(text)")
        }
        for (text, expected) in [("true", "true"), ("True", "true"), ("false", "false"), ("FALSE", "false")] {
            #expect(json(text, .bool) == "{\n  \"v\": \(expected)\n}\n", "\(text)")
        }
    }

    @Test func repeatedKeysKeepTheLastValueUnderTheFirstSpelling() {
        let node = YAMLNode.mapping([YAMLPair("b", .int(1)), YAMLPair("a", .int(2)), YAMLPair("b", .int(3)),
                                     YAMLPair("\u{e9}", .int(4)), YAMLPair("e\u{301}", .int(5))])
        #expect(CanonicalJSON.encode(node) == "{\n  \"a\": 2,\n  \"b\": 3,\n  \"\u{e9}\": 5\n}\n")
    }
}
