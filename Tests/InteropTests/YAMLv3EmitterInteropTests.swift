import Foundation
import Testing
import TestSupport
import YAML

/// The emitter against the real gopkg.in/yaml.v3 (`YAMLv3Oracle`): random strings and random documents,
/// generated from fixed seeds, must come out byte for byte as yaml.v3 writes them.
@Suite struct YAMLv3EmitterInteropTests {
    func yamlV3(_ documents: [YAMLNode], indent: Int) throws -> String {
        try YAMLv3Oracle.encode(documents, indent: indent)
    }

    /// Reports the first differing document rather than two huge strings.
    func compare(_ documents: [YAMLNode], indent: Int) throws {
        let expected = try yamlV3(documents, indent: indent)
        let emitted = YAMLEmitter(indent: indent).emitDocuments(documents.map { $0.sortedLikeGoMap() })
        if emitted == expected { return }
        for document in documents {
            let one = try yamlV3([document], indent: indent)
            let mine = YAMLEmitter(indent: indent).emit(document.sortedLikeGoMap())
            if one != mine {
                Issue.record("indent \(indent): yaml.v3 wrote \(String(reflecting: one)), the emitter \(String(reflecting: mine)) for \(JSONText.of(document))")
                return
            }
        }
        Issue.record("streams differ but no single document does (indent \(indent))")
    }

    @Test func randomStringsAsValuesKeysAndItems() throws {
        var random = SeededGenerator(seed: 20_261_126)
        var documents: [YAMLNode] = []
        for _ in 0..<1500 {
            let text = random.tricky()
            documents.append(.mapping([YAMLPair("a", .string(text))]))
            documents.append(.mapping([YAMLPair(text, .bool(true))]))
            documents.append(.mapping([YAMLPair("a", .sequence([.string(text)]))]))
        }
        try compare(documents, indent: 4)
        try compare(documents, indent: 2)
    }

    @Test func randomDocuments() throws {
        var random = SeededGenerator(seed: 7)
        let documents = (0..<300).map { _ in random.document(depth: 0) }
        for indent in [2, 3, 4, 8] {
            try compare(documents, indent: indent)
        }
    }
}

/// What the randomized YAML cases draw from (TestSupport's generator).
extension SeededGenerator {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    static let characters: [String] = Array("ab01 :#-?'\"\\\t\n\r,[]{}&*!|>%@`.~+_eExo").map(String.init)
        + ["é", "你", "😀", "\u{85}", "\u{2028}", "\u{A0}", "\u{FEFF}", "\u{7}", "\u{7F}", "\u{1B}"]
    static let words = ["true", "no", "yes", "null", "~", "0x1F", "1.5", "-", "---", "...", "<<", "2001-12-14", "1:30",
                        "y", "on", ".inf", "0o7", "1e3", "+1", "", "node10", "node2", "key", "multi\nline\n", "  lead",
                        "trail ", "a: b", "- x", "# c", "v1.28.0", "https://example.com:6443"]

    /// Strings built from the characters and words that steer yaml.v3's quoting.
    mutating func tricky() -> String {
        if below(5) == 0 {
            return pick(Self.words) + (0..<below(3)).map { _ in pick(Self.characters) }.joined()
        }
        return (0..<below(9)).map { _ in pick(Self.characters) }.joined()
    }

    /// Mappings with distinct keys, sequences, strings, booleans and nulls (what JSON carries to Go).
    mutating func document(depth: Int) -> YAMLNode {
        let roll = below(100)
        if depth > 4 || roll < 45 {
            switch below(6) {
            case 0: return .bool(below(2) == 0)
            case 1: return .null
            default: return .string(tricky())
            }
        }
        if roll < 70 {
            return .sequence((0..<below(5)).map { _ in document(depth: depth + 1) })
        }
        var seen = Set<String>()
        var pairs: [YAMLPair] = []
        for _ in 0..<below(6) {
            let key = tricky()
            if seen.insert(key).inserted { pairs.append(YAMLPair(key, document(depth: depth + 1))) }
        }
        return .mapping(pairs)
    }
}

/// JSON text for the node shapes the generator makes.
enum JSONText {
    static func of(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let scalar):
            switch scalar.kind {
            case .null: return "null"
            case .bool: return scalar.text
            default: return string(scalar.text)
            }
        case .sequence(let items):
            return "[" + items.map(of).joined(separator: ",") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { string($0.key.scalar?.text ?? "") + ":" + of($0.value) }.joined(separator: ",") + "}"
        }
    }

    static func string(_ text: String) -> String { jsonString(text) }
}
