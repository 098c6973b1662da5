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
