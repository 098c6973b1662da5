import Diagnostics
import Foundation
import Testing
@testable import Talos

/// `@file` references resolve against the talconfig's folder (as talhelper resolves them) and, when the
/// caller supplies their bytes, are read from those bytes only.
@Suite struct FileReferenceTests {
    static let text = TalhelperFixtures.talconfig(
        extraTop: "patches:\n  - \"@ patches/all.yaml \"\n  - \"@../common/shared.yaml\"\n  - \"@/etc/talos/abs.yaml\"",
        interfaces: false, nodePatch: false)

    @Test func referencesResolveAgainstTheBaseDirectoryWithTheirPositions() throws {
        var (config, _) = try TalhelperFixtures.load(Self.text)
        config.baseDirectory = URL(fileURLWithPath: "/fleet/clusters/cluster-1")
        let references = config.fileReferences
        #expect(references.map(\.reference) == ["patches/all.yaml", "../common/shared.yaml", "/etc/talos/abs.yaml"])
        #expect(references.map(\.url.path) == ["/fleet/clusters/cluster-1/patches/all.yaml", "/fleet/clusters/common/shared.yaml",
                                               "/etc/talos/abs.yaml"])
        #expect(references.map { $0.location?.line } == [14, 15, 16])
        #expect(references.first?.location?.column == 5)
        #expect(config.referencedFiles == references.map(\.url))
    }

    @Test func suppliedFilesAreTheOnlySourceOfReferencedContents() throws {
        var (config, _) = try TalhelperFixtures.load(Self.text)
        config.baseDirectory = URL(fileURLWithPath: "/nonexistent/cluster")
        var files: [String: [UInt8]] = [:]
        for (index, reference) in config.fileReferences.enumerated() {
            files[reference.url.path] = Array("machine:\n  sysctls:\n    test.supplied.\(index): \"\(index)\"\n".utf8)
        }
        config.files = files
        let generated = try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        let text = String(decoding: try #require(generated.first).contents, as: UTF8.self)
        #expect(text.contains("test.supplied.0: \"0\""))
        #expect(text.contains("test.supplied.2: \"2\""))

        files.removeValue(forKey: "/nonexistent/common/shared.yaml")
        config.files = files
        let error = try #require(throws: Diagnostic.self) {
            try TalhelperGenerator.generateNodeConfigs(config, secrets: TestSecrets.generated())
        }
        #expect(error.message.contains("../common/shared.yaml"))
        #expect(error.location?.line == 15)
    }
}
