import Diagnostics
import Talos
import YAML

/// Checks a parsed talenv.yaml against the contract (talos/talenv.schema.json) and reports every
/// problem at once, each at the position of the offending value.
///
/// Unknown keys are not errors: they pass through to the templates untouched.
public struct TalenvValidator {
    public let file: String
    private var diagnostics: [Diagnostic] = []
    /// The Talos minor the extension names are checked against (nil: `talosVersion` is not one talos-batch
    /// supports, which is reported on its own).
    private var extensionMinor: Int?

    public init(file: String) {
        self.file = file
    }

    /// Every problem of the document, in source order.
    public static func check(_ root: YAMLNode, file: String) -> [Diagnostic] {
        var validator = TalenvValidator(file: file)
        validator.checkRoot(root)
        return validator.diagnostics.sorted { lhs, rhs in
            let l = lhs.location, r = rhs.location
            return (l?.line ?? 0, l?.column ?? 0) < (r?.line ?? 0, r?.column ?? 0)
        }
    }

    // MARK: - The document

    private mutating func checkRoot(_ root: YAMLNode) {
        guard root.mappingPairs != nil else {
            error(at: root, "expected a mapping of cluster settings, found \(Self.describe(root))")
            return
        }
        checkDuplicateKeys(root, path: "")
        if let name = requiredString(root, "clusterName", path: "clusterName") {
            if !Hostname.isValid(name.value) {
                error(at: name.node, "`clusterName`: expected a lower-case RFC 1123 name (letters, digits, '-', '.'), found \"\(name.value)\"; it names the node config files")
            }
        }
        if let endpoint = requiredString(root, "endpoint", path: "endpoint") {
            checkEndpoint(endpoint.value, at: endpoint.node)
        }
        var versions: [String: String] = [:]
        for key in ["talosVersion", "kubernetesVersion"] {
            guard let version = requiredString(root, key, path: key) else { continue }
            if !Self.isVersion(version.value) {
                error(at: version.node, "`\(key)`: expected a version like v1.11.5, found \"\(version.value)\"")
            } else {
                versions[key] = version.value
            }
        }
        checkReleases(root, talos: versions["talosVersion"], kubernetes: versions["kubernetesVersion"])
        if let domain = optionalString(root, "domain", path: "domain") {
            if domain.value.isEmpty {
                error(at: domain.node, "`domain`: expected a DNS domain, found an empty string")
            } else if !DomainNameSyntax.isValid(domain.value) {
                error(at: domain.node, "`domain`: expected a DNS domain like cluster.local, found \"\(domain.value)\"")
            }
        }
        for key in ["clusterPodNets", "clusterSvcNets"] {
            if let items = optionalSequence(root, key, path: key) {
                for (index, item) in items.enumerated() {
                    checkCIDR(item, path: "\(key)[\(index)]")
                }
            }
        }
        if let sans = optionalSequence(root, "additionalApiServerCertSans", path: "additionalApiServerCertSans") {
            for (index, item) in sans.enumerated() {
                // An empty SAN would be an empty DNS name in the API server's certificate (the schema's minLength).
                if let san = stringValue(item, path: "additionalApiServerCertSans[\(index)]"), san.allSatisfy(\.isWhitespace) {
                    error(at: item, "`additionalApiServerCertSans[\(index)]`: expected a host name or address, found an empty string")
                }
            }
        }
        _ = optionalBool(root, "allowSchedulingOnControlPlanes", path: "allowSchedulingOnControlPlanes")
        if let items = optionalSequence(root, "systemExtensions", path: "systemExtensions") {
            checkOfficialExtensions(items, path: "systemExtensions")
        }
        if let items = optionalSequence(root, "extraKernelArgs", path: "extraKernelArgs") {
            for (index, item) in items.enumerated() { _ = stringValue(item, path: "extraKernelArgs[\(index)]") }
        }
        checkNodes(root)
    }

    private mutating func checkNodes(_ root: YAMLNode) {
        guard let nodesValue = root["nodes"] else {
            error(at: root, "missing required key `nodes` (a list of the cluster's machines)")
            return
        }
        guard let nodes = nodesValue.sequenceItems else {
            error(at: nodesValue, "`nodes`: expected a list of nodes, found \(Self.describe(nodesValue))")
            return
        }
        if nodes.isEmpty {
            error(at: nodesValue, "`nodes`: expected at least one node, found an empty list")
            return
        }
        var hostnames: [String: YAMLNode] = [:]
        var addresses: [IPAddress: YAMLNode] = [:]
        var controlPlanes = 0
        for (index, node) in nodes.enumerated() {
            let path = "nodes[\(index)]"
            guard node.mappingPairs != nil else {
                error(at: node, "`\(path)`: expected a mapping describing a node, found \(Self.describe(node))")
                continue
            }
            checkDuplicateKeys(node, path: path + ".")
            if let hostname = requiredString(node, "hostname", path: path + ".hostname") {
                // A valid host name never escapes the folder, so the costlier escape test runs only to word
                // the error for an invalid one.
                if !Hostname.isValid(hostname.value) {
                    if Hostname.escapesFolder(hostname.value) {
                        error(at: hostname.node, "`\(path).hostname`: \"\(hostname.value)\" would escape the cluster folder as a file name")
                    } else {
                        error(at: hostname.node, "`\(path).hostname`: expected a lower-case RFC 1123 host name (letters, digits, '-', '.'), found \"\(hostname.value)\"")
                    }
                } else if let first = hostnames[hostname.value] {
                    error(at: hostname.node, "`\(path).hostname`: duplicate host name \"\(hostname.value)\" (first used at line \(Self.line(first)))")
                } else {
                    hostnames[hostname.value] = hostname.node
                }
            }
            if let ip = requiredString(node, "ipAddress", path: path + ".ipAddress") {
                if let address = IPAddress(ip.value) {
                    if let first = addresses[address] {
                        error(at: ip.node, "`\(path).ipAddress`: duplicate address \(ip.value) (first used at line \(Self.line(first)))")
                    } else {
                        addresses[address] = ip.node
                    }
                } else {
                    error(at: ip.node, "`\(path).ipAddress`: expected an IPv4 or IPv6 address, found \"\(ip.value)\"")
                }
            }
            if let controlPlane = requiredBool(node, "controlPlane", path: path + ".controlPlane"), controlPlane {
                controlPlanes += 1
            }
            checkInstallDisk(node, path: path)
            checkNetworkInterfaces(node, path: path)
            if let flag = node["controlPlane"]?.scalar, flag.kind == .bool, flag.text.lowercased() == "false" {
                // Talos refuses a worker's config with a shared IP.
                for nic in node["networkInterfaces"]?.sequenceItems ?? [] {
                    if let vip = nic["vip"] {
                        error(at: vip, "`\(path)`: a virtual (shared) IP (`vip`) is not allowed on a worker node; move it to the control planes")
                    }
                }
            }
            if let labels = node["nodeLabels"] {
                checkKubernetesMap(labels, path: "\(path).nodeLabels", value: KubernetesLabelSyntax.problem(withValue:))
            }
            if let taints = node["nodeTaints"] {
                checkKubernetesMap(taints, path: "\(path).nodeTaints") { KubernetesLabelSyntax.problem(withTaint: String($0)) }
            }
            if let patches = optionalSequence(node, "patches", path: path + ".patches") {
                for (patchIndex, patch) in patches.enumerated() {
                    _ = stringValue(patch, path: "\(path).patches[\(patchIndex)]")
                }
            }
            if let schematic = node["schematic"] {
                if schematic.mappingPairs == nil {
                    error(at: schematic, "`\(path).schematic`: expected an Image Factory schematic mapping, found \(Self.describe(schematic))")
                } else if schematic["customization"]?.mappingPairs == nil {
                    error(at: schematic, "`\(path).schematic`: expected a `customization` mapping (systemExtensions, extraKernelArgs)")
                } else if let extensions = schematic["customization"]?["systemExtensions"]?["officialExtensions"] {
                    let extensionsPath = "\(path).schematic.customization.systemExtensions.officialExtensions"
                    if let items = extensions.sequenceItems {
                        checkOfficialExtensions(items, path: extensionsPath)
                    } else {
                        error(at: extensions, "`\(extensionsPath)`: expected a list, found \(Self.describe(extensions))")
                    }
                }
            }
        }
        if controlPlanes == 0 {
            let key = root.mappingPairs?.first { $0.key.scalar?.text == "nodes" }?.key ?? nodesValue
            error(at: key, "`nodes`: no control-plane node; mark at least one node with `controlPlane: true`")
        }
    }

    private mutating func checkInstallDisk(_ node: YAMLNode, path: String) {
        let disk = node["installDisk"], selector = node["installDiskSelector"]
        switch (disk, selector) {
        case (nil, nil):
            error(at: node, "`\(path)`: missing `installDisk` or `installDiskSelector`")
        case (.some, .some):
            error(at: selector!, "`\(path)`: set either `installDisk` or `installDiskSelector`, not both")
        case (.some(let disk), nil):
            if let value = stringValue(disk, path: path + ".installDisk"), !value.hasPrefix("/") {
                error(at: disk, "`\(path).installDisk`: expected a device path like /dev/sda, found \"\(value)\"")
            }
        case (nil, .some(let selector)):
            guard let pairs = selector.mappingPairs, !pairs.isEmpty else {
                error(at: selector, "`\(path).installDiskSelector`: expected a non-empty mapping (size, model, type, …), found \(Self.describe(selector))")
                return
            }
            for pair in pairs where pair.value.scalar == nil || pair.value.scalar?.kind == .null {
                error(at: pair.value, "`\(path).installDiskSelector.\(pair.key.scalar?.text ?? "?")`: expected a scalar, found \(Self.describe(pair.value))")
            }
            // What Talos's disk match expression refuses (talhelper's checkNodeInstallDiskSelector).
            if let name = selector["name"] {
                error(at: name, "`\(path).installDiskSelector.name`: a disk cannot be selected by name; use `installDisk` or another field (size, model, type, …)")
            }
            if let type = selector["type"]?.scalar, type.kind == .string, !Self.diskTypes.contains(type.text), let node = selector["type"] {
                error(at: node, "`\(path).installDiskSelector.type`: expected one of \(Self.diskTypes.joined(separator: ", ")), found \"\(type.text)\"")
            }
        }
    }

    private mutating func checkNetworkInterfaces(_ node: YAMLNode, path: String) {
        guard let interfaces = optionalSequence(node, "networkInterfaces", path: path + ".networkInterfaces") else { return }
        for (index, nic) in interfaces.enumerated() {
            let nicPath = "\(path).networkInterfaces[\(index)]"
            guard nic.mappingPairs != nil else {
                error(at: nic, "`\(nicPath)`: expected a mapping, found \(Self.describe(nic))")
                continue
            }
            let name = optionalString(nic, "interface", path: nicPath + ".interface")
            if let selector = nic["deviceSelector"] {
                checkStringMap(selector, path: nicPath + ".deviceSelector")
                if name != nil {
                    error(at: selector, "`\(nicPath)`: set either `interface` or `deviceSelector`, not both")
                }
            } else if name == nil, nic["interface"] == nil {
                error(at: nic, "`\(nicPath)`: missing `interface` or `deviceSelector`")
            }
            _ = optionalBool(nic, "dhcp", path: nicPath + ".dhcp")
            if let mtu = nic["mtu"] {
                if mtu.scalar?.kind != .int {
                    error(at: mtu, "`\(nicPath).mtu`: expected an integer, found \(Self.describe(mtu))")
                } else if let text = mtu.scalar?.text, !(Int(text).map(Self.mtuRange.contains) ?? false) {
                    // 576 is the smallest datagram every IPv4 host must accept; the kernel keeps an MTU in 32 bits.
                    error(at: mtu, "`\(nicPath).mtu`: expected an MTU from \(Self.mtuRange.lowerBound) to \(Self.mtuRange.upperBound), found \(text)")
                }
            }
            if let addresses = optionalSequence(nic, "addresses", path: nicPath + ".addresses") {
                for (addressIndex, address) in addresses.enumerated() {
                    checkCIDR(address, path: "\(nicPath).addresses[\(addressIndex)]")
                }
            }
            if let routes = optionalSequence(nic, "routes", path: nicPath + ".routes") {
                for (routeIndex, route) in routes.enumerated() {
                    let routePath = "\(nicPath).routes[\(routeIndex)]"
                    guard route.mappingPairs != nil else {
                        error(at: route, "`\(routePath)`: expected a mapping with network and gateway, found \(Self.describe(route))")
                        continue
                    }
                    if let network = route["network"] {
                        checkCIDR(network, path: routePath + ".network")
                    } else {
                        error(at: route, "`\(routePath)`: missing required key `network`")
                    }
                    if let gateway = requiredString(route, "gateway", path: routePath + ".gateway"), IPAddress(gateway.value) == nil {
                        error(at: gateway.node, "`\(routePath).gateway`: expected an IPv4 or IPv6 address, found \"\(gateway.value)\"")
                    }
                }
            }
            if let vip = nic["vip"] {
                if vip.mappingPairs == nil {
                    error(at: vip, "`\(nicPath).vip`: expected a mapping with `ip`, found \(Self.describe(vip))")
                } else if let ip = requiredString(vip, "ip", path: nicPath + ".vip.ip"), IPAddress(ip.value) == nil {
                    error(at: ip.node, "`\(nicPath).vip.ip`: expected an IPv4 or IPv6 address, found \"\(ip.value)\"")
                }
            }
        }
    }

    /// The disk types Talos's install disk selector matches.
    static let diskTypes = ["nvme", "sd", "hdd", "ssd"]

    /// The talenv contract's bounds for a link MTU (talos/talenv.schema.json).
    static let mtuRange = 576...Int(UInt32.max)

    /// A Talos release talos-batch supports, and a Kubernetes release it can run (Talos's compatibility
    /// matrix, as talhelper checks it), each reported at its own value. The supported release's minor is
    /// the one the extension names are checked against.
    private mutating func checkReleases(_ root: YAMLNode, talos: String?, kubernetes: String?) {
        guard let talos, let talosNode = root["talosVersion"] else { return }
        let release = talos.hasPrefix("v") ? talos : "v" + talos
        do {
            extensionMinor = try TalosVersionContract.parse(release).minor
        } catch let problem {
            error(at: talosNode, "`talosVersion`: \((problem as? Diagnostic)?.message ?? "\(problem)")")
            return
        }
        if let kubernetes, let kubernetesNode = root["kubernetesVersion"],
           let problem = KubernetesCompatibility.problem(kubernetes: kubernetes, talos: release) {
            error(at: kubernetesNode, "`kubernetesVersion`: \(problem)")
        }
    }

    /// Official extensions of an Image Factory schematic: strings, no duplicates, and names the Talos
    /// release ships (talhelper's catalogue check on node schematics, applied to the talenv values too).
    private mutating func checkOfficialExtensions(_ items: [YAMLNode], path: String) {
        var seen: Set<String> = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            guard let name = stringValue(item, path: itemPath) else { continue }
            if !seen.insert(name).inserted {
                error(at: item, "`\(itemPath)`: duplicate system extension \"\(name)\"")
            } else if let minor = extensionMinor, !OfficialExtensionCatalogue.isOfficialExtension(name, minor: minor) {
                var message = "`\(itemPath)`: \"\(name)\" is not an official extension of Talos v1.\(minor)"
                if let range = OfficialExtensionCatalogue.shippingRange(ofExtension: name) {
                    message += " (it ships with Talos v1.\(range.lowerBound) to v1.\(range.upperBound))"
                } else if let closest = OfficialExtensionCatalogue.closest(to: name, among: OfficialExtensionCatalogue.extensionNames(minor: minor)) {
                    message += " (did you mean \"\(closest)\"?)"
                }
                error(at: item, message)
            }
        }
    }

    // MARK: - Field helpers

    private mutating func checkEndpoint(_ value: String, at node: YAMLNode) {
        guard value.hasPrefix("https://") else {
            error(at: node, "`endpoint`: expected an https:// URL of the Kubernetes API, found \"\(value)\"")
            return
        }
        let rest = value.dropFirst("https://".count)
        let authority = rest.prefix { $0 != "/" }
        var host = Substring(authority)
        if host.hasPrefix("[") {
            // [v6]:port
            guard let close = host.firstIndex(of: "]"), IPAddress(host[host.index(after: host.startIndex)..<close]) != nil else {
                error(at: node, "`endpoint`: bad IPv6 host in \"\(value)\"")
                return
            }
            host = host[..<host.index(after: close)]
            let port = authority.dropFirst(host.count)
            if !port.isEmpty, !Self.isPort(port.dropFirst()) || !port.hasPrefix(":") {
                error(at: node, "`endpoint`: bad port in \"\(value)\"")
            }
            return
        }
        if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            if !Self.isPort(authority[authority.index(after: colon)...]) {
                error(at: node, "`endpoint`: bad port in \"\(value)\"")
                return
            }
        }
        if host.isEmpty || !(IPAddress(host) != nil || Hostname.isValid(String(host).lowercased())) {
            error(at: node, "`endpoint`: expected a host name or address after https://, found \"\(value)\"")
        }
    }

    private mutating func checkCIDR(_ node: YAMLNode, path: @autoclosure () -> String) {
        guard let text = stringValue(node, path: path()) else { return }
        if CIDR(text) == nil {
            error(at: node, "`\(path())`: expected a CIDR like 10.244.0.0/16 or fd00::/56, found \"\(text)\"")
        }
    }

    private mutating func checkStringMap(_ node: YAMLNode, path: @autoclosure () -> String) {
        guard let pairs = node.mappingPairs else {
            error(at: node, "`\(path())`: expected a mapping of names to strings, found \(Self.describe(node))")
            return
        }
        for pair in pairs {
            let key = pair.key.scalar?.text ?? "?"
            if pair.value.scalar?.kind != .string {
                error(at: pair.value, "`\(path()).\(key)`: expected a string, found \(Self.describe(pair.value)); quote it")
            }
        }
    }

    /// A string map whose keys are Kubernetes qualified names and whose values pass `value`'s check.
    private mutating func checkKubernetesMap(_ node: YAMLNode, path: @autoclosure () -> String, value check: (Substring) -> String?) {
        checkStringMap(node, path: path())
        for pair in node.mappingPairs ?? [] {
            guard let key = pair.key.scalar?.text else { continue }
            if let problem = KubernetesLabelSyntax.problem(withKey: key) {
                error(at: pair.key, "`\(path())`: invalid key \"\(key)\": \(problem)")
            }
            if pair.value.scalar?.kind == .string, let text = pair.value.scalar?.text, let problem = check(Substring(text)) {
                error(at: pair.value, "`\(path()).\(key)`: invalid value \"\(text)\": \(problem)")
            }
        }
    }

    private mutating func checkDuplicateKeys(_ node: YAMLNode, path: @autoclosure () -> String) {
        // A node has a handful of keys: comparing each with the earlier ones (String equality, as a Set
        // uses) costs less than hashing them all. A large mapping is hashed (no quadratic work).
        let keys = (node.mappingPairs ?? []).map { $0.key.scalar?.text }
        var seen: Set<String>? = keys.count > 32 ? [] : nil
        for (index, key) in keys.enumerated() {
            guard let key else { continue }
            let repeated: Bool
            if seen != nil {
                repeated = !seen!.insert(key).inserted
            } else {
                repeated = keys[..<index].contains { $0 == key }
            }
            if repeated { error(at: node.mappingPairs![index].key, "`\(path())\(key)`: duplicate key") }
        }
    }

    private mutating func requiredString(_ parent: YAMLNode, _ key: String, path: @autoclosure () -> String) -> (value: String, node: YAMLNode)? {
        guard let node = parent[key] else {
            error(at: parent, "missing required key `\(path())`")
            return nil
        }
        guard let value = stringValue(node, path: path()) else { return nil }
        return (value, node)
    }

    private mutating func optionalString(_ parent: YAMLNode, _ key: String, path: @autoclosure () -> String) -> (value: String, node: YAMLNode)? {
        guard let node = parent[key], let value = stringValue(node, path: path()) else { return nil }
        return (value, node)
    }

    private mutating func stringValue(_ node: YAMLNode, path: @autoclosure () -> String) -> String? {
        guard let scalar = node.scalar, scalar.kind == .string else {
            error(at: node, "`\(path())`: expected a string, found \(Self.describe(node))")
            return nil
        }
        return scalar.text
    }

    private mutating func requiredBool(_ parent: YAMLNode, _ key: String, path: @autoclosure () -> String) -> Bool? {
        guard parent[key] != nil else {
            error(at: parent, "missing required key `\(path())` (true or false)")
            return nil
        }
        return optionalBool(parent, key, path: path())
    }

    private mutating func optionalBool(_ parent: YAMLNode, _ key: String, path: @autoclosure () -> String) -> Bool? {
        guard let node = parent[key] else { return nil }
        guard let scalar = node.scalar, scalar.kind == .bool else {
            error(at: node, "`\(path())`: expected true or false, found \(Self.describe(node))")
            return nil
        }
        return scalar.text.lowercased() == "true"
    }

    private mutating func optionalSequence(_ parent: YAMLNode, _ key: String, path: @autoclosure () -> String) -> [YAMLNode]? {
        guard let node = parent[key] else { return nil }
        guard let items = node.sequenceItems else {
            error(at: node, "`\(path())`: expected a list, found \(Self.describe(node))")
            return nil
        }
        return items
    }

    private mutating func error(at node: YAMLNode, _ message: String) {
        diagnostics.append(.error(message, at: node.location ?? SourceLocation(file: file, line: 1, column: 1)))
    }

    // MARK: - Descriptions

    static func describe(_ node: YAMLNode) -> String {
        switch node.content {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            switch scalar.kind {
            case .string: return "the string \"\(scalar.text)\""
            case .int: return "the integer \(scalar.text)"
            case .float: return "the number \(scalar.text)"
            case .bool: return "the boolean \(scalar.text)"
            case .null: return "null"
            }
        }
    }

    static func line(_ node: YAMLNode) -> Int { node.location?.line ?? 0 }

    static func isVersion(_ text: String) -> Bool {
        let body = text.hasPrefix("v") ? text.dropFirst() : Substring(text)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    static func isPort(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(text) else { return false }
        return (1...65535).contains(port)
    }
}
