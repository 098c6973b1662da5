import Foundation
import Secrets
import TestSupport
import YAML

/// Secrets bundles for tests.
enum TestSecrets {
    /// The bundle through the Secrets module's strict parser.
    static func bundle(_ text: String) throws -> SecretsBundle {
        try SecretsBundle.parse(YAML.parseDocument(text, file: "secrets.yaml"), file: "secrets.yaml")
    }

    static var stability: URL { TestPaths.sharedReference.appendingPathComponent("talos-stability") }

    /// Talos's stability bundle (shared reference): for the tests whose expected bytes were made with it.
    static func stabilityBundle() throws -> SecretsBundle {
        try bundle(String(contentsOf: stability.appendingPathComponent("secrets.yaml"), encoding: .utf8))
    }

    /// A bundle made by talos-batch's own generator, once per test run: for the tests that need some
    /// valid secrets but no upstream data, so they run without the shared reference.
    static func generated() throws -> SecretsBundle {
        try generatedBundle.get()
    }

    private static let generatedBundle: Result<SecretsBundle, any Error> = Result {
        try SecretsBundleGenerator.generate(talosVersion: "v1.12")
    }
}
