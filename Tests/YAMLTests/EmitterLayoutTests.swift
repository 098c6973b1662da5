import Testing
import YAML

/// Layout beyond single scalars. Expected text is what yaml.v3 3.0.1 writes when it decodes the same
/// input into a yaml.Node and re-encodes it with Encoder.SetIndent(n) (emitterc.go: increase_indent puts
/// sequence items under their key and the first level inside an item two columns after the dash).
@Suite struct EmitterLayoutTests {
    static let input = """
        # head comment
        key: value
        list:
        - a
        - b: c
          d: e
        -  x
        nested:
            deeper:
                - 1
                - 2.5
                - true
                - null
                - ""
                - ''
                - "with \\"quotes\\""
                - 'it''s'
                - "tab\\there"
                - "é😀"
                - plain text with spaces
                - "  padded  "
                - |
                    keep

                - >-
                    folded
                    more
                - - x
                  - - y
        empty_map: {}
        empty_list: []

        """

    static let goIndent4 = """
        # head comment
        key: value
        list:
            - a
            - b: c
              d: e
            - x
        nested:
            deeper:
                - 1
                - 2.5
                - true
                - null
                - ""
                - ''
                - "with \\"quotes\\""
                - 'it''s'
                - "tab\\there"
                - "é\\U0001F600"
                - plain text with spaces
                - "  padded  "
                - |
                  keep
                - >-
                  folded more
                - - x
                  - - y
        empty_map: {}
        empty_list: []

        """

    static let goIndent2 = """
        # head comment
        key: value
        list:
          - a
          - b: c
            d: e
          - x
        nested:
          deeper:
            - 1
            - 2.5
            - true
            - null
            - ""
            - ''
            - "with \\"quotes\\""
            - 'it''s'
            - "tab\\there"
            - "é\\U0001F600"
            - plain text with spaces
            - "  padded  "
            - |
              keep
            - >-
              folded more
            - - x
              - - y
        empty_map: {}
        empty_list: []

        """

    @Test func preservedStylesMatchYAMLv3NodeReencodingAtIndent4() throws {
        let node = try YAML.parseDocument(Self.input, file: "layout.yaml")
        #expect(YAMLEmitter(indent: 4, preserveStyles: true, writeComments: true).emit(node) == Self.goIndent4)
    }

    @Test func preservedStylesMatchYAMLv3NodeReencodingAtIndent2() throws {
        let node = try YAML.parseDocument(Self.input, file: "layout.yaml")
        #expect(YAMLEmitter(indent: 2, preserveStyles: true, writeComments: true).emit(node) == Self.goIndent2)
    }

    /// Go-value semantics (the default): parsed quoting is not kept; strings are quoted only when needed.
    @Test func defaultModeQuotesOnlyWhereNeeded() throws {
        let node = try YAML.parseDocument("a: 'single'\nb: \"double\"\nc: \"yes\"\nd: '12'\n", file: "q.yaml")
        #expect(YAMLEmitter().emit(node) == "a: single\nb: double\nc: \"yes\"\nd: \"12\"\n")
    }

    /// encode_test.go TestEncoderMultipleDocuments: "a: b\n---\nc: d\n".
    @Test func documentsAreSeparatedByDashes() {
        let docs = [YAMLNode.mapping([YAMLPair("a", .string("b"))]), .mapping([YAMLPair("c", .string("d"))])]
        #expect(YAMLEmitter().emitDocuments(docs) == "a: b\n---\nc: d\n")
        #expect(YAMLEmitter().emitDocuments([]) == "")
    }

    /// encode_test.go marshalTests: nested sequences and maps at the default indent.
    @Test func marshalTestsLayouts() {
        let v = YAMLNode.mapping([YAMLPair("v", .sequence([.string("A"), .int(1), .mapping([YAMLPair("B", .sequence([.int(2), .int(3)]))])]))])
        #expect(YAMLEmitter().emit(v) == "v:\n    - A\n    - 1\n    - B:\n        - 2\n        - 3\n")
        let a = YAMLNode.mapping([YAMLPair("a", .mapping([YAMLPair("b", .sequence([.mapping([YAMLPair("c", .int(1)), YAMLPair("d", .int(2))])]))]))])
        #expect(YAMLEmitter().emit(a) == "a:\n    b:\n        - c: 1\n          d: 2\n")
        #expect(YAMLEmitter().emit(.mapping([])) == "{}\n")
        #expect(YAMLEmitter().emit(.null) == "null\n")
        #expect(YAMLEmitter().emit(.sequence([])) == "[]\n")
    }

    /// Root-level literal: the scalar's indentation starts at one indent (emitterc.go increase_indent with indent -1).
    @Test func rootScalars() {
        #expect(YAMLEmitter().emit(.string("a\nb")) == "|-\n    a\n    b\n")
        #expect(YAMLEmitter().emit(.string("hello")) == "hello\n")
        #expect(YAMLEmitter(indent: 2).emit(.sequence([.sequence([.string("x")])])) == "- - x\n")
    }

    @Test func tagsAreWrittenUnlessImplied() throws {
        let node = try YAML.parseDocument("a: !!binary aGVsbG8=\nb: !custom x\nc: !!str 12\nd: !!int 7\n", file: "t.yaml")
        #expect(YAMLEmitter().emit(node) == "a: !!binary aGVsbG8=\nb: !custom x\nc: \"12\"\nd: 7\n")
    }

    @Test func keysLongerThan128BytesUseTheComplexForm() {
        let key = String(repeating: "k", count: 129)
        #expect(YAMLEmitter().emit(.mapping([YAMLPair(key, .int(1))])) == "? \(key)\n: 1\n")
        let short = String(repeating: "k", count: 128)
        #expect(YAMLEmitter().emit(.mapping([YAMLPair(short, .int(1))])) == "\(short): 1\n")
    }

    @Test func outOfRangeIndentFallsBackToTwoAsYAMLv3Does() {
        let node = YAMLNode.mapping([YAMLPair("a", .mapping([YAMLPair("b", .int(1))]))])
        #expect(YAMLEmitter(indent: 1).emit(node) == "a:\n  b: 1\n")
        #expect(YAMLEmitter(indent: 12).emit(node) == "a:\n  b: 1\n")
    }
}

extension EmitterLayoutTests {
    /// yamlprivateh.go is_bom ignores its index: after a leading BOM every character is escaped.
    /// Expected bytes from yaml.v3 3.0.1 (map[string]string{"a": "\uFEFF!"}).
    @Test func leadingByteOrderMarkEscapesTheWholeString() {
        #expect(YAMLEmitter().emit(.mapping([YAMLPair("a", .string("\u{FEFF}!"))])) == "a: \"\\uFEFF\\x21\"\n")
        #expect(YAMLEmitter().emit(.mapping([YAMLPair("a", .string("x\u{FEFF}!"))])) == "a: \"x\\uFEFF!\"\n")
    }
}

extension EmitterLayoutTests {
    /// encode.go floatv → strconv.FormatFloat(f, 'g', -1, 64); expected strings from yaml.v3 3.0.1 encoding
    /// the same float64 values (encode_test.go marshalTests has 0.1, 0.99, -0.1, .inf, -.inf, .nan).
    @Test(arguments: [
        (0.1, "0.1"), (0.99, "0.99"), (-0.1, "-0.1"), (1e6, "1e+06"), (1234567, "1.234567e+06"), (123456, "123456"),
        (1e-05, "1e-05"), (0.0001, "0.0001"), (3, "3"), (-0.5, "-0.5"), (1e21, "1e+21"), (1e20, "1e+20"),
        (1.2345678901234568e17, "1.2345678901234568e+17"), (1.5e300, "1.5e+300"), (Double.leastNonzeroMagnitude, "5e-324"),
        (0.000123, "0.000123"), (100, "100"), (1e100, "1e+100"), (2.5e-7, "2.5e-07"), (12345.678, "12345.678"),
        (Double.infinity, ".inf"), (-Double.infinity, "-.inf"), (Double.nan, ".nan"),
    ])
    func floatsAreWrittenAsGoFormatsThem(value: Double, text: String) {
        #expect(YAMLEmitter().emit(.mapping([YAMLPair("v", .float(value))])) == "v: \(text)\n")
    }
}

extension EmitterLayoutTests {
    /// Flow collections keep their style when styles are preserved; expected text from yaml.v3 3.0.1
    /// decoding the input into a yaml.Node and re-encoding it (emitterc.go flow_sequence/flow_mapping).
    @Test func flowCollectionsArePreservedOnRequest() throws {
        let input = """
            a: [x, 'y', {b: c, "d": [1, 2]}]
            d: !!set {x: null}
            e: {? [k]: v, long: "multi\\nline"}
            f: [a, []]

            """
        let node = try YAML.parseDocument(input, file: "flow.yaml")
        #expect(node["a"]?.flowStyle == true)
        #expect(YAMLEmitter(preserveStyles: true).emit(node) == """
            a: [x, 'y', {b: c, "d": [1, 2]}]
            d: !!set {x: null}
            e: {? [k] : v, long: "multi\\nline"}
            f: [a, []]

            """)
        // Go values are never written in flow style unless empty. (The block key `?   - k` is what yaml.v3
        // writes for "e:\n    ? - k\n    : v\n" re-encoded as a yaml.Node.)
        #expect(YAMLEmitter().emit(node) == """
            a:
                - x
                - "y"
                - b: c
                  d:
                    - 1
                    - 2
            d: !!set
                x: null
            e:
                ?   - k
                : v
                long: |-
                    multi
                    line
            f:
                - a
                - []

            """)
    }
}
