import Foundation
import Testing
import TestSupport

@Test func packageRootHoldsPackageManifest() {
    #expect(FileManager.default.fileExists(atPath: TestPaths.packageRoot.appendingPathComponent("Package.swift").path))
}
