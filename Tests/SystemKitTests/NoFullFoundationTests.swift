import Foundation
import TestSupport
import Testing

/// The shipped modules import FoundationEssentials, never full Foundation: one `import Foundation` in any of
/// them would link libFoundation, libFoundationInternationalization and ICU back into the binary and cost
/// every start ~3 ms of dynamic loading (bench/notes.md, "issue-13e"). A merge that brings one back fails here.
@Suite struct NoFullFoundationTests {
    @Test func noShippedSourceImportsFullFoundation() throws {
        let sources = TestPaths.packageRoot.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 100)
        var offenders: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@_exported import ") {
                let words = line.split(separator: " ")
                if words.last == "Foundation" { offenders.append("Sources/\(file): \(line)") }
            }
        }
        #expect(offenders.isEmpty, "these files import full Foundation: \(offenders)")
    }
}
