// The byte-level reader of sops' own YAML must give libyaml's tree exactly, or decline (nil) so libyaml reads
// the file: on the example fleet, on the upstream corpus's sops files and on seeded mutations of them.
import Foundation
@testable import Secrets
import Testing
import TestSupport

@Suite struct SOPSYAMLFastReaderTests {
    static func sopsFiles(under root: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }.filter { $0.lastPathComponent.hasSuffix(".sops.yaml") }.sorted { $0.path < $1.path }
    }

    /// nil when the fast path declines; otherwise it must equal the libyaml path's tree.
    @discardableResult
    static func expectSameTree(_ bytes: [UInt8], file: String) -> Bool {
        guard SOPSYAMLReader.isPlainBlockYAML(bytes), let fast = SOPSYAMLFastReader.read(bytes, file: file) else { return false }
        let slow = try? SOPSYAMLReader.readWithLibYAML(bytes, file: file)
        #expect(slow == fast, "\(file)")
        return true
    }

    @Test func readsTheExampleFleetsFilesAsLibYAMLDoes() throws {
        let files = Self.sopsFiles(under: TestPaths.packageRoot.appendingPathComponent("talos"))
        #expect(files.count >= 3)
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: file))
            let accepted = Self.expectSameTree(bytes, file: file.path)
            #expect(accepted, "the fast path declined \(file.path)")
        }
    }

    @Test(.enabled(if: TestPaths.sharedReferenceAvailable)) func readsTheUpstreamSOPSFilesAsLibYAMLDoes() throws {
        let files = Self.sopsFiles(under: TestPaths.sharedReference) + Self.sopsFiles(under: TestPaths.sharedCorpus)
        #expect(!files.isEmpty)
        var accepted = 0
        for file in files where Self.expectSameTree(try [UInt8](Data(contentsOf: file)), file: file.path) { accepted += 1 }
        #expect(accepted > 0)
    }

    @Test func readsShapesLibYAMLReadsTheSameWay() {
        let texts = [
            "a: 1\nb: 0x10\nc: 1.5\nd: true\ne: null\nf: \"q\"\ng: 'q'\nh: 2024-01-01\ni: ENC[AES256_GCM,data:a=,type:str]\n",
            "a:\n  - x\n  - 2\n  - b: c\n    d: |\n      l1\n      l2\n    e: f\nz: y\n",
            "a:\n    b:\n        c: d\n    e: f\ng: h\n",
            "a: |\n  x\n", "a: .5\n", "a: _b\n", "a: /b\n", "a: .inf\n", "a: a:b\n", "a: 1e3\n", "a-: Yes\n",
        ]
        for text in texts {
            let accepted = Self.expectSameTree(Array(text.utf8), file: "f.yaml")
            #expect(accepted, "declined: \(text)")
        }
    }

    @Test func declinesWhatIsNotSopsShape() {
        let texts = ["a:\n", "a: b\n  c\n", "a: b # c\n", "a: b\n\nc: d\n", "a: b", "- a\n", "a: [b]\n", "a: \"b\\n\"\n",
                     "a: |-\n  x\n", "a:\n- b\n", "a: b\na: c\n", "true: b\n", "a: b \n", "a:  b\n", "a: b:\n", "\"a\": b\n",
                     "a: |\n  x\n   y\n", "a: 'b''c'\n", "a:\n  b: c\n d: e\n", "a: é\n", "a:\tb\n", "---\na: b\n",
                     String(repeating: "k", count: 1_100) + ": b\n", "a:\n  - " + String(repeating: "k", count: 1_100) + ": b\n"]
        for text in texts {
            #expect(SOPSYAMLFastReader.read(Array(text.utf8), file: "f.yaml") == nil, "accepted: \(text)")
        }
    }

    /// Seeded single-byte and line mutations of the example files: each is read the same or declined.
    @Test func mutationsAreReadTheSameOrDeclined() throws {
        let files = Self.sopsFiles(under: TestPaths.packageRoot.appendingPathComponent("talos"))
        var generator = SeededGenerator(seed: 13)
        let inserts = Array(" :-\n\"'|#a1.[],\t".utf8)
        var accepted = 0, declined = 0
        for file in files {
            let original = try [UInt8](Data(contentsOf: file))
            for _ in 0..<400 {
                var bytes = original
                let index = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 4 {
                case 0: bytes.remove(at: index)
                case 1: bytes.insert(inserts[Int(generator.next() % UInt64(inserts.count))], at: index)
                case 2: bytes[index] = inserts[Int(generator.next() % UInt64(inserts.count))]
                default:
                    // Repeat a line (a duplicate key, or an entry in another container).
                    let lines = bytes.split(separator: 10, omittingEmptySubsequences: false)
                    let pick = Int(generator.next() % UInt64(max(lines.count - 1, 1)))
                    var copy = lines
                    copy.insert(lines[pick], at: Int(generator.next() % UInt64(lines.count)))
                    bytes = Array(copy.joined(separator: [10]))
                }
                if Self.expectSameTree(bytes, file: "m.yaml") { accepted += 1 } else { declined += 1 }
            }
        }
        #expect(accepted > 100 && declined > 100, "accepted \(accepted), declined \(declined)")
    }
}
