import Testing
import YAML

@Test func subscriptFindsFirstKeyInOrder() {
    let node = YAMLNode.mapping([YAMLPair("a", .int(1)), YAMLPair("b", .string("x")), YAMLPair("a", .int(2))])
    #expect(node["a"]?.scalar?.text == "1")
    #expect(node["b"]?.scalar?.kind == .string)
    #expect(node["missing"] == nil)
}
