import Foundation
import Testing
import TestSupport

/// A secrets file cut short, or with its `sops` metadata deleted (issue 19): the error points at the first
/// encrypted value (file:line:col) and says what happened, instead of a missing bundle field.
@Suite("Damaged secrets file, end to end")
struct DamagedSecretsFileEndToEndTests {
    enum Damage: String, CaseIterable, Sendable { case truncated, metadataRemoved }

    @Test("the error names the file and position and says the metadata is gone", arguments: Damage.allCases)
    func damaged(_ damage: Damage) throws {
        let fixture = try RegenFixture()
        defer { fixture.remove() }
        let id = fixture.clusterIDs[0]
        let file = fixture.folder(id).appendingPathComponent("talsecret.sops.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let damaged: Substring
        switch damage {
        case .truncated: damaged = text.prefix(text.count / 2)
        case .metadataRemoved:
            let metadata = try #require(text.range(of: "\nsops:"))
            damaged = text[..<metadata.lowerBound] + "\n"
        }
        try Data(damaged.utf8).write(to: file)
        let run = try fixture.regen(["cluster-\(id)"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("talos/clusters/cluster-\(id)/talsecret.sops.yaml:2:"), "\(run.stderr)")
        #expect(run.stderr.contains("truncated or its metadata was removed"), "\(run.stderr)")
        #expect(!run.stderr.contains("invalid secrets bundle"), "\(run.stderr)")
    }
}
