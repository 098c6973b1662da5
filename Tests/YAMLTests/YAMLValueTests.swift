import Diagnostics
import Testing
import YAML

@Suite struct YAMLValueTests {
    static let talconfig = """
        clusterName: lab
        nodes:
          - hostname: cp1
            ipAddress: 10.0.0.1
            controlPlane: true
          - hostname: w1
            ipAddress: 10.0.0.2
            controlPlane: false
          - hostname: w2
            ipAddress:
              v4: 10.0.0.3
            port: 0x1F
            tags: [a, b]
        """

    var root: YAMLValue {
        get throws { try YAML.parseDocument(Self.talconfig, file: "talconfig.yaml").typed }
    }

    @Test func readsTypedFields() throws {
        let root = try root
        #expect(try root.string("clusterName") == "lab")
        let nodes = try root.field("nodes").sequence()
        #expect(nodes.count == 3)
        #expect(try nodes[0].bool("controlPlane"))
        #expect(try nodes[2].int("port") == 31)
        #expect(try nodes[2].optionalStrings("tags") == ["a", "b"])
        #expect(try nodes[0].optionalString("missing") == nil)
        #expect(nodes[2].path.description == "nodes[2]")
    }

    @Test func mismatchNamesPathLineAndColumn() throws {
        let nodes = try root.field("nodes").sequence()
        do {
            _ = try nodes[2].string("ipAddress")
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.message == "`nodes[2].ipAddress` (line 11, column 7): expected a string, found a mapping")
            #expect(error.location == SourceLocation(file: "talconfig.yaml", line: 11, column: 7))
        }
    }

    @Test func missingKeysAndUnknownKeys() throws {
        let first = try root.field("nodes").sequence()[0]
        #expect(throws: Diagnostic.self) { try first.field("installDisk") }
        do {
            try first.rejectUnknownKeys(allowed: ["hostname", "ipAddress"])
            Issue.record("expected an error")
        } catch let error as Diagnostic {
            #expect(error.message == "`nodes[0].controlPlane` (line 5, column 5): unknown key `controlPlane`")
        }
    }

    @Test func scalarsReadAsStringsLikeYAMLv3() throws {
        let node = try YAML.parseDocument("port: 8080\nflag: true\nnothing: ~\n", file: "s.yaml").typed
        #expect(try node.string("port") == "8080")
        #expect(try node.string("flag") == "true")
        #expect(throws: Diagnostic.self) { try node.field("nothing") }
        #expect(try node.optionalField("nothing") == nil)
        #expect(throws: Diagnostic.self) { try node.int("flag") }
    }

    @Test func integersFollowGoSyntax() throws {
        let node = try YAML.parseDocument("[0x10, 0o17, 0b11, 017, -1_000, 9223372036854775807, 18446744073709551615]", file: "i.yaml").typed
        let items = try node.sequence()
        #expect(try items[0..<6].map { try $0.int() } == [16, 15, 3, 15, -1000, Int.max])
        #expect(throws: Diagnostic.self) { try items[6].int() }
        #expect(try items[6].double() == Double(UInt64.max))
    }

    @Test func pathsQuoteKeysThatAreNotWords() {
        let path = YAMLPath([.key("machine"), .key("nodeLabels"), .key("node.kubernetes.io/x"), .index(0)])
        #expect(path.description == "machine.nodeLabels[\"node.kubernetes.io/x\"][0]")
        #expect(YAMLPath().description == "(document root)")
    }
}
