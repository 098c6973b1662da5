import Diagnostics
import Foundation
import YAML

/// talhelper's talconfig validator (`pkg/config/validate.go`, `validator.go`): the same rules, each
/// reported at the field's `file:line:col` with talhelper's field name and wording, all at once as
/// talhelper lists them. Runs on the substituted talconfig before it is read into a `TalhelperConfig`.
///
/// Not checked here (see docs/genconfig.md): whether an official extension or overlay exists for the
/// release (talhelper looks names up in its embedded Image Factory catalogue), the Kubernetes/Talos
/// version compatibility matrix, Talos's full network-device checks and that `extraManifests` files exist
/// (reading them fails at generation instead).
enum TalhelperValidator {
    static func check(_ root: YAMLNode) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        func fail(_ field: String, _ message: String, at node: YAMLNode?) {
            errors.append(.error("\(field): \(message)", at: node?.location ?? root.location))
        }
        func text(_ node: YAMLNode?) -> String { node?.scalar.map { $0.kind == .null ? "" : $0.text } ?? "" }
        /// Required means present and not empty; a value of the wrong type is the reader's error, not this one.
        func missing(_ node: YAMLNode?) -> Bool { node == nil || (node?.scalar != nil && text(node).isEmpty) }

        for key in ["clusterName", "kubernetesVersion", "endpoint"] where missing(root[key]) {
            fail(key, "\"\(key)\" is required to be not empty", at: root[key])
        }
        if let version = root["talosVersion"], !text(version).isEmpty {
            var value = text(version)
            if !value.hasPrefix("v") { value = "v" + value }
            do {
                _ = try TalosVersionContract.parse(value)
            } catch let diagnostic as Diagnostic {
                fail("talosVersion", "\"\(value)\" is not a supported Talos version (\(diagnostic.message))", at: version)
            } catch {}
        }
        if let kubernetes = root["kubernetesVersion"], !text(kubernetes).isEmpty {
            let talos = text(root["talosVersion"])
            if !talos.isEmpty && !isSemVer(talos) {
                fail("kubernetesVersion", "fix the issue on \"talosVersion\" field", at: kubernetes)
            } else if !isSemVer(text(kubernetes)) {
                fail("kubernetesVersion", "\"\(text(kubernetes))\" is not a valid Kubernetes version", at: kubernetes)
            }
        }
        if let endpoint = root["endpoint"], !text(endpoint).isEmpty, (try? EndpointURL(text(endpoint))) == nil {
            fail("endpoint", "\"\(text(endpoint))\" is not a valid endpoint URL", at: endpoint)
        }
        for key in ["clusterPodNets", "clusterSvcNets"] {
            let items = root[key]?.sequenceItems ?? []
            if let bad = items.first(where: { !IPAddressSyntax.isCIDR(text($0)) }) {
                let values = items.map { text($0) }.joined(separator: " ")
                fail(key, "[\(values)] doesn't look like list of CIDR notations (invalid CIDR \"\(text(bad))\")", at: bad)
            }
        }
        if let cni = root["cniConfig"], cni.mappingPairs != nil {
            let name = text(cni["name"])
            let urls = cni["urls"]?.sequenceItems ?? []
            if !["flannel", "custom", "none"].contains(name) {
                fail("cniConfig", "cni name should be one of [flannel, custom, none], got \"\(name)\"", at: cni["name"] ?? cni)
            } else if name == "custom" && urls.isEmpty {
                fail("cniConfig", "custom cni requires at least one URL", at: cni)
            } else if name != "custom" && !urls.isEmpty {
                fail("cniConfig", "\"\(name)\" cni should not have urls", at: cni["urls"])
            }
        }
        if (root["nodes"]?.sequenceItems ?? []).isEmpty {
            fail("nodes", "\"nodes\" is required to be not empty", at: root["nodes"])
        }
        if let domain = root["domain"], !text(domain).isEmpty, !isDomain(text(domain)) {
            fail("domain", "\"\(text(domain))\" is not a valid domain", at: domain)
        }

        for (index, node) in (root["nodes"]?.sequenceItems ?? []).enumerated() where node.mappingPairs != nil {
            let prefix = "nodes[\(index)]."
            let hostname = text(node["hostname"])
            if missing(node["hostname"]) { fail(prefix + "hostname", "\"\(prefix)hostname\" is required to be not empty", at: node["hostname"] ?? node) }
            let ipAddress = text(node["ipAddress"])
            if missing(node["ipAddress"]) { fail(prefix + "ipAddress", "\"\(prefix)ipAddress\" is required to be not empty", at: node["ipAddress"] ?? node) }
            if missing(node["installDisk"]) && (node["installDiskSelector"]?.isNull ?? true) {
                fail(prefix + "installDisk", "\"\(prefix)installDisk\" is required to be not empty", at: node)
            }
            if !ipAddress.isEmpty {
                for address in ipAddress.split(separator: ",").map({ $0.trimmingCharacters(in: [" ", "\t"]) })
                where !isDomainOrIP(address) {
                    fail(prefix + "ipAddress", "\"\(address)\" is not a valid domain or IP address", at: node["ipAddress"])
                }
            }
            if !hostname.isEmpty && !isHostname(hostname) {
                fail(prefix + "hostname", "\"\(hostname)\" is not a valid hostname", at: node["hostname"])
            }
            if let image = node["talosImageURL"], !text(image).isEmpty, let problem = imageNameProblem(text(image)) {
                fail(prefix + "talosImageURL", problem, at: image)
            }
            for (key, check) in [("nodeLabels", labelProblem), ("nodeAnnotations", annotationProblem), ("nodeTaints", taintProblem)] {
                for pair in node[key]?.mappingPairs ?? [] {
                    let name = pair.key.scalar?.text ?? ""
                    let value = text(pair.value)
                    // talhelper leaves Go-templated values to its templating step.
                    if value.contains("{{") { continue }
                    if let problem = check(name, value) { fail(prefix + key, problem, at: pair.key) }
                }
            }
            for file in node["machineFiles"]?.sequenceItems ?? [] {
                let op = text(file["op"])
                if !["create", "append", "overwrite"].contains(op) {
                    fail(prefix + "machineFiles", "\"\(op)\" is not a valid operation name (create,append,overwrite)", at: file["op"] ?? file)
                }
                let path = text(file["path"])
                if !isUnixPath(path) { fail(prefix + "machineFiles", "\"\(path)\" is not a valid Unix file path", at: file["path"] ?? file) }
            }
            if let extensions = node["schematic"]?["customization"]?["systemExtensions"]?["officialExtensions"]?.sequenceItems {
                var seen: Set<String> = []
                for item in extensions {
                    let name = text(item)
                    if !seen.insert(name).inserted { fail(prefix + "schematic", "duplicate system extension \"\(name)\"", at: item) }
                }
            }
            if let overlay = node["schematic"]?["overlay"], !(overlay.isNull) {
                if text(overlay["image"]).isEmpty != text(overlay["name"]).isEmpty {
                    fail(prefix + "schematic", "both `image` and `name` is required to be set", at: overlay)
                }
            }
            for device in node["networkInterfaces"]?.sequenceItems ?? [] {
                for route in device["routes"]?.sequenceItems ?? [] {
                    if let gateway = route["gateway"], !text(gateway).isEmpty, !IPAddressSyntax.isIP(text(gateway)) {
                        fail(prefix + "networkInterfaces", "route gateway \"\(text(gateway))\" is not a valid IP address", at: gateway)
                    }
                    if let network = route["network"], !text(network).isEmpty, !IPAddressSyntax.isCIDR(text(network)) {
                        fail(prefix + "networkInterfaces", "route network \"\(text(network))\" is not a valid CIDR", at: network)
                    }
                }
            }
            if let spec = node["machineSpec"] { errors += machineSpecProblems(spec, field: prefix + "machineSpec") }
            if let firewall = node["ingressFirewall"], !firewall.isNull {
                errors += firewallProblems(firewall, field: prefix + "ingressFirewall")
            }
        }
        return errors
    }

    private static func machineSpecProblems(_ spec: YAMLNode, field: String) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        let bootMethod = spec.string("bootMethod") ?? ""
        let suffix = spec.string("imageSuffix") ?? ""
        if !bootMethod.isEmpty && !["iso", "disk-image", "pxe"].contains(bootMethod) {
            errors.append(.error("\(field): `bootMethod` should be one of iso, disk-image, pxe", at: spec["bootMethod"]?.location))
        }
        if !suffix.isEmpty {
            let location = spec["imageSuffix"]?.location
            switch bootMethod {
            case "", "iso":
                if suffix != "iso" { errors.append(.error("\(field): `imageSuffix` for iso (default) should be iso", at: location)) }
            case "disk-image":
                let supported = ["raw.zst", "raw.xz", "raw.tar.gz", "vhd.xz", "raw.gz", "ova", "qcow2"]
                if !supported.contains(suffix) {
                    errors.append(.error("\(field): `imageSuffix` for disk-image should be one of [\(supported.joined(separator: " "))]", at: location))
                }
            case "pxe":
                errors.append(.error("\(field): `imageSuffix` for pxe should be \"\"", at: location))
            default:
                errors.append(.error("\(field): invalid `imageSuffix` and `bootMethod`", at: location))
            }
        }
        return errors
    }

    private static func firewallProblems(_ firewall: YAMLNode, field: String) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        for (index, rule) in (firewall["rules"]?.sequenceItems ?? []).enumerated() {
            if (rule.string("name") ?? "").isEmpty {
                errors.append(.error("\(field): rules[\(index)]: name is required", at: rule.location))
            }
            let selector = rule["portSelector"]
            let proto = selector?.string("protocol") ?? ""
            if !["tcp", "udp", "icmp", "icmpv6"].contains(proto) {
                errors.append(.error("\(field): rules[\(index)]: \"\(proto)\" is not a valid protocol", at: selector?["protocol"]?.location ?? rule.location))
            }
            if (selector?["ports"]?.sequenceItems ?? []).isEmpty {
                errors.append(.error("\(field): rules[\(index)]: portSelector.ports is required", at: selector?.location ?? rule.location))
            }
            for ingress in rule["ingress"]?.sequenceItems ?? [] {
                let subnet = ingress.string("subnet") ?? ""
                if !IPAddressSyntax.isCIDR(subnet) {
                    errors.append(.error("\(field): rules[\(index)]: invalid subnet: \(subnet)", at: ingress["subnet"]?.location ?? ingress.location))
                }
                if let except = ingress.string("except"), !except.isEmpty, !IPAddressSyntax.isCIDR(except) {
                    errors.append(.error("\(field): rules[\(index)]: invalid except: \(except)", at: ingress["except"]?.location))
                }
            }
        }
        let action = firewall.string("defaultAction") ?? ""
        if !["accept", "block"].contains(action) {
            errors.append(.error("\(field): \"\(action)\" is not a valid default action", at: firewall["defaultAction"]?.location ?? firewall.location))
        }
        return errors
    }

    // MARK: - talhelper's predicates

    private static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// RFC 1123 labels joined by dots, at most 255 characters (talhelper's `isHostname`).
    static func isHostname(_ name: String) -> Bool {
        guard (1...255).contains(name.count) else { return false }
        return name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard (1...63).contains(label.count), let first = label.first, let last = label.last,
                  isAlnum(first), isAlnum(last) else { return false }
            return label.allSatisfy { isAlnum($0) || $0 == "-" }
        }
    }

    /// talhelper's `isDomain`: labels of `[A-Za-z0-9_]` then up to 62 of `[A-Za-z0-9_-]`, an optional trailing dot.
    static func isDomain(_ domain: String) -> Bool {
        guard !domain.isEmpty, domain.count - domain.filter({ $0 == "." }).count <= 255 else { return false }
        var body = Substring(domain)
        if body.hasSuffix(".") || body.hasSuffix("_") { body = body.dropLast() }
        guard !body.isEmpty else { return false }
        return body.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, isAlnum(first) || first == "_", label.count <= 63 else { return false }
            return label.allSatisfy { isAlnum($0) || $0 == "_" || $0 == "-" }
        }
    }

    /// talhelper's `isDomainOrIP` (its domain pattern also takes a dotted number such as `1.2.3.4.5`).
    static func isDomainOrIP(_ address: String) -> Bool { IPAddressSyntax.isIP(address) || isDomain(address) }

    /// talhelper's `isSemVer`: `[v]MAJOR.MINOR.PATCH[-pre][+build]`.
    static func isSemVer(_ version: String) -> Bool {
        var text = Substring(version.hasPrefix("v") ? String(version.dropFirst()) : version)
        if let plus = text.firstIndex(of: "+") { text = text[..<plus] }
        if let dash = text.firstIndex(of: "-") {
            guard !text[text.index(after: dash)...].isEmpty else { return false }
            text = text[..<dash]
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 3 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) && ($0 == "0" || $0.first != "0") }
    }

    /// A Unix path as gookit/validate's `IsUnixPath` reads it: absolute, no NUL.
    static func isUnixPath(_ path: String) -> Bool { path.hasPrefix("/") && !path.contains("\0") }

    /// talhelper wants an image name without tag or digest (it appends `:<talosVersion>` itself).
    static func imageNameProblem(_ reference: String) -> String? {
        if reference.contains("@") { return "should not contains version or digest" }
        let lastComponent = reference.split(separator: "/").last.map(String.init) ?? reference
        if lastComponent.contains(":") { return "should not contains version or digest" }
        if reference != reference.lowercased() || reference.contains(" ") {
            return "invalid reference format: repository name must be lowercase"
        }
        return nil
    }

    /// Kubernetes' qualified names: `[prefix/]name`, name ≤ 63 of alphanumerics, `-`, `_`, `.`, alphanumeric at both ends.
    static func qualifiedNameProblem(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "\"\(key)\": a qualified name must consist of an optional DNS prefix and a name" }
        if parts.count == 2 {
            let prefix = String(parts[0])
            if prefix.isEmpty || prefix.count > 253 || !prefix.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({ isHostname(String($0)) }) {
                return "\"\(key)\": prefix part must be a lowercase RFC 1123 subdomain"
            }
        }
        let name = String(parts.last!)
        if !isLabelValue(name) || name.isEmpty { return "\"\(key)\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character" }
        return nil
    }

    static func isLabelValue(_ value: String) -> Bool {
        if value.isEmpty { return true }
        guard value.count <= 63, let first = value.first, let last = value.last, isAlnum(first), isAlnum(last) else { return false }
        return value.allSatisfy { isAlnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    static func labelProblem(_ key: String, _ value: String) -> String? {
        if let problem = qualifiedNameProblem(key) { return problem }
        if !isLabelValue(value) { return "\"\(value)\": a label value must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character" }
        return nil
    }

    static func annotationProblem(_ key: String, _ value: String) -> String? { qualifiedNameProblem(key) }

    /// A taint is `[value:]Effect` with Kubernetes' effects.
    static func taintProblem(_ key: String, _ value: String) -> String? {
        if let problem = qualifiedNameProblem(key) { return problem }
        let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let effect = parts.last ?? ""
        if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) {
            return "\"\(key)\": invalid taint effect \"\(effect)\" (expected NoSchedule, PreferNoSchedule or NoExecute)"
        }
        if parts.count == 2 && !isLabelValue(parts[0]) { return "\"\(key)\": invalid taint value \"\(parts[0])\"" }
        return nil
    }
}
