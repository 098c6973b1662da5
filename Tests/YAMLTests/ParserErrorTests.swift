import Diagnostics
import Foundation
import Testing
import YAML

@Suite struct ParserErrorTests {
    func diagnostic(_ yaml: [UInt8], options: YAMLParseOptions = .default) throws -> Diagnostic {
        do {
            _ = try YAML.parseStream(yaml, file: "bad.yaml", options: options)
        } catch let error as Diagnostic {
            return error
        }
        Issue.record("expected an error")
        throw CancellationError()
    }

    func diagnostic(_ yaml: String, options: YAMLParseOptions = .default) throws -> Diagnostic {
        try diagnostic(Array(yaml.utf8), options: options)
    }

    @Test func syntaxErrorsKeepLibyamlsProblemAndPosition() throws {
        let error = try diagnostic("a: b\n  c: d\n")
        #expect(error.message.contains("mapping values are not allowed in this context"))
        #expect(error.location == SourceLocation(file: "bad.yaml", line: 2, column: 4))
        #expect(error.description.hasPrefix("bad.yaml:2:4: error: "))
    }

    @Test func contextIsNamedWithItsPosition() throws {
        let error = try diagnostic("key: \"unterminated\nnext: 1\n")
        #expect(error.message.contains("found unexpected end of stream"))
        #expect(error.message.contains("while scanning a quoted scalar at line 1, column 6"))
    }

    @Test func unknownAliasIsAnError() throws {
        let error = try diagnostic("a: *nope\n")
        #expect(error.message.contains("unknown anchor 'nope'"))
        #expect(error.location?.line == 1)
        #expect(error.location?.column == 4)
    }

    @Test func duplicateKeysNameBothPositions() throws {
        let error = try diagnostic("machine:\n  type: worker\n  token: x\n  type: controlplane\n")
        #expect(error.message == "mapping key \"type\" already defined at line 2, column 3")
        #expect(error.location == SourceLocation(file: "bad.yaml", line: 4, column: 3))
        // The same check in large mappings (indexed instead of scanned).
        var big = (0..<40).map { "k\($0): \($0)" }
        big.append("k7: again")
        let bigError = try diagnostic(big.joined(separator: "\n") + "\n")
        #expect(bigError.message == "mapping key \"k7\" already defined at line 8, column 1")
        #expect(bigError.location?.line == 41)
        #expect(try YAML.parseStream("a: 1\na: 2\n", file: "ok.yaml", options: YAMLParseOptions(rejectDuplicateKeys: false)).count == 1)
    }

    @Test func invalidUTF8IsRejectedWithItsPosition() throws {
        let error = try diagnostic(Array("a: ok\nb: caf".utf8) + [0xE9] + Array(" au lait\n".utf8))
        #expect(error.message.contains("not valid UTF-8"))
        #expect(error.location?.line == 2)
        #expect(error.location?.column == 7)
        // UTF-16 is not accepted either: configs are UTF-8.
        let utf16 = try diagnostic([0xFF, 0xFE] + Array("a: 1\n".utf8).flatMap { [$0, 0] })
        #expect(utf16.message.contains("not valid UTF-8"))
    }

    @Test func nestingDeeperThanTheLimitFails() throws {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        let error = try diagnostic(deep)
        #expect(error.message == "nesting is deeper than 500 levels")
        #expect(error.location?.column == 501)
        let shallow = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(try YAML.parseStream(shallow, file: "ok.yaml").count == 1)
        #expect(throws: (any Error).self) {
            try YAML.parseStream(shallow, file: "x.yaml", options: YAMLParseOptions(maxDepth: 50))
        }
    }

    /// Each anchor nests the previous alias 400 levels deeper: fine alone, too deep once chained.
    @Test func chainedAliasesCannotNestBeyondTheLimit() throws {
        let open = String(repeating: "[", count: 400), close = String(repeating: "]", count: 400)
        let yaml = "a: &a \(open)x\(close)\nb: &b \(open)*a\(close)\n"
        let error = try diagnostic(yaml)
        #expect(error.message.contains("once alias '*a' is expanded"))
        #expect(error.location?.line == 2)
        #expect(try YAML.parseStream("a: &a \(open)x\(close)\nb: *a\n", file: "ok.yaml").count == 1)
    }

    /// The classic "billion laughs": nine levels of nine aliases, 10^9 nodes once expanded.
    static let billionLaughs: String = {
        var lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"]
        for (index, name) in names.dropFirst().enumerated() {
            let previous = names[index]
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()

    @Test func billionLaughsFailsFast() throws {
        // Fails at the alias budget instead of expanding 10^9 nodes (which would not finish); no timing.
        let error = try diagnostic(Self.billionLaughs)
        #expect(error.message.contains("excessive aliasing"))
        #expect(error.location?.line != nil)
    }

    @Test func moderateAliasingIsFine() throws {
        let yaml = "base: &b {x: 1, y: [1, 2, 3]}\n" + (0..<50).map { "n\($0): *b" }.joined(separator: "\n") + "\n"
        #expect(try YAML.parseDocument(yaml, file: "ok.yaml").mappingPairs?.count == 51)
    }

    @Test func explicitTagThatDoesNotFitIsAnError() throws {
        let error = try diagnostic("port: !!int eighty\n")
        #expect(error.message == "cannot decode `eighty` as a !!int")
        #expect(error.location?.column == 7)
    }
}

extension ParserErrorTests {
    @Test func controlCharactersAreRejected() throws {
        let error = try diagnostic(Array("a: x".utf8) + [0x01] + Array("\n".utf8))
        #expect(error.message.contains("control characters are not allowed"))
        #expect(!error.message.contains("UTF-8"))
        #expect(error.location?.column == 5)
    }
}

extension ParserErrorTests {
    /// The deepest accepted document still emits and compares (consumers recurse over trees).
    @Test func deepestAcceptedDocumentEmitsAndHashes() throws {
        let depth = YAMLParseOptions.default.maxDepth
        let text = String(repeating: "- ", count: depth - 1) + "[x]\n"
        let node = try YAML.parseDocument(text, file: "deep.yaml")
        let emitted = YAMLEmitter(indent: 2).emit(node)
        #expect(emitted.hasSuffix("- x\n"))
        let again = try YAML.parseDocument(emitted, file: "again.yaml")
        func depthOf(_ node: YAMLNode) -> Int { node.sequenceItems?.first.map { 1 + depthOf($0) } ?? 0 }
        #expect(depthOf(again) == depth)
        #expect(Set([node, again]).count == 2)  // hashing recurses too; positions differ
    }
}
