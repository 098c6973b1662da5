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

@Suite struct NetworkAddressEdgeTests {
    @Test(arguments: [("0.0.0.0", [UInt8(0), 0, 0, 0]), ("255.255.255.255", [255, 255, 255, 255]), ("1.20.100.0", [1, 20, 100, 0])])
    func parsesIPv4Edges(_ text: String, _ bytes: [UInt8]) {
        #expect(IPAddress(text)?.bytes == bytes)
    }

    @Test(arguments: ["256.0.0.1", "1.2.3.04", "1.2.3.00", "1.2.3.4.", ".1.2.3", "1.2.3.4\u{301}", "\u{967}.2.3.4", "1.2.3.1000",
                      "1.2.3.-1", "1.2.3.+1", "1.2.3.4 ", "0001.2.3.4"])
    func rejectsIPv4Edges(_ text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func readsCIDRPrefixes() {
        #expect(CIDR("10.0.0.0/016")?.prefixLength == 16)
        #expect(CIDR("10.0.0.0/00000000000000000000032")?.prefixLength == 32)
        #expect(CIDR("10.0.0.0/99999999999999999999999") == nil)
        #expect(CIDR("10.0.0.0/1/2") == nil)
        #expect(CIDR("10.0.0.0/+8") == nil)
        #expect(CIDR("10.0.0.0/8\u{301}") == nil)
        #expect(CIDR("/8") == nil)
        #expect(CIDR("10.0.0.0//8") == nil)
        #expect(CIDR(Substring("x10.0.0.0/8").dropFirst())?.prefixLength == 8)
    }
}

@Suite struct HostnameEdgeTests {
    @Test(arguments: ["a", "a.b", "a-b.c-d", "0", "node-1.example.com", String(repeating: "a", count: 63),
                      String(repeating: "a.", count: 126) + "a"])
    func accepts(_ name: String) {
        #expect(Hostname.isValid(name))
    }

    @Test(arguments: ["", ".", "a.", ".a", "a..b", "a-", "-a", "a.-b", "a-.b", "A", "a_b", "a b", "é", "a.\u{301}b",
                      String(repeating: "a", count: 64), String(repeating: "a.", count: 127) + "a", "a\0"])
    func refuses(_ name: String) {
        #expect(!Hostname.isValid(name))
    }
}
