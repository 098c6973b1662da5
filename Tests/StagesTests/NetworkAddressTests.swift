import Testing
@testable import Stages

@Suite struct NetworkAddressTests {
    @Test func parsesIPv4() throws {
        let address = try #require(IPAddress("10.20.0.11"))
        #expect(address.bytes == [10, 20, 0, 11])
        #expect(address.isIPv4)
        #expect(address.description == "10.20.0.11")
    }

    @Test(arguments: ["10.0.0.300", "10.0.0", "10.0.0.1.2", "010.0.0.1", "", "a.b.c.d", "10..0.1", " 10.0.0.1"])
    func rejectsBadIPv4(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func parsesIPv6Forms() throws {
        let short = try #require(IPAddress("fd00:30::11"))
        let long = try #require(IPAddress("fd00:0030:0:0:0:0:0:0011"))
        #expect(short == long)
        #expect(short.bytes.count == 16)
        #expect(IPAddress("::")?.bytes == [UInt8](repeating: 0, count: 16))
        #expect(IPAddress("::ffff:10.0.0.1")?.bytes.suffix(4) == [10, 0, 0, 1])
    }

    @Test(arguments: ["fd00:::1", "1::2::3", "12345::1", "fd00:30::g", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7"])
    func rejectsBadIPv6(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func parsesCIDRs() {
        #expect(CIDR("10.244.0.0/16")?.prefixLength == 16)
        #expect(CIDR("fd00:10:96::/112")?.prefixLength == 112)
        #expect(CIDR("0.0.0.0/0") != nil)
        #expect(CIDR("10.0.0.0/33") == nil)
        #expect(CIDR("fd00::/129") == nil)
        #expect(CIDR("10.0.0.0") == nil)
        #expect(CIDR("10.0.0.0/") == nil)
        #expect(CIDR("10.0.0.0/1a") == nil)
    }

    @Test func hostnames() {
        #expect(Hostname.isValid("prod-a-cp-1"))
        #expect(Hostname.isValid("node1.example.com"))
        #expect(!Hostname.isValid("Node1"))
        #expect(!Hostname.isValid("-a"))
        #expect(!Hostname.isValid("a_b"))
        #expect(!Hostname.isValid(String(repeating: "a", count: 64)))
        #expect(!Hostname.isValid("../evil"))
        #expect(Hostname.escapesFolder("../evil"))
        #expect(Hostname.escapesFolder(".."))
        #expect(Hostname.escapesFolder("a/b"))
        #expect(!Hostname.escapesFolder("a.b"))
    }
}
