import Foundation
import Testing
@testable import Talos
import YAML

@Suite struct TalosconfigTests {
    @Test func layoutMatchesTalosClientConfig() throws {
        let (config, _) = try TalhelperFixtures.load(TalhelperFixtures.talconfig())
        let talosconfig = Talosconfig.forCluster(config, caBase64: "Q0E=", certificatePEM: "CERT\n", privateKeyPEM: "KEY\n")
        #expect(talosconfig.endpoints == ["10.0.0.11"])
        #expect(talosconfig.nodes == ["10.0.0.11", "10.0.0.21", "10.0.0.22"])
        #expect(talosconfig.encoded() == """
            context: home
            contexts:
                home:
                    endpoints:
                        - 10.0.0.11
                    nodes:
                        - 10.0.0.11
                        - 10.0.0.21
                        - 10.0.0.22
                    ca: Q0E=
                    crt: Q0VSVAo=
                    key: S0VZCg==

            """)
    }

    @Test func emptyEndpointsAreWrittenAsAnEmptyList() {
        let talosconfig = Talosconfig(context: "c", endpoints: [], nodes: [], caBase64: "Q0E=", certificatePEM: "C", privateKeyPEM: "K")
        #expect(talosconfig.encoded().contains("        endpoints: []\n"))
        #expect(!talosconfig.encoded().contains("nodes"))
    }
}
