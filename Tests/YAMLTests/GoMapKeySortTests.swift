import Testing
import YAML

/// Expected order: yaml.v3's sorter.go (keyList.Less), confirmed by marshalling a Go map[string]int with
/// these keys through yaml.v3 3.0.1.
@Test func stringKeysSortAsYAMLv3SortsGoMapKeys() {
    let expected = ["-", "_x", "0", "00", "1a", "2", "007", "10", "B", "Node3", "a", "a-b", "a.b", "a_b", "a1",
                    "a1b", "a01b", "a2", "a10", "ab", "aé", "b", "node1", "node2", "node10", "x_", "x1y2", "x1y10",
                    "x01", "x001", "z9", "z09", "z009", "ä"]
    let shuffled = ["node10", "node2", "node1", "Node3", "a", "b", "B", "_x", "x_", "a1b", "a01b", "a1", "a10", "a2",
                    "z9", "z09", "z009", "1a", "10", "2", "ä", "aé", "-", "a-b", "a_b", "ab", "a.b", "0", "00", "007",
                    "x1y2", "x1y10", "x01", "x001"]
    let node = YAMLNode.mapping(shuffled.map { YAMLPair($0, .int(1)) })
    let sorted = node.sortedLikeGoMap()
    #expect(sorted.mappingPairs?.map { $0.key.scalar?.text ?? "" } == expected)
}

@Test func sortingIsRecursiveAndKeepsSequenceOrder() {
    let node = YAMLNode.mapping([
        YAMLPair("b", .sequence([.mapping([YAMLPair("y", .int(1)), YAMLPair("x", .int(2))]), .string("z"), .string("a")])),
        YAMLPair("a", .null),
    ])
    #expect(YAMLEmitter(indent: 4).emit(node.sortedLikeGoMap()) == "a: null\nb:\n    - x: 2\n      \"y\": 1\n    - z\n    - a\n")
    #expect(YAMLEmitter(indent: 4).emit(node.sortedLikeGoMap(recursive: false)) == "a: null\nb:\n    - \"y\": 1\n      x: 2\n    - z\n    - a\n")
}

@Test func numericKeysSortByValueBeforeStrings() {
    let node = YAMLNode.mapping([YAMLPair(key: .string("a"), value: .null), YAMLPair(key: .int(10), value: .null),
                                 YAMLPair(key: .int(9), value: .null)])
    #expect(node.sortedLikeGoMap().mappingPairs?.map { $0.key.scalar?.text ?? "" } == ["9", "10", "a"])
}
