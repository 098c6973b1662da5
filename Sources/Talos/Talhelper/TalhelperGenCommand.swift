import Diagnostics

/// talhelper's `gencommand`: the `talosctl` command lines for a cluster's nodes, string for string as
/// talhelper prints them (budimanjojo/talhelper `pkg/generate/command.go`), including its node selection
/// rules and error messages.
public enum TalhelperGenCommand {
    /// The commands for `kind`, in talhelper's order. `outDir` is written into the lines as given (talhelper's
    /// `--out-dir`, default `./clusterconfig`); `node` is `-n/--node` (an IP address or a hostname, nil for
    /// all nodes); `extraFlags` are `--extra-flags`, inserted where talhelper inserts them and never quoted.
    public static func commands(_ kind: GenCommandKind, config: TalhelperConfig, outDir: String, node: String?,
                                extraFlags: [String]) throws -> [TalosctlCommand] {
        let selected = node ?? ""
        var result: [TalosctlCommand] = []
        switch kind {
        case .apply, .reset, .upgrade:
            // One line per address: the selected address only, or every address of a node picked by hostname
            // (or of every node).
            for entry in config.nodes {
                let addresses: [String]
                if !selected.isEmpty && talhelperAddresses(entry).contains(selected) {
                    addresses = [selected]
                } else if selected.isEmpty || selected == entry.hostname {
                    addresses = talhelperAddresses(entry)
                } else {
                    continue
                }
                let image = kind == .upgrade ? try upgradeImage(entry, in: config) : nil
                let file = kind == .apply ? TalhelperGenerator.outputFileName(entry, in: config) : nil
                for address in addresses {
                    var arguments = [talosconfigFlag(outDir), .generated("--nodes=" + address)]
                    if let file { arguments.append(.generated("--file=" + outDir + "/" + file)) }
                    if let image { arguments.append(.generated("--image=" + image)) }
                    arguments += extraFlags.map(CommandArgument.extra)
                    result.append(TalosctlCommand(verb: kind.verb, hostname: entry.hostname, address: address,
                                                  configFile: file, arguments: arguments))
                }
            }
        case .upgradeK8s, .bootstrap, .kubeconfig:
            // One control plane: the first one, or the selected one (which must be a control plane).
            var leading = [talosconfigFlag(outDir)]
            if kind == .upgradeK8s {
                leading.append(.generated("--to=v" + trimmingV(config.kubernetesVersion)))
            }
            for entry in config.nodes {
                let byAddress = !selected.isEmpty && talhelperAddresses(entry).contains(selected)
                let byHostname = !selected.isEmpty && selected == entry.hostname
                guard (selected.isEmpty && entry.controlPlane) || byAddress || byHostname else { continue }
                if !entry.controlPlane {
                    let what = byAddress ? "IP" : "hostname"
                    throw GenCommandError("node with \(what) \(selected) is not a controlplane node")
                }
                let address = byAddress ? selected : talhelperAddresses(entry)[0]
                let arguments = leading + extraFlags.map(CommandArgument.extra) + [.generated("--nodes=" + address)]
                result.append(TalosctlCommand(verb: kind.verb, hostname: entry.hostname, address: address,
                                              configFile: nil, arguments: arguments))
                break
            }
        case .health:
            // talhelper passes the selection itself as `--nodes` (a hostname too), and the first control
            // plane's first address when nothing is selected.
            let match = config.nodes.first { entry in
                selected.isEmpty ? entry.controlPlane : talhelperAddresses(entry).contains(selected) || selected == entry.hostname
            }
            if let match {
                let address = selected.isEmpty ? talhelperAddresses(match)[0] : selected
                let arguments = [talosconfigFlag(outDir), .generated("--nodes=" + address)] + extraFlags.map(CommandArgument.extra)
                result.append(TalosctlCommand(verb: kind.verb, hostname: match.hostname, address: address,
                                              configFile: nil, arguments: arguments))
            }
        }
        if result.isEmpty { throw GenCommandError("node with IP or hostname \(selected) not found", notFound: true) }
        return result
    }

    /// The installer image `gencommand upgrade` uses: `talosImageURL:<version>` when set, else the Image
    /// Factory's installer for the node's schematic — the empty schematic when it has none, unlike genconfig,
    /// which then writes the stock `ghcr.io/siderolabs/installer`. The ID is computed locally (talhelper's
    /// `--offline-mode`); the official factory returns the same ID for the same schematic.
    public static func upgradeImage(_ node: TalhelperNode, in config: TalhelperConfig) throws -> String {
        let version = config.talosVersion
        if !node.settings.talosImageURL.isEmpty { return node.settings.talosImageURL + ":" + version }
        let id = try SchematicID.compute(node.settings.schematic ?? .mapping([]))
        let secureboot = node.settings.machineSpec.secureboot ? "-secureboot" : ""
        return "\(config.imageFactoryRegistry)/\(node.settings.machineSpec.effectiveMode)-installer\(secureboot)/\(id):\(version)"
    }

    /// talhelper's `GetIPAddresses`: an empty `ipAddress` still yields one (empty) address.
    static func talhelperAddresses(_ node: TalhelperNode) -> [String] {
        node.ipAddress.isEmpty ? [""] : node.ipAddresses
    }

    private static func talosconfigFlag(_ outDir: String) -> CommandArgument {
        .generated("--talosconfig=" + outDir + "/talosconfig")
    }

    /// talhelper's `GetK8sVersion`: the version without its leading `v`.
    private static func trimmingV(_ version: String) -> String {
        version.hasPrefix("v") ? String(version.dropFirst()) : version
    }
}

/// A `gencommand` failure, with talhelper's message.
public struct GenCommandError: Error, CustomStringConvertible, Sendable {
    public var message: String
    /// The selected node is in none of the config's nodes (across a fleet, other clusters may have it).
    public var notFound: Bool

    init(_ message: String, notFound: Bool = false) {
        self.message = message
        self.notFound = notFound
    }

    public var description: String { message }
}
