import Diagnostics
import YAML

/// talhelper's translation of `networkInterfaces` into Talos v1.12+ multi-document network configs:
/// `DHCPv4Config`/`DHCPv6Config`, `Layer2VIPConfig`, `LinkConfig` and `VLANConfig` documents, in that
/// order. Bonds, bridges, WireGuard and device selectors are not translated yet (an error says so).
enum NetworkDocuments {
    static func documents(for interfaces: YAMLNode) throws -> [YAMLNode] {
        let devices = interfaces.sequenceItems ?? []
        for device in devices {
            for key in ["deviceSelector", "bond", "bridge", "wireguard"] where device[key] != nil && !(device[key]!.isNull) {
                throw Diagnostic.error("`networkInterfaces[].\(key)` for Talos v1.12+ is not supported by talos-batch yet; use a patch",
                                       at: device[key]?.location ?? device.location)
            }
            guard let name = device.string("interface"), !name.isEmpty else {
                throw Diagnostic.error("`networkInterfaces[]` needs an `interface` name", at: device.location)
            }
        }
        var dhcp: [YAMLNode] = []
        var vips: [YAMLNode] = []
        var links: [YAMLNode] = []
        var vlans: [YAMLNode] = []
        for device in devices {
            let name = device.string("interface")!
            if device.string("dhcp") == "true" { dhcp += dhcpDocuments(name, options: device["dhcpOptions"]) }
            if let ip = device["vip"]?.string("ip"), !ip.isEmpty { vips.append(vip(ip, link: name)) }
            var link = document("LinkConfig", name)
            if try addCommonLink(device, to: &link) { links.append(link) }
            for vlan in device["vlans"]?.sequenceItems ?? [] {
                vlans += try vlanDocuments(vlan, parent: name)
            }
        }
        return dhcp + vips + links + vlans
    }

    private static func document(_ kind: String, _ name: String) -> YAMLNode {
        .mapping([YAMLPair("apiVersion", .string("v1alpha1")), YAMLPair("kind", .string(kind)), YAMLPair("name", .string(name))])
    }

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
