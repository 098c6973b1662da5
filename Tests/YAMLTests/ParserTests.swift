import Testing
import YAML

@Suite struct ParserTests {
    func kinds(_ yaml: String) throws -> [YAMLScalar.Kind] {
        let node = try YAML.parseDocument(yaml, file: "k.yaml")
        return try #require(node.sequenceItems).map { $0.scalar?.kind ?? .null }
    }

    /// Types as yaml.v3's resolve.go assigns them to plain scalars (YAML 1.2 bools; Go number syntax).
    @Test func plainScalarsResolveAsYAMLv3Resolves() throws {
        #expect(try kinds("[true, True, TRUE, false, yes, no, on, off, y]") == [.bool, .bool, .bool, .bool, .string, .string, .string, .string, .string])
        #expect(try kinds("[null, Null, NULL, ~, '', nil, None]") == [.null, .null, .null, .null, .string, .string, .string])
        #expect(try kinds("[0, -1, +1, 0x1F, 0o17, 0b101, 0777, 1_000, 9223372036854775807, 18446744073709551615]")
            == Array(repeating: .int, count: 10))
        #expect(try kinds("[1.5, .5, 1e3, -1E-3, .inf, -.Inf, .NaN, 08, 18446744073709551616, 1.]") == Array(repeating: .float, count: 10))
        #expect(try kinds("[1e400, 0x, 0xG, 1:30, 2001-12-14, v1.2, 1.2.3, '1', \"2\"]") == Array(repeating: .string, count: 9))
    }

    @Test func emptyValueIsNull() throws {
        let node = try YAML.parseDocument("a:\nb: ~\n", file: "n.yaml")
        #expect(node["a"]?.scalar?.kind == .null)
        #expect(node["a"]?.scalar?.text == "")
        #expect(node["b"]?.scalar?.kind == .null)
    }

    @Test func positionsAreOneBasedLineAndColumn() throws {
        let node = try YAML.parseDocument("nodes:\n  - hostname: a\n    ipAddress: 10.0.0.1\n", file: "talconfig.yaml")
        let ip = try #require(node["nodes"]?.sequenceItems?.first?["ipAddress"])
        #expect(ip.location?.file == "talconfig.yaml")
        #expect(ip.location?.line == 3)
        #expect(ip.location?.column == 16)
        #expect(node["nodes"]?.location?.line == 2)
        #expect(node["nodes"]?.location?.column == 3)
    }

    @Test func explicitTagsDecideTheType() throws {
        let node = try YAML.parseDocument("a: !!str 12\nb: !!int '7'\nc: !!float 1\nd: !custom z\n", file: "t.yaml")
        #expect(node["a"]?.scalar?.kind == .string)
        #expect(node["a"]?.tag == "!!str")
        #expect(node["b"]?.scalar?.kind == .int)
        #expect(node["c"]?.scalar?.kind == .float)
        #expect(node["d"]?.tag == "!custom")
        #expect(node["d"]?.scalar?.kind == .string)
    }

    @Test func quotedScalarsAreStringsWithTheirStyle() throws {
        let node = try YAML.parseDocument("a: 'true'\nb: \"1\"\nc: |\n  x\n", file: "q.yaml")
        #expect(node["a"]?.scalar == YAMLScalar(text: "true", kind: .string, style: .singleQuoted))
        #expect(node["b"]?.scalar == YAMLScalar(text: "1", kind: .string, style: .doubleQuoted))
        #expect(node["c"]?.scalar == YAMLScalar(text: "x\n", kind: .string, style: .literal))
    }

    @Test func aliasesCopyTheAnchoredNode() throws {
        let node = try YAML.parseDocument("base: &b {x: 1}\nuse: *b\nlist: [&s str, *s]\n", file: "a.yaml")
        #expect(node["use"]?["x"]?.scalar?.text == "1")
        #expect(node["use"]?.location?.line == 2)
        #expect(node["list"]?.sequenceItems?.map { $0.scalar?.text } == ["str", "str"])
    }

    @Test func mergeKeysKeepExplicitKeysAndEarlierSourcesFirst() throws {
        let yaml = """
            a: &a {x: 1, y: 1}
            b: &b {y: 2, z: 2}
            one:
              <<: *a
              x: 0
            many:
              w: 9
              <<: [*a, *b]
            """
        let node = try YAML.parseDocument(yaml, file: "m.yaml")
        #expect(node["one"]?.mappingPairs?.map { $0.key.scalar?.text ?? "" } == ["y", "x"])
        #expect(node["one"]?["x"]?.scalar?.text == "0")
        #expect(node["many"]?.mappingPairs?.map { "\($0.key.scalar?.text ?? "")=\($0.value.scalar?.text ?? "")" } == ["w=9", "x=1", "y=1", "z=2"])
        // A quoted "<<" is an ordinary key.
        let quoted = try YAML.parseDocument("'<<': {a: 1}\n", file: "q.yaml")
        #expect(quoted.mappingPairs?.first?.key.scalar?.text == "<<")
    }

    @Test func mergeOfANonMappingIsAnError() {
        #expect(throws: (any Error).self) { try YAML.parseDocument("a: &a [1]\nb:\n  <<: *a\n", file: "m.yaml") }
    }

    @Test func streamsHaveEveryDocument() throws {
        let docs = try YAML.parseStream("a: 1\n---\n- x\n---\n", file: "s.yaml")
        #expect(docs.count == 3)
        #expect(docs[1].sequenceItems?.count == 1)
        #expect(docs[2].scalar?.kind == .null)
        #expect(try YAML.parseStream("", file: "e.yaml").isEmpty)
        #expect(try YAML.parseDocument("", file: "e.yaml").scalar?.kind == .null)
        #expect(try YAML.parseDocument("# only a comment\n", file: "e.yaml").scalar?.kind == .null)
    }

    @Test func parseDocumentRejectsSeveralDocuments() throws {
        #expect(throws: (any Error).self) { try YAML.parseDocument("a: 1\n---\nb: 2\n", file: "two.yaml") }
        #expect(throws: (any Error).self) { try YAML.parseDocument("a: 1\n--- ~\n", file: "two.yaml") }
        // A stray separator is not a second document.
        #expect(try YAML.parseDocument("---\na: 1\n---\n", file: "one.yaml")["a"]?.scalar?.text == "1")
    }

    @Test func anchorsAreScopedToTheirDocument() {
        #expect(throws: (any Error).self) { try YAML.parseStream("a: &x 1\n---\nb: *x\n", file: "s.yaml") }
    }

    @Test func leadingCommentsAreKeptPerDocument() throws {
        let docs = try YAML.parseStream("# one\n#two\na: 1\n---\n# three\nb: 2\n", file: "c.yaml")
        #expect(docs[0].headComment == "# one\n#two")
        #expect(docs[1].headComment == "# three")
        #expect(YAMLEmitter(writeComments: true).emitDocuments(docs) == "# one\n#two\na: 1\n---\n# three\nb: 2\n")
        // Go values carry no comments: by default none are written.
        #expect(YAMLEmitter().emitDocuments(docs) == "a: 1\n---\nb: 2\n")
    }

    /// libyaml counts positions in characters; comments after non-ASCII text must still be found.
    @Test func leadingCommentsAfterNonASCIIText() throws {
        let docs = try YAML.parseStream("# café\nname: Zoë — ü\n---\n# naïve\nb: 2\n", file: "c.yaml")
        #expect(docs[0].headComment == "# café")
        #expect(docs[1].headComment == "# naïve")
        #expect(docs[1]["b"]?.location?.line == 5)
    }

    @Test func byteOrderMarkIsAccepted() throws {
        let node = try YAML.parseDocument([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8), file: "bom.yaml")
        #expect(node["a"]?.scalar?.kind == .int)
    }
}

extension ParserTests {
    /// Presentation (flow style, head comment) does not take part in equality.
    @Test func flowStyleAndCommentsDoNotAffectEquality() throws {
        func strip(_ node: YAMLNode) -> YAMLNode {
            var copy = node
            copy.location = nil
            switch node.content {
            case .scalar(var scalar):
                scalar.style = .plain
                copy.content = .scalar(scalar)
            case .sequence(let items): copy.content = .sequence(items.map(strip))
            case .mapping(let pairs): copy.content = .mapping(pairs.map { YAMLPair(key: strip($0.key), value: strip($0.value)) })
            }
            return copy
        }
        let flow = try YAML.parseDocument("# note\na: [x, y]\n", file: "f.yaml")
        let block = try YAML.parseDocument("a:\n  - x\n  - y\n", file: "b.yaml")
        #expect(flow["a"]?.flowStyle == true && block["a"]?.flowStyle == false)
        #expect(strip(flow) == strip(block))
        #expect(Set([strip(flow), strip(block)]).count == 1)
    }
}
