import Diagnostics
import FoundationEssentials
import Glibc
import YAML

/// The network-device checks talhelper's validator runs on a node's `networkInterfaces`
/// (`checkNodeNetworkInterfaces`): its own bond/bridge membership checks, then Talos's
/// `ValidateNetworkDevices` with `CheckDeviceInterface` (interface or selector, bond options, WireGuard
/// keys and peers, VLAN addressing), `CheckDeviceAddressing` (CIDR/addresses, VIP, no addressing on a
/// bonded or bridged link) and `CheckDeviceRoutes`. Each problem is placed at the value it is about, with
/// Talos's wording; devices with `ignore: true` are skipped, as Talos skips them.
enum NetworkDeviceChecks {
    static func check(_ devices: [YAMLNode], field: String) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        func fail(_ message: String, at node: YAMLNode?, else fallback: YAMLNode) {
            errors.append(.error("\(field): \(message)", at: (node ?? fallback).location))
        }
        // Member link → the bond or bridge that claims it, filled in order as talhelper does (so a link is
        // "bonded" for the checks of the devices after its bond).
        var bonded: [String: String] = [:]
        var bridged: [String: String] = [:]
        for device in devices where device.mappingPairs != nil {
            let name = text(device["interface"])
            let bond = present(device["bond"])
            let bridge = present(device["bridge"])
            if bond != nil && bridge != nil {
                fail("interface has both bridge and bond section set \"\(name)\"", at: device["bridge"], else: device)
            }
            if let bond {
                for member in bond["interfaces"]?.sequenceItems ?? [] {
                    let link = text(member)
                    if let other = bonded[link], other != name {
                        fail("interface \"\(link)\" is declared as part of two bonds: \"\(other)\" and \"\(name)\"", at: member, else: device)
                    }
                    if let other = bridged[link] {
                        fail("interface \"\(link)\" is declared as part of an interface and a bond: \"\(other)\" and \"\(name)\"",
                             at: member, else: device)
                    }
                    bonded[link] = name
                }
                if !(bond["interfaces"]?.sequenceItems ?? []).isEmpty && !(bond["deviceSelectors"]?.sequenceItems ?? []).isEmpty {
                    fail("interface \"\(name)\" has both interfaces and selectors set", at: bond["deviceSelectors"], else: device)
                }
            }
            if let bridge {
                for member in bridge["interfaces"]?.sequenceItems ?? [] {
                    let link = text(member)
                    if let other = bridged[link], other != name {
                        fail("interface \"\(link)\" is declared as part of two bridges: \"\(other)\" and \"\(name)\"", at: member, else: device)
                    }
                    if let other = bonded[link] {
                        fail("interface \"\(link)\" is declared as part of an interface and a bond: \"\(other)\" and \"\(name)\"",
                             at: member, else: device)
                    }
                    bridged[link] = name
                }
            }
            if device["ignore"]?.scalar?.goBool == true { continue }
            for (message, node) in interfaceProblems(device) + addressingProblems(device, secondary: bonded)
                + routeProblems(device) {
                fail(message, at: node, else: device)
            }
        }
        return errors
    }

    /// Talos's own checks of `machine.network.interfaces` (`Config.Validate`, as `talosctl validate` runs them):
    /// every bond and bridge member collected first (a link may belong to one of them), then each device's
    /// checks against all of them; `cidr`'s deprecation is a warning here, as in Talos.
    static func checkMachineConfig(_ devices: [YAMLNode], field: String) -> [Diagnostic] {
        var found: [Diagnostic] = []
        var secondary: [String: String] = [:]
        for device in devices where device.mappingPairs != nil {
            let name = text(device["interface"])
            let bond = present(device["bond"]), bridge = present(device["bridge"])
            if bond != nil && bridge != nil {
                found.append(.error("\(field): interface has both bridge and bond sections set \"\(name)\": config sections are mutually exclusive",
                                    at: (device["bridge"] ?? device).location))
            }
            if let bond, !(bond["interfaces"]?.sequenceItems ?? []).isEmpty, !(bond["deviceSelectors"]?.sequenceItems ?? []).isEmpty {
                found.append(.error("\(field): interface \"\(name)\" has both interfaces and selectors set: config sections are mutually exclusive",
                                    at: (bond["deviceSelectors"] ?? device).location))
            }
            for member in (bridge ?? bond)?["interfaces"]?.sequenceItems ?? [] {
                let link = text(member)
                if let other = secondary[link], other != name {
                    found.append(.error("\(field): interface \"\(link)\" is declared as part of two separate links: \"\(other)\" and \"\(name)\"",
                                        at: member.location))
                }
                secondary[link] = name
            }
        }
        for device in devices where device.mappingPairs != nil && device["ignore"]?.scalar?.goBool != true {
            for (message, node) in interfaceProblems(device) + addressingProblems(device, secondary: secondary)
                + routeProblems(device) {
                let severity: Diagnostic.Severity = message.contains("is deprecated") ? .warning : .error
                found.append(Diagnostic(severity, at: (node ?? device).location, "\(field): \(message)"))
            }
        }
        return found
    }

    // MARK: - Talos's CheckDeviceInterface

    static func interfaceProblems(_ device: YAMLNode) -> [(String, YAMLNode?)] {
        var problems: [(String, YAMLNode?)] = []
        let name = text(device["interface"])
        let selector = present(device["deviceSelector"])
        if name.isEmpty && selector == nil {
            problems.append(("[networking.os.device.interface], [networking.os.device.deviceSelector]: required either config section to be set", device))
        } else if !name.isEmpty && selector != nil {
            problems.append(("[networking.os.device.interface], [networking.os.device.deviceSelector]: config sections are mutually exclusive",
                             device["deviceSelector"]))
        }
        if let selector, (selector.mappingPairs ?? []).allSatisfy({ $0.value.isNull || text($0.value).isEmpty && $0.value.scalar != nil }) {
            problems.append(("[networking.os.device.deviceSelector]: config section should contain at least one field", selector))
        }
        if let bond = present(device["bond"]) { problems += bondProblems(bond) }
        if let wireguard = present(device["wireguard"]) { problems += wireguardProblems(wireguard) }
        for vlan in device["vlans"]?.sequenceItems ?? [] {
            let label = "\(name).\(text(vlan["vlanId"]).isEmpty ? "0" : text(vlan["vlanId"]))"
            let addresses = vlan["addresses"]?.sequenceItems ?? []
            if !addresses.isEmpty && !text(vlan["cidr"]).isEmpty {
                problems.append(("[networking.os.device.vlan] \(label): vlan can't have both .cidr and .addresses set", vlan["cidr"]))
            }
            if let cidr = vlan["cidr"], !text(cidr).isEmpty, let problem = ipOrCIDRProblem(text(cidr)) {
                problems.append(("[networking.os.device.vlan.CIDR] \(label): \(problem)", cidr))
            }
            for address in addresses {
                if let problem = ipOrCIDRProblem(text(address)) {
                    problems.append(("[networking.os.device.vlan.addresses] \(label): \(problem)", address))
                }
            }
        }
        return problems
    }

    /// Talos's bond modes and the option values `nethelpers` accepts ("" is each option's default).
    static let bondModes = ["", "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"]
    static let bondOptionValues: [(key: String, values: [String], message: String)] = [
        ("xmitHashPolicy", ["", "layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4"], "invalid xmit hash policy"),
        ("lacpRate", ["", "slow", "fast"], "invalid lacp rate"),
        ("arpValidate", ["", "none", "active", "backup", "all", "filter", "filter-active", "filter-backup"], "invalid arp_validate mode"),
        ("arpAllTargets", ["", "any", "all"], "invalid arp_all_targets mode"),
        ("primaryReselect", ["", "always", "better", "failure"], "invalid primary_reselect mode"),
        ("failOverMac", ["", "none", "active", "follow", "0", "1", "2"], "invalid fail_over_mac value"),
        ("adSelect", ["", "stable", "bandwidth", "count"], "invalid ad_select mode"),
    ]

    static func bondProblems(_ bond: YAMLNode) -> [(String, YAMLNode?)] {
        var problems: [(String, YAMLNode?)] = []
        var mode = text(bond["mode"])
        if !bondModes.contains(mode) {
            problems.append(("invalid bond type \(mode)", bond["mode"]))
        }
        if mode.isEmpty { mode = "balance-rr" }
        for option in bondOptionValues where !option.values.contains(text(bond[option.key])) {
            problems.append(("\(option.message) \(text(bond[option.key]))", bond[option.key]))
        }
        func number(_ key: String) -> Int { Int(text(bond[key])) ?? 0 }
        let miimon = number("miimon")
        if miimon == 0 {
            if number("updelay") != 0 { problems.append(("bond.upDelay can't be set if miiMon is zero", bond["updelay"])) }
            if number("downdelay") != 0 { problems.append(("bond.downDelay can't be set if miiMon is zero", bond["downdelay"])) }
        } else {
            if number("updelay") % miimon != 0 { problems.append(("bond.upDelay should be a multiple of miiMon", bond["updelay"])) }
            if number("downdelay") % miimon != 0 { problems.append(("bond.downDelay should be a multiple of miiMon", bond["downdelay"])) }
        }
        if !(bond["arpIPTarget"]?.sequenceItems ?? []).isEmpty {
            problems.append(("bond.arpIPTarget is not supported", bond["arpIPTarget"]))
        }
        if !text(bond["lacpRate"]).isEmpty && mode != "802.3ad" {
            problems.append(("bond.lacpRate is only available in 802.3ad mode", bond["lacpRate"]))
        }
        if !text(bond["adActorSystem"]).isEmpty {
            problems.append(("bond.adActorSystem is not supported", bond["adActorSystem"]))
        }
        let loadBalancing = ["802.3ad", "balance-alb", "balance-tlb"].contains(mode)
        if loadBalancing && !text(bond["arpValidate"]).isEmpty {
            problems.append(("bond.arpValidate is not available in \(mode) mode", bond["arpValidate"]))
        }
        if !["active-backup", "balance-alb", "balance-tlb"].contains(mode) && !text(bond["primary"]).isEmpty {
            problems.append(("bond.primary is not available in \(mode) mode", bond["primary"]))
        }
        if loadBalancing && number("arpInterval") > 0 {
            problems.append(("bond.arpInterval is not available in \(mode) mode", bond["arpInterval"]))
        }
        if mode != "balance-rr" && number("packetsPerSlave") > 1 {
            problems.append(("bond.packetsPerSlave is not available in \(mode) mode", bond["packetsPerSlave"]))
        }
        if !["balance-alb", "balance-tlb"].contains(mode) && number("tlbDynamicLb") > 0 {
            problems.append(("bond.tlbDynamicTLB is not available in \(mode) mode", bond["tlbDynamicLb"]))
        }
        if mode != "802.3ad" && number("adActorSysPrio") > 0 {
            problems.append(("bond.adActorSysPrio is only available in 802.3ad mode", bond["adActorSysPrio"]))
        }
        if mode != "802.3ad" && number("adUserPortKey") > 0 {
            problems.append(("bond.adUserPortKey is only available in 802.3ad mode", bond["adUserPortKey"]))
        }
        return problems
    }

    static func wireguardProblems(_ wireguard: YAMLNode) -> [(String, YAMLNode?)] {
        var problems: [(String, YAMLNode?)] = []
        if let problem = keyProblem(text(wireguard["privateKey"])) {
            problems.append(("private key is invalid: \(problem)", wireguard["privateKey"] ?? wireguard))
        }
        for peer in wireguard["peers"]?.sequenceItems ?? [] {
            if let problem = keyProblem(text(peer["publicKey"])) {
                problems.append(("public key invalid: \(problem)", peer["publicKey"] ?? peer))
            }
            let endpoint = text(peer["endpoint"])
            if !endpoint.isEmpty && !addressContainsPort(endpoint) {
                problems.append(("peer endpoint \"\(endpoint)\" is invalid", peer["endpoint"]))
            }
            for allowed in peer["allowedIPs"]?.sequenceItems ?? [] where !IPAddressSyntax.isCIDR(text(allowed)) {
                problems.append(("peer allowed IP \"\(text(allowed))\" is invalid: invalid CIDR address: \(text(allowed))", allowed))
            }
        }
        return problems
    }

    /// A WireGuard key: standard base64 of exactly 32 bytes.
    static func keyProblem(_ key: String) -> String? {
        guard let raw = Data(base64Encoded: key) else { return "illegal base64 data in \"\(key)\"" }
        return raw.count == 32 ? nil : "wrong key \"\(key)\" length: \(raw.count)"
    }

    /// siderolabs/net `AddressContainsPort`: `host:port` (brackets around an IPv6 host), a numeric port.
    static func addressContainsPort(_ address: String) -> Bool {
        guard let colon = address.lastIndex(of: ":") else { return false }
        let host = address[..<colon], port = address[address.index(after: colon)...]
        if host.contains(":") && !(host.hasPrefix("[") && host.hasSuffix("]")) { return false }
        return !port.isEmpty && port.allSatisfy(\.isASCIIDigit)
    }

    // MARK: - Talos's CheckDeviceAddressing

    /// `cidr`'s deprecation is among the problems: a Talos warning that talhelper counts as an error.
    static func addressingProblems(_ device: YAMLNode, secondary: [String: String]) -> [(String, YAMLNode?)] {
        var problems: [(String, YAMLNode?)] = []
        let name = text(device["interface"])
        let addresses = device["addresses"]?.sequenceItems ?? []
        let cidr = text(device["cidr"])
        let vip = present(device["vip"])
        if secondary[name] != nil {
            if device["dhcp"]?.scalar?.goBool == true || !cidr.isEmpty || !addresses.isEmpty || vip != nil {
                problems.append(("[networking.os.device] \"\(name)\": bonded/bridged interface shouldn't have any addressing methods configured", device))
            }
        }
        if !addresses.isEmpty && !cidr.isEmpty {
            problems.append(("[networking.os.device] \"\(name)\": interface can't have both .cidr and .addresses set", device["cidr"]))
        }
        if !cidr.isEmpty {
            if let problem = ipOrCIDRProblem(cidr) {
                problems.append(("[networking.os.device.CIDR] \"\(name)\": \(problem)", device["cidr"]))
            }
            // Talos only warns, but talhelper adds the warnings of its device checks to its errors, so a
            // `cidr` fails talhelper's validation: the same there.
            problems.append(("\"\(name)\": machine.network.interface.cidr is deprecated, please use machine.network.interface.addresses",
                             device["cidr"]))
        }
        for address in addresses {
            if let problem = ipOrCIDRProblem(text(address)) {
                problems.append(("[networking.os.device.addresses] \"\(name)\": \(problem)", address))
            }
        }
        if let vip, !IPAddressSyntax.isIP(text(vip["ip"])) {
            problems.append(("[networking.os.device.vip] failed to parse \"\(text(vip["ip"]))\" as IP address", vip["ip"] ?? vip))
        }
        return problems
    }

    /// Talos's `validateIPOrCIDR`: with a `/` a CIDR, else an IP (Go's error wording).
    static func ipOrCIDRProblem(_ address: String) -> String? {
        if address.contains("/") {
            return IPAddressSyntax.isCIDR(address) ? nil : "invalid CIDR address: \(address)"
        }
        return IPAddressSyntax.isIP(address) ? nil : "failed to parse IP address \"\(address)\""
    }

    // MARK: - Talos's CheckDeviceRoutes

    static func routeProblems(_ device: YAMLNode) -> [(String, YAMLNode?)] {
        var problems: [(String, YAMLNode?)] = []
        for (index, route) in (device["routes"]?.sequenceItems ?? []).enumerated() {
            let at = "networking.os.device.route[\(index)]"
            let network = text(route["network"]), gateway = text(route["gateway"]), source = text(route["source"])
            if !network.isEmpty && !IPAddressSyntax.isCIDR(network) {
                problems.append(("[\(at).network] \"\(network)\": invalid network address", route["network"]))
            }
            if !gateway.isEmpty && !IPAddressSyntax.isIP(gateway) {
                problems.append(("[\(at).gateway] \"\(gateway)\": invalid network address", route["gateway"]))
            }
            if gateway.isEmpty && network.isEmpty {
                problems.append(("[\(at)]: either network or gateway should be set", route))
            }
            if !source.isEmpty && !IPAddressSyntax.isIP(source) {
                problems.append(("[\(at).source] \"\(source)\": invalid network address", route["source"]))
            }
        }
        return problems
    }

    // MARK: - Reading

    static func text(_ node: YAMLNode?) -> String { node?.scalar.map { $0.kind == .null ? "" : $0.text } ?? "" }

    /// A value that is set (not missing, not null).
    static func present(_ node: YAMLNode?) -> YAMLNode? {
        guard let node, !node.isNull else { return nil }
        return node
    }
}
