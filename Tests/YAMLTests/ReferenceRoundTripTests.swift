import Foundation
import Testing
import TestSupport
import YAML

/// Talos' encoding-stability goldens were written by yaml.v3 (indent 4); parsing and re-emitting them
/// must give the same bytes (the patches are hand-written with 2-space indentation);
/// `secrets.yaml` starts with a comment line, so comments are written back.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
struct ReferenceRoundTripTests {
    static let directory = TestPaths.sharedReference.appendingPathComponent("talos-stability")

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }()

    @Test func referenceFilesArePresent() {
        #expect(Self.files.count >= 10)
    }

    @Test(arguments: files)
    func roundTripsByteForByte(name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent(name)))
        let documents = try YAML.parseStream(bytes, file: name)
        #expect(!documents.isEmpty)
        // The overrides patches (overrides-patch.yaml, patch-pre14.yaml, patch.yaml) are hand-written with 2 spaces.
        let indent = name.hasSuffix("patch.yaml") || name == "patch-pre14.yaml" ? 2 : 4
        let emitted = YAMLEmitter(indent: indent, writeComments: true).emitDocuments(documents)
        let expected = String(decoding: bytes, as: UTF8.self)
        if emitted != expected {
            let emittedLines = emitted.split(separator: "\n", omittingEmptySubsequences: false)
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let line = Array(zip(emittedLines, expectedLines)).firstIndex { $0.0 != $0.1 } ?? min(emittedLines.count, expectedLines.count)
            let got = line < emittedLines.count ? String(emittedLines[line]) : "<end>"
            let want = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
            Issue.record("\(name) differs at line \(line + 1): emitted «\(got)», expected «\(want)»")
        }
    }

    /// Without comments, the machine configs still round-trip and the secrets file loses only its comment.
    @Test func defaultEmitterDropsOnlyTheComment() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.directory.appendingPathComponent("secrets.yaml")))
        let emitted = YAMLEmitter(indent: 4).emitDocuments(try YAML.parseStream(bytes, file: "secrets.yaml"))
        let text = String(decoding: bytes, as: UTF8.self)
        let firstLineEnd = try #require(text.firstIndex(of: "\n"))
        #expect(text[..<firstLineEnd].hasPrefix("#"))
        #expect(emitted == String(text[text.index(after: firstLineEnd)...]))
    }
}
