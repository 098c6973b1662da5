import Cache
import Testing

@Suite struct ActionKeyTests {
    let d1 = Digest.of("one"), d2 = Digest.of("two")

    func key(stage: String = "render", stageVersion: String = "1", toolVersion: String = "0.1.0",
             parameters: [(name: String, value: String)] = [], inputs: [(name: String, digest: Digest)] = []) -> ActionKey {
        ActionKey(stage: stage, stageVersion: stageVersion, toolVersion: toolVersion, parameters: parameters, inputs: inputs)
    }

    @Test func inputNameBoundariesMatter() {
        let a = key(inputs: [("ab", d1), ("c", d2)])
        let b = key(inputs: [("a", d1), ("bc", d2)])
        #expect(a.encoded != b.encoded)
        #expect(a.digest != b.digest)
    }

    @Test func parameterBoundariesMatter() {
        #expect(key(parameters: [("ab", "c")]).digest != key(parameters: [("a", "bc")]).digest)
        #expect(key(parameters: [("a", "b"), ("c", "d")]).digest != key(parameters: [("a", "b\u{0}c"), ("", "d")]).digest)
    }

    @Test func headerFieldBoundariesMatter() {
        #expect(key(stage: "ab", stageVersion: "c").digest != key(stage: "a", stageVersion: "bc").digest)
        #expect(key(stageVersion: "1", toolVersion: "2").digest != key(stageVersion: "12", toolVersion: "").digest)
    }

    @Test func parametersAndInputsAreNotConfused() {
        // A parameter whose value is a digest's hex is still not that input.
        let asParameter = key(parameters: [("template", d1.hex)])
        let asInput = key(inputs: [("template", d1)])
        #expect(asParameter.digest != asInput.digest)
        // Nor can one section's entries be moved into the other.
        #expect(key(parameters: [("x", "y")], inputs: []).encoded != key(parameters: [], inputs: []).encoded)
    }

    @Test func listingOrderIsCanonicalButValuesAreNot() {
        let forward = key(parameters: [("a", "1"), ("b", "2")], inputs: [("x", d1), ("y", d2)])
        let backward = key(parameters: [("b", "2"), ("a", "1")], inputs: [("y", d2), ("x", d1)])
        #expect(forward.encoded == backward.encoded)
        // Swapping which name holds which value is a different action.
        #expect(forward.digest != key(parameters: [("a", "2"), ("b", "1")], inputs: [("x", d1), ("y", d2)]).digest)
        #expect(forward.digest != key(parameters: [("a", "1"), ("b", "2")], inputs: [("x", d2), ("y", d1)]).digest)
    }

    @Test func everyFieldChangesTheKey() {
        let base = key(parameters: [("p", "v")], inputs: [("i", d1)])
        let variants = [
            key(stage: "genconfig", parameters: [("p", "v")], inputs: [("i", d1)]),
            key(stageVersion: "2", parameters: [("p", "v")], inputs: [("i", d1)]),
            key(toolVersion: "0.2.0", parameters: [("p", "v")], inputs: [("i", d1)]),
            key(parameters: [("p", "w")], inputs: [("i", d1)]),
            key(parameters: [("p", "v")], inputs: [("i", d2)]),
            key(parameters: [("p", "v")], inputs: [("i", d1), ("i", d1)]),
        ]
        let digests = Set(variants.map(\.digest) + [base.digest])
        #expect(digests.count == variants.count + 1)
        #expect(base.digest == Digest.of(base.encoded))
    }
}
