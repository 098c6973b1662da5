import Testing
import Diagnostics
@testable import Talos

/// `validate --nodeconfig` runs Talos's own `machine.network.interfaces` checks (`Config.Validate`): bond and
/// bridge members collected first, then each device's interface, addressing and route checks; `cidr` only warns.
@Suite struct NodeConfigNetworkTests {
    static func validate(_ interfaces: String) -> [String] {
        let text = """
            version: v1alpha1
            machine:
              type: worker
              token: t
              network:
                interfaces:
            \(interfaces)
            cluster:
              controlPlane:
                endpoint: https://c:6443

            """
        return NodeConfigValidator.validate(Array(text.utf8), file: "w.yaml", mode: .cloud).map(\.description)
    }

    @Test func bridgeMembersAreSecondaryLinks() {
        let found = Self.validate("""
                  - interface: br0
                    bridge:
                      interfaces: [eth0]
                  - interface: eth0
                    addresses: [10.0.0.2/24]
                  - interface: bond0
                    bond:
                      mode: active-backup
                      interfaces: [eth0]
            """)
        #expect(found == [
            "w.yaml:15:24: error: machine.network.interfaces: interface \"eth0\" is declared as part of two separate links: \"br0\" and \"bond0\"",
            "w.yaml:10:9: error: machine.network.interfaces: [networking.os.device] \"eth0\": bonded/bridged interface shouldn't have any addressing methods configured",
        ])
    }

    @Test func cidrIsOnlyAWarningAndRoutesAreChecked() {
        let found = Self.validate("""
                  - interface: eth0
                    cidr: 10.0.0.2/24
                    routes:
                      - gateway: 10.0.0.256
            """)
        #expect(found == [
            "w.yaml:8:15: warning: machine.network.interfaces: \"eth0\": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses",
            "w.yaml:10:22: error: machine.network.interfaces: [networking.os.device.route[0].gateway] \"10.0.0.256\": invalid network address",
        ])
    }

    /// Talos refuses a shared IP on a worker, on the link or on one of its VLANs.
    @Test func aWorkerHoldsNoSharedIP() {
        let found = Self.validate("""
                  - interface: eth0
                    addresses: [10.0.0.2/24]
                    vip:
                      ip: 10.0.0.5
                    vlans:
                      - vlanId: 10
                        addresses: [10.1.0.2/24]
                        vip:
                          ip: 10.1.0.5
            """)
        #expect(found == [
            "w.yaml:10:11: error: machine.network.interfaces: virtual (shared) IP is not allowed on non-controlplane nodes",
            "w.yaml:15:15: error: machine.network.interfaces: virtual (shared) IP is not allowed on non-controlplane nodes",
        ], "\(found)")
    }
}
