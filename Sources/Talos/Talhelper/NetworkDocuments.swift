import FoundationEssentials
import Glibc
import Diagnostics
import SystemKit
import YAML

/// talhelper's translation of `networkInterfaces` into Talos v1.12+ multi-document network configs, in its
/// order: link aliases for device selectors, bond member aliases, bonds, DHCPv4/v6, layer-2 VIPs, links,
/// VLANs, WireGuard, bridges.
enum NetworkDocuments {
    static func documents(for interfaces: YAMLNode) throws -> [YAMLNode] {
        var devices = interfaces.sequenceItems ?? []
        let aliases = try linkAliases(&devices)
        var bondMembers: [YAMLNode] = []
        var bonds: [YAMLNode] = []
        var dhcp: [YAMLNode] = []
        var vips: [YAMLNode] = []
        var links: [YAMLNode] = []
        var vlans: [YAMLNode] = []
        var wireguards: [YAMLNode] = []
        var bridges: [YAMLNode] = []
        for device in devices {
            let name = device.string("interface") ?? ""
            let bond = present(device["bond"])
            let bridge = present(device["bridge"])
            let wireguard = present(device["wireguard"])
            if let bond {
                var members: [String] = []
                for (index, selector) in (bond["deviceSelectors"]?.sequenceItems ?? []).enumerated() {
                    let alias = "\(name)-m\(index)"
                    members.append(alias)
                    if let expression = try celExpression(selector) { bondMembers.append(linkAlias(alias, expression)) }
                }
                bonds.append(try bondDocument(name, bond: bond, members: members, device: device))
            }
            if device.string("dhcp") == "true" { dhcp += dhcpDocuments(name, options: device["dhcpOptions"]) }
            if let ip = device["vip"]?.string("ip"), !ip.isEmpty { vips.append(vip(ip, link: name)) }
            if bond == nil && bridge == nil && wireguard == nil {
                var link = document("LinkConfig", name)
                if try addCommonLink(device, to: &link) { links.append(link) }
            }
            for vlan in device["vlans"]?.sequenceItems ?? [] {
                vlans += try vlanDocuments(vlan, parent: name)
            }
            if let wireguard { wireguards.append(try wireguardDocument(name, wireguard, device: device)) }
            if let bridge { bridges.append(try bridgeDocument(name, bridge, device: device)) }
        }
        return aliases + bondMembers + bonds + dhcp + vips + links + vlans + wireguards + bridges
    }

    private static func present(_ node: YAMLNode?) -> YAMLNode? {
        guard let node, !node.isNull else { return nil }
        return node
    }

    private static func document(_ kind: String, _ name: String) -> YAMLNode {
        .mapping([YAMLPair("apiVersion", .string("v1alpha1")), YAMLPair("kind", .string(kind)), YAMLPair("name", .string(name))])
    }

    // MARK: Device selectors

    /// Names devices that only have a selector (`bond0`, `br0`, `wg0`, `ethSel0`… avoiding names in use) and
    /// writes a `LinkAliasConfig` for every selector device.
    private static func linkAliases(_ devices: inout [YAMLNode]) throws -> [YAMLNode] {
        var used = Set(devices.compactMap { $0.string("interface") }.filter { !$0.isEmpty })
        var counters: [String: Int] = [:]
        var documents: [YAMLNode] = []
        for index in devices.indices {
            guard let selector = present(devices[index]["deviceSelector"]) else {
                if (devices[index].string("interface") ?? "").isEmpty {
                    throw Diagnostic.error("`networkInterfaces[\(index)]` needs an `interface` name or a `deviceSelector`",
                                           at: devices[index].location)
                }
                continue
            }
            var alias = devices[index].string("interface") ?? ""
            if alias.isEmpty {
                let prefix = present(devices[index]["bond"]) != nil ? "bond"
                    : present(devices[index]["bridge"]) != nil ? "br"
                    : present(devices[index]["wireguard"]) != nil ? "wg" : "ethSel"
                repeat {
                    alias = "\(prefix)\(counters[prefix, default: 0])"
                    counters[prefix, default: 0] += 1
                } while used.contains(alias)
                used.insert(alias)
                devices[index].set("interface", .string(alias))
            }
            if let expression = try celExpression(selector) { documents.append(linkAlias(alias, expression)) }
        }
        return documents
    }

    private static func linkAlias(_ name: String, _ expression: String) -> YAMLNode {
        var node = document("LinkAliasConfig", name)
        node.set("selector", .mapping([YAMLPair("match", .string(expression))]))
        return node
    }

    /// The CEL expression talhelper writes for a device selector (`LinkAliasConfig.selector.match`); nil when
    /// the selector is empty. Each value lands inside a CEL string literal, so one that would end or escape
    /// it is refused, as talhelper's CEL check refuses the expression.
    static func celExpression(_ selector: YAMLNode) throws -> String? {
        var conditions: [String] = []
        for (key, template) in [("hardwareAddr", "glob(\"%\", mac(link.hardware_addr))"),
                                ("permanentAddr", "glob(\"%\", mac(link.permanent_addr))"),
                                ("busPath", "glob(\"%\", link.bus_path)"), ("driver", "glob(\"%\", link.driver)"),
                                ("pciID", "glob(\"%\", link.pciid)")] {
            guard let value = selector.string(key), !value.isEmpty else { continue }
            if value.contains(where: { $0 == "\"" || $0 == "\\" || $0.isNewline }) {
                throw Diagnostic.error("`deviceSelector.\(key)` \"\(value)\" cannot be written into a CEL selector (no quotes, backslashes or line breaks)",
                                       at: selector[key]?.location ?? selector.location)
            }
            conditions.append(template.replacingAll("%", with: value))
        }
        if let physical = selector.string("physical") { conditions.append(physical == "true" ? "link.type == 1" : "link.type != 1") }
        return conditions.isEmpty ? nil : conditions.joined(separator: " && ")
    }

    // MARK: Bonds, bridges, WireGuard

    /// Bond option names Talos accepts; talhelper leaves out values it cannot parse.
    private static let bondEnums: [(from: String, to: String, values: Set<String>)] = [
        ("mode", "bondMode", ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"]),
        ("xmitHashPolicy", "xmitHashPolicy", ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"]),
        ("lacpRate", "lacpRate", ["slow", "fast"]),
        ("arpValidate", "arpValidate", ["none", "active", "backup", "all", "filter", "filter-active", "filter-backup"]),
        ("arpAllTargets", "arpAllTargets", ["any", "all"]),
        ("primaryReselect", "primaryReselect", ["always", "better", "failure"]),
        ("failOverMac", "failOverMac", ["none", "active", "follow"]),
        ("adSelect", "adSelect", ["stable", "bandwidth", "count"]),
    ]

    private static let bondNumbers: [(from: String, to: String)] = [
        ("miimon", "miimon"), ("updelay", "updelay"), ("downdelay", "downdelay"), ("arpInterval", "arpInterval"),
        ("resendIgmp", "resendIGMP"), ("minLinks", "minLinks"), ("lpInterval", "lpInterval"),
        ("packetsPerSlave", "packetsPerSlave"), ("numPeerNotif", "numPeerNotif"), ("tlbDynamicLb", "tlbLogicalLb"),
        ("allSlavesActive", "allSlavesActive"), ("adActorSysPrio", "adActorSysPrio"), ("adUserPortKey", "adUserPortKey"),
        ("peerNotifyDelay", "peerNotifDelay"),
    ]

    private static func bondDocument(_ name: String, bond: YAMLNode, members: [String], device: YAMLNode) throws -> YAMLNode {
        var node = document("BondConfig", name)
        let links = (bond["interfaces"]?.sequenceItems?.compactMap(\.scalar?.text) ?? []) + members
        if !links.isEmpty { node.set("links", .strings(links)) }
        for option in bondEnums {
            if let value = bond.string(option.from), option.values.contains(value) { node.set(option.to, .string(value)) }
        }
        for option in bondNumbers {
            if let value = Int(bond.string(option.from) ?? ""), value > 0 { node.set(option.to, .int(value)) }
        }
        if let carrier = bond.string("useCarrier") { node.set("useCarrier", .bool(carrier == "true")) }
        let targets = bond["arpIPTarget"]?.sequenceItems?.compactMap(\.scalar?.text) ?? []
        for target in targets where !IPAddressSyntax.isIP(target) {
            throw Diagnostic.error("invalid bond arpIPTarget \"\(target)\"", at: bond["arpIPTarget"]?.location)
        }
        if !targets.isEmpty { node.set("arpIpTargets", .strings(targets)) }
        _ = try addCommonLink(device, to: &node)
        return node
    }

    private static func bridgeDocument(_ name: String, _ bridge: YAMLNode, device: YAMLNode) throws -> YAMLNode {
        var node = document("BridgeConfig", name)
        let links = bridge["interfaces"]?.sequenceItems?.compactMap(\.scalar?.text) ?? []
        if !links.isEmpty { node.set("links", .strings(links)) }
        if let stp = bridge["stp"]?.string("enabled") { node.set("stp", .mapping([YAMLPair("enabled", .bool(stp == "true"))])) }
        if bridge["vlan"]?.string("vlanFiltering") == "true" {
            node.set("vlan", .mapping([YAMLPair("filtering", .bool(true))]))
        }
        _ = try addCommonLink(device, to: &node)
        return node
    }

    private static func wireguardDocument(_ name: String, _ wireguard: YAMLNode, device: YAMLNode) throws -> YAMLNode {
        var node = document("WireguardConfig", name)
        if let key = wireguard.string("privateKey"), !key.isEmpty { node.set("privateKey", .string(key)) }
        for key in ["listenPort", "firewallMark"] {
            if let value = Int(wireguard.string(key) ?? ""), value > 0 { node.set(key, .int(value)) }
        }
        var peers: [YAMLNode] = []
        for peer in wireguard["peers"]?.sequenceItems ?? [] {
            var pairs: [YAMLPair] = []
            if let key = peer.string("publicKey"), !key.isEmpty { pairs.append(YAMLPair("publicKey", .string(key))) }
            if let endpoint = peer.string("endpoint"), isAddressAndPort(endpoint) { pairs.append(YAMLPair("endpoint", .string(endpoint))) }
            if let interval = peer.string("persistentKeepaliveInterval"), !interval.isEmpty, interval != "0s", interval != "0" {
                pairs.append(YAMLPair("persistentKeepaliveInterval", .string(interval)))
            }
            let allowed = (peer["allowedIPs"]?.sequenceItems?.compactMap(\.scalar?.text) ?? []).filter(IPAddressSyntax.isCIDR)
            if !allowed.isEmpty { pairs.append(YAMLPair("allowedIPs", .strings(allowed))) }
            peers.append(.mapping(pairs))
        }
        if !peers.isEmpty { node.set("peers", .sequence(peers)) }
        _ = try addCommonLink(device, to: &node)
        return node
    }

    /// `IP:port` or `[IPv6]:port` (Go's netip.ParseAddrPort; host names are not accepted).
    private static func isAddressAndPort(_ text: String) -> Bool {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            return false
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
            return IPAddressSyntax.isIPv6(host)
        }
        return IPAddressSyntax.isIPv4(host)
    }

    // MARK: Addresses, DHCP, VIPs, VLANs

    private static func vip(_ ip: String, link: String) -> YAMLNode {
        var node = document("Layer2VIPConfig", ip)
        node.set("link", .string(link))
        return node
    }

    /// DHCPv4 unless `dhcpOptions.ipv4: false`, DHCPv6 when `dhcpOptions.ipv6: true`, with the route metric.
    private static func dhcpDocuments(_ name: String, options: YAMLNode?) -> [YAMLNode] {
        var result: [YAMLNode] = []
        let metric = Int(options?.string("routeMetric") ?? "") ?? 0
        for (kind, enabled) in [("DHCPv4Config", options?.string("ipv4") != "false"), ("DHCPv6Config", options?.string("ipv6") == "true")]
        where enabled {
            var node = document(kind, name)
            if metric > 0 { node.set("routeMetric", .int(metric)) }
            result.append(node)
        }
        return result
    }

    /// Addresses, routes and MTU; false when the device has none of them.
    private static func addCommonLink(_ device: YAMLNode, to link: inout YAMLNode) throws -> Bool {
        let addresses = try (device["addresses"]?.sequenceItems ?? []).map { item -> YAMLNode in
            .mapping([YAMLPair("address", .string(try prefix(item)))])
        }
        let routes = try (device["routes"]?.sequenceItems ?? []).map(route)
        let mtu = Int(device.string("mtu") ?? "") ?? 0
        guard !addresses.isEmpty || !routes.isEmpty || mtu > 0 else { return false }
        if !addresses.isEmpty { link.set("addresses", .sequence(addresses)) }
        if !routes.isEmpty { link.set("routes", .sequence(routes)) }
        if mtu > 0 { link.set("mtu", .int(mtu)) }
        return true
    }

    private static func vlanDocuments(_ vlan: YAMLNode, parent: String) throws -> [YAMLNode] {
        guard let id = Int(vlan.string("vlanId") ?? ""), id > 0 else { return [] }
        let name = "\(parent).\(id)"
        var node = document("VLANConfig", name)
        node.set("vlanID", .int(id))
        node.set("parent", .string(parent))
        _ = try addCommonLink(vlan, to: &node)
        var result = [node]
        if vlan.string("dhcp") == "true" { result += dhcpDocuments(name, options: vlan["dhcpOptions"]) }
        if let ip = vlan["vip"]?.string("ip"), !ip.isEmpty { result.append(vip(ip, link: name)) }
        return result
    }

    /// An address as a prefix; a bare address gets /32 or /128.
    private static func prefix(_ item: YAMLNode) throws -> String {
        let text = item.scalar?.text ?? ""
        if IPAddressSyntax.isCIDR(text) { return text }
        if IPAddressSyntax.isIPv4(text) { return text + "/32" }
        if IPAddressSyntax.isIPv6(text) { return text + "/128" }
        throw Diagnostic.error("invalid address \"\(text)\" (expected ADDRESS or ADDRESS/BITS)", at: item.location)
    }

    private static func route(_ item: YAMLNode) throws -> YAMLNode {
        var pairs: [YAMLPair] = []
        if let network = item.string("network"), !network.isEmpty {
            guard IPAddressSyntax.isCIDR(network) else {
                throw Diagnostic.error("invalid route network \"\(network)\"", at: item["network"]?.location ?? item.location)
            }
            if network != "0.0.0.0/0" && network != "::/0" { pairs.append(YAMLPair("destination", .string(network))) }
        }
        for key in ["gateway", "source"] {
            if let value = item.string(key), !value.isEmpty {
                guard IPAddressSyntax.isIP(value) else {
                    throw Diagnostic.error("invalid route \(key) \"\(value)\"", at: item[key]?.location ?? item.location)
                }
                pairs.append(YAMLPair(key, .string(value)))
            }
        }
        for key in ["metric", "mtu"] {
            if let value = Int(item.string(key) ?? ""), value > 0 { pairs.append(YAMLPair(key, .int(value))) }
        }
        return .mapping(pairs)
    }
}
