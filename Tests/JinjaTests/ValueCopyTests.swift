import Testing
import YAML
@testable import Jinja

/// `Value.deepCopy` hands a render values of its own: what one render changes, the copy keeps as loaded.
@Suite struct ValueCopyTests {
    @Test func aCopyKeepsItsContentsWhenTheOriginalChanges() throws {
        let loaded = Value(yaml: try YAML.parseDocument("a: [1, {b: x}]\nc: {d: [2]}\ne: 3.5\n", file: "values.yaml"))
        let copy = loaded.deepCopy()
        #expect("\(copy)" == "\(loaded)")
        let context = try #require(Value.context(from: loaded))
        let environment = Environment(options: {
            var options = RenderOptions()
            options.extensions = [.do]
            return options
        }())
        let changed = try environment.render(
            source: "{% do a.append(4) %}{% do a[1].update({'z': 1}) %}{% do c.d.append(5) %}{{ a }} {{ c }}", context: context)
        #expect(changed == "[1, {'b': 'x', 'z': 1}, 4] {'d': [2, 5]}")
        #expect("\(copy)" == "{'a': [1, {'b': 'x'}], 'c': {'d': [2]}, 'e': 3.5}")
        // The copy is a working dict: its index finds every key.
        guard case .dict(let dict) = copy else { Issue.record("not a dict"); return }
        #expect(dict[string: "c"].map { "\($0)" } == "{'d': [2]}")
        #expect(dict[string: "e"].map { "\($0)" } == "3.5")
    }

    @Test func aDictBuiltFromUniqueKeysFindsThemAndRefusesRepeats() throws {
        let dict = try #require(DictStorage(uniqueKeys: ["a", "b", 1], values: [1, 2, 3]))
        #expect(dict[string: "b"].map { "\($0)" } == "2")
        #expect(dict[1].map { "\($0)" } == "3")
        #expect(dict.count == 3)
        #expect(DictStorage(uniqueKeys: ["a", "a"], values: [1, 2]) == nil)
        // Python equality: 1 and True are the same key.
        #expect(DictStorage(uniqueKeys: [1, true], values: [1, 2]) == nil)
        #expect(DictStorage(uniqueKeys: [[1]], values: [1]) == nil)
    }
}
