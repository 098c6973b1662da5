import Foundation
import Testing
import TestSupport
@testable import Stages

/// The admin certificate is reused while it has more than 30 days left; the talosconfig is a pure function
/// of the rendered talconfig and that certificate.
@Suite(.enabled(if: TestPaths.sharedReferenceAvailable))
final class TalosconfigStagesTests {
    let temp: TemporaryDirectory
    let cluster: ClusterContext
    let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// A cluster whose bundle is plaintext `talsecret.yaml` (a `.sops.` name must hold an encrypted one).
    init() throws {
        temp = try TemporaryDirectory()
        cluster = try plaintextBundleCluster(id: "1", root: temp.url)
    }

    deinit { temp.remove() }

    func secrets() throws -> [UInt8] {
        let url = TestPaths.sharedReference.appendingPathComponent("talos-stability/secrets.yaml")
        return [UInt8](try Data(contentsOf: url))
    }

    @Test func issuesACertificateAndReissuesItNearExpiry() throws {
        let environment = StageEnvironment(environment: [:], ageKeyFiles: [], now: now)
        let result = try AdminCertificateStage().run(for: cluster, inputs: StageInputs(["talsecret.sops.yaml": try secrets()]),
                                                     environment: environment)
        let output = try #require(result.outputs.first)
        #expect(output.path == ".talosconfig-admin.yaml")
        #expect(output.mode == 0o600)
        let stage = AdminCertificateStage()
        #expect(stage.expires)
        #expect(now < stage.validUntil(outputs: result.outputs))
        #expect(now.addingTimeInterval(300 * 86_400) < stage.validUntil(outputs: result.outputs))
        #expect(now.addingTimeInterval(340 * 86_400) >= stage.validUntil(outputs: result.outputs))
        #expect(now >= stage.validUntil(outputs: []))
    }

    @Test func talosconfigIsDeterministicGivenItsInputs() throws {
        let environment = StageEnvironment(environment: [:], ageKeyFiles: [], now: now)
        let admin = try AdminCertificateStage().run(for: cluster, inputs: StageInputs(["talsecret.sops.yaml": try secrets()]),
                                                    environment: environment).outputs[0].contents
        let talconfig = """
            clusterName: demo
            talosVersion: v1.11.5
            kubernetesVersion: v1.34.1
            endpoint: https://10.0.0.10:6443
            nodes:
              - hostname: cp-1
                ipAddress: 10.0.0.11
                controlPlane: true
                installDisk: /dev/sda
              - hostname: w-1
                ipAddress: 10.0.0.21
                controlPlane: false
                installDisk: /dev/sda

            """
        let inputs = StageInputs(["talconfig.rendered.yaml": Array(talconfig.utf8), "admin": admin])
        let first = try TalosconfigStage().run(for: cluster, inputs: inputs, environment: environment)
        let second = try TalosconfigStage().run(for: cluster, inputs: inputs,
                                                environment: StageEnvironment(environment: [:], ageKeyFiles: [], now: Date()))
        #expect(first.outputs == second.outputs)
        let text = String(decoding: first.outputs[0].contents, as: UTF8.self)
        #expect(text.hasPrefix("context: demo\ncontexts:\n    demo:\n        endpoints:\n            - 10.0.0.11\n        nodes:\n            - 10.0.0.11\n            - 10.0.0.21\n"))
    }
}
