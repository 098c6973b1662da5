import Testing
import YAML

/// `YAMLEmitMemo` copies a mapping's earlier bytes only when the writer is in the same state; whatever it
/// copies, every document must come out exactly as an emitter without a memo writes it.
@Suite struct EmitMemoTests {
    /// A mapping with a nested mapping, a sequence and a multi-line string (all of which depend on indentation).
    static let shared: YAMLNode = .mapping([
        YAMLPair("name", .string("shared")),
        YAMLPair("inner", .mapping([YAMLPair("a", .int(1)), YAMLPair("b", .sequence([.string("x"), .string("y")]))])),
        YAMLPair("text", .string("line one\nline two\n")),
    ])

    /// The same collection where a mapping value, a deeper value, a sequence item and the root put it.
    static let documents: [YAMLNode] = [
        .mapping([YAMLPair("top", shared)]),
        .mapping([YAMLPair("outer", .mapping([YAMLPair("deeper", shared)]))]),
        .mapping([YAMLPair("items", .sequence([shared, shared]))]),
        shared,
        .mapping([YAMLPair("top", shared), YAMLPair("other", .string("changed"))]),
    ]

    @Test(arguments: [2, 4])
    func memoisedOutputIsByteForByteTheSame(indent: Int) {
        let emitter = YAMLEmitter(indent: indent)
        let memo = YAMLEmitMemo()
        for document in Self.documents {
            #expect(emitter.emitBytes([document], memo: memo) == emitter.emitBytes([document]))
        }
        #expect(emitter.emitBytes(Self.documents, memo: memo) == emitter.emitBytes(Self.documents))
    }

    @Test func copiesAMappingMetAgainInTheSameState() {
        let emitter = YAMLEmitter(indent: 2)
        let memo = YAMLEmitMemo()
        _ = emitter.emitBytes([Self.documents[0]], memo: memo)
        #expect(memo.copies == 0)
        _ = emitter.emitBytes([Self.documents[4]], memo: memo)
        #expect(memo.copies >= 1)
    }

    @Test func anEqualButSeparatelyBuiltMappingIsWrittenAfresh() {
        let emitter = YAMLEmitter(indent: 2)
        let memo = YAMLEmitMemo()
        let copy: YAMLNode = .mapping(Self.shared.mappingPairs!.map { YAMLPair(key: $0.key, value: $0.value) })
        _ = emitter.emitBytes([.mapping([YAMLPair("top", Self.shared)])], memo: memo)
        let second = emitter.emitBytes([.mapping([YAMLPair("top", copy)])], memo: memo)
        #expect(second == emitter.emitBytes([.mapping([YAMLPair("top", copy)])]))
    }
}
