import Foundation
import Secrets
import TestSupport
import YAML

/// The Talos stability secrets bundle for tests.
enum TestSecrets {
    /// The bundle through the Secrets module's strict parser.
    static func bundle(_ text: String) throws -> SecretsBundle {
        try SecretsBundle.parse(YAML.parseDocument(text, file: "secrets.yaml"), file: "secrets.yaml")
    }

    static var stability: URL { TestPaths.sharedReference.appendingPathComponent("talos-stability") }

    static func stabilityBundle() throws -> SecretsBundle {
        try bundle(String(contentsOf: stability.appendingPathComponent("secrets.yaml"), encoding: .utf8))
    }
}
