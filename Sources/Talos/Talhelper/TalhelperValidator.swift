import Diagnostics
import FoundationEssentials
import Glibc
import SystemKit
import YAML

/// talhelper's talconfig validator (`pkg/config/validate.go`, `validator.go`): the same rules in the same
/// order, each reported at the field's `file:line:col` with talhelper's field name and wording (Talos's for
/// the checks talhelper delegates to Talos), all at once as talhelper lists them. Runs on the substituted
/// talconfig before it is read into a `TalhelperConfig`. docs/genconfig.md has the rule-by-rule table.
///
/// The per-node rules also run on the `controlPlane:` / `worker:` group defaults (talhelper's genconfig
/// validates nodes after merging their group in, so a bad group value fails there too).
enum TalhelperValidator {
    /// Errors and warnings (talhelper's deprecation warnings). With `baseDirectory`, `@file` patches,
    /// `extraManifests` and `@file` contents must exist relative to it.
    static func check(_ root: YAMLNode, baseDirectory: URL? = nil) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        func fail(_ field: String, _ message: String, at node: YAMLNode?) {
            errors.append(.error("\(field): \(message)", at: node?.location ?? root.location))
        }
        /// Required means present and not empty; a value of the wrong type is the reader's error, not this one.
        func missing(_ node: YAMLNode?) -> Bool { node == nil || (node?.scalar != nil && text(node).isEmpty) }

        // checkRequiredCfg
        for key in ["clusterName", "kubernetesVersion", "endpoint"] where missing(root[key]) {
            fail(key, "\"\(key)\" is required to be not empty", at: root[key])
        }
        if (root["nodes"]?.sequenceItems ?? []).isEmpty {
            fail("nodes", "\"nodes\" is required to be not empty", at: root["nodes"])
        }
        // checkSupportedTalosVersion (talhelper's list ends at v1.14; ours is TalosVersionContract's)
        var talosVersion = text(root["talosVersion"])
        if !talosVersion.isEmpty {
            if !talosVersion.hasPrefix("v") { talosVersion = "v" + talosVersion }
            do {
                let contract = try TalosVersionContract.parse(talosVersion)
                // talhelper warns about a release its catalogue does not list yet (a newer patch).
                let core = talosVersion.dropFirst().split(separator: ".")
                if core.count == 3, let patch = Int(core[2]), let newest = OfficialExtensionCatalogue.newestPatch[contract.minor], patch > newest {
                    errors.append(.warning("talosVersion: \"\(talosVersion)\" might not be compatible with this talos-batch version "
                                           + "(the newest v1.\(contract.minor) release its extension catalogue knows is v1.\(contract.minor).\(newest))",
                                           at: root["talosVersion"]?.location))
                }
            } catch let diagnostic as Diagnostic {
                fail("talosVersion", "\"\(talosVersion)\" is not a supported Talos version (\(diagnostic.message))", at: root["talosVersion"])
            } catch {}
        }
        // checkSupportedK8sVersion: Talos's compatibility matrix, against the default release when unset
        if let kubernetes = root["kubernetesVersion"], !text(kubernetes).isEmpty {
            if !talosVersion.isEmpty && !isSemVer(talosVersion) {
                fail("kubernetesVersion", "fix the issue on \"talosVersion\" field", at: kubernetes)
            } else if let problem = KubernetesCompatibility.problem(
                kubernetes: text(kubernetes), talos: talosVersion.isEmpty ? TalhelperConfig.defaultTalosVersion : talosVersion) {
                fail("kubernetesVersion", problem, at: kubernetes)
            }
        }
        // checkTalosEndpoint
        if let endpoint = root["endpoint"], !text(endpoint).isEmpty, (try? EndpointURL(text(endpoint))) == nil {
            fail("endpoint", "\"\(text(endpoint))\" is not a valid endpoint URL", at: endpoint)
        }
        // checkDomain
        if let domain = root["domain"], !text(domain).isEmpty, !isDomain(text(domain)) {
            fail("domain", "\"\(text(domain))\" is not a valid domain", at: domain)
        }
        // checkClusterNets
        for key in ["clusterPodNets", "clusterSvcNets"] {
            let items = root[key]?.sequenceItems ?? []
            if let bad = items.first(where: { !IPAddressSyntax.isCIDR(text($0)) }) {
                let values = items.map { "\"\(text($0))\"" }.joined(separator: " ")
                fail(key, "[\(values)] doesn't look like list of CIDR notations (invalid CIDR \"\(text(bad))\")", at: bad)
            }
        }
        // checkCNIConfig: Talos's ValidateCNI (its warning counts as an error in talhelper)
        if let cni = root["cniConfig"], cni.mappingPairs != nil {
            for (message, node) in cniProblems(cni) { fail("cniConfig", message, at: node ?? cni) }
        }
        // checkClusterInlineManifests: Talos's ClusterInlineManifests.Validate
        var manifestNames: Set<String> = []
        for manifest in root["inlineManifests"]?.sequenceItems ?? [] {
            let name = text(manifest["name"])
            if name.trimming(.whitespacesAndNewlines).isEmpty {
                fail("inlineManifests", "inline manifest name can't be empty", at: manifest["name"] ?? manifest)
            }
            if !manifestNames.insert(name).inserted {
                fail("inlineManifests", "inline manifest name \"\(name)\" is duplicate", at: manifest["name"] ?? manifest)
            }
        }

        let factoryRegistry = text(root["imageFactory"]?["registryURL"])
        let checksCatalogue = factoryRegistry.isEmpty || factoryRegistry == "factory.talos.dev"
        // A release the catalogue cannot place falls back to the default one, as talhelper falls back to its latest.
        var catalogueVersion = talosVersion.isEmpty ? TalhelperConfig.defaultTalosVersion : talosVersion
        let catalogueMinor: Int
        if let contract = try? TalosVersionContract.parse(catalogueVersion) {
            catalogueMinor = contract.minor
        } else {
            catalogueVersion = TalhelperConfig.defaultTalosVersion
            catalogueMinor = (try? TalosVersionContract.parse(catalogueVersion))?.minor ?? OfficialExtensionCatalogue.newestCataloguedMinor
        }
        let context = NodeRuleContext(checksCatalogue: checksCatalogue, talosVersion: catalogueVersion, catalogueMinor: catalogueMinor)
        for group in ["controlPlane", "worker"] {
            if let settings = root[group], settings.mappingPairs != nil {
                errors += settingsProblems(settings, field: group + ".", context: context, noSchematicValidate: settings["noSchematicValidate"])
            }
        }
        for (index, node) in (root["nodes"]?.sequenceItems ?? []).enumerated() where node.mappingPairs != nil {
            let prefix = "nodes[\(index)]."
            let hostname = text(node["hostname"])
            // checkNodeRequiredCfg
            if missing(node["hostname"]) { fail(prefix + "hostname", "\"\(prefix)hostname\" is required to be not empty", at: node["hostname"] ?? node) }
            let ipAddress = text(node["ipAddress"])
            if missing(node["ipAddress"]) { fail(prefix + "ipAddress", "\"\(prefix)ipAddress\" is required to be not empty", at: node["ipAddress"] ?? node) }
            if missing(node["installDisk"]) && (node["installDiskSelector"]?.isNull ?? true) {
                fail(prefix + "installDisk", "\"\(prefix)installDisk\" is required to be not empty", at: node)
            }
            // checkNodeIPAddress
            if !ipAddress.isEmpty {
                for address in ipAddress.split(separator: ",", omittingEmptySubsequences: false).map(trimmingWhitespace)
                where !isDomainOrIP(address) {
                    fail(prefix + "ipAddress", "\"\(address)\" is not a valid domain or IP address", at: node["ipAddress"])
                }
            }
            // checkNodeInstallDiskSelector: what Talos's DiskMatchExpression refuses
            if let selector = node["installDiskSelector"], selector.mappingPairs != nil {
                if !text(selector["name"]).isEmpty {
                    fail(prefix + "installDiskSelector", "selector on name is not supported", at: selector["name"])
                }
                let type = text(selector["type"])
                if !type.isEmpty && !["nvme", "sd", "hdd", "ssd"].contains(type) {
                    fail(prefix + "installDiskSelector", "unsupported disk type \"\(type)\"", at: selector["type"])
                }
            }
            // checkNodeHostname
            if !hostname.isEmpty && !isHostname(hostname) {
                fail(prefix + "hostname", "\"\(hostname)\" is not a valid hostname", at: node["hostname"])
            }
            // The group's value applies when the node has none (talhelper merges before validating).
            let group = node["controlPlane"]?.scalar?.goBool == true ? root["controlPlane"] : root["worker"]
            errors += settingsProblems(node, field: prefix, context: context,
                                       noSchematicValidate: node["noSchematicValidate"] ?? group?["noSchematicValidate"])
        }
        if let baseDirectory { errors += missingFileProblems(root, baseDirectory: baseDirectory) }
        return errors
    }

    struct NodeRuleContext {
        /// talhelper checks schematics against its catalogue only for the official Image Factory.
        var checksCatalogue: Bool
        var talosVersion: String
        /// The release's minor (the default release's when `talosVersion` is not one talos-batch supports).
        var catalogueMinor: Int
    }

    /// The rules on fields a node shares with its group defaults (talhelper's `NodeConfigs`), in talhelper's order.
    static func settingsProblems(_ node: YAMLNode, field prefix: String, context: NodeRuleContext, noSchematicValidate: YAMLNode?) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        func fail(_ field: String, _ message: String, at value: YAMLNode?) {
            errors.append(.error("\(field): \(message)", at: (value ?? node).location))
        }
        // checkNodeTalosImageURL
        if let image = node["talosImageURL"], !text(image).isEmpty, let problem = imageNameProblem(text(image)) {
            fail(prefix + "talosImageURL", problem, at: image)
        }
        // checkNodeLabels / checkNodeAnnotations / checkNodeTaints (Talos's labels package)
        for (key, check) in [("nodeLabels", labelProblem), ("nodeAnnotations", annotationProblem), ("nodeTaints", taintProblem)] {
            for pair in node[key]?.mappingPairs ?? [] {
                let name = pair.key.scalar?.text ?? ""
                let value = text(pair.value)
                // talhelper leaves Go-templated label and annotation values to its templating step (not taints).
                if key != "nodeTaints" && URLTemplate.contains(value, "{{") { continue }
                if let problem = check(name, value) { fail(prefix + key, problem, at: pair.key) }
            }
        }
        if let annotations = node["nodeAnnotations"]?.mappingPairs,
           annotations.reduce(0, { $0 + ($1.key.scalar?.text.utf8.count ?? 0) + text($1.value).utf8.count }) > 256 * 1024 {
            fail(prefix + "nodeAnnotations", "total annotation size exceeds limit of 262144 bytes", at: node["nodeAnnotations"])
        }
        // checkNodeMachineDisks
        if let disks = node["machineDisks"], !disks.isNull {
            errors.append(.warning("\(prefix)machineDisks: `machineDisks` is deprecated, please use `userVolumes` instead", at: disks.location))
            for disk in disks.sequenceItems ?? [] {
                let partitions = disk["partitions"]?.sequenceItems ?? []
                for (index, partition) in partitions.enumerated() where index != partitions.count - 1 && ["", "0"].contains(text(partition["size"])) {
                    fail(prefix + "machineDisks", "partition \"\(text(partition["mountpoint"]))\" for disk \"\(text(disk["device"]))\" is set to occupy full disk, but it's not the last partition in the list",
                         at: partition["size"] ?? partition)
                }
            }
        }
        // checkNodeMachineFiles
        for file in node["machineFiles"]?.sequenceItems ?? [] {
            let op = text(file["op"])
            if !["create", "append", "overwrite"].contains(op) {
                fail(prefix + "machineFiles", "\"\(op)\" is not a valid operation name (create,append,overwrite)", at: file["op"] ?? file)
            }
            let path = text(file["path"])
            if !isUnixPath(path) { fail(prefix + "machineFiles", "\"\(path)\" is not a valid Unix file path", at: file["path"] ?? file) }
        }
        // checkNodeSchematic
        if let schematic = node["schematic"], !schematic.isNull {
            let validates = context.checksCatalogue && noSchematicValidate?.scalar?.goBool != true
            errors += schematicProblems(schematic, field: prefix + "schematic", context: context, catalogue: validates)
        }
        // checkNodeNameServers
        if let servers = node["nameservers"]?.sequenceItems, let bad = servers.first(where: { !IPAddressSyntax.isIP(text($0)) }) {
            let list = servers.map { "\"\(text($0))\"" }.joined(separator: " ")
            fail(prefix + "nameservers", "[\(list)] is not a valid list of IP addresses", at: bad)
        }
        // checkNodeNetworkInterfaces
        if let devices = node["networkInterfaces"]?.sequenceItems, !devices.isEmpty {
            errors += NetworkDeviceChecks.check(devices, field: prefix + "networkInterfaces")
        }
        // checkNodeMachineSpec
        if let spec = node["machineSpec"], spec.mappingPairs != nil { errors += machineSpecProblems(spec, field: prefix + "machineSpec") }
        // checkNodeIngressFirewall
        if let firewall = node["ingressFirewall"], !firewall.isNull {
            errors += firewallProblems(firewall, field: prefix + "ingressFirewall")
        }
        // checkNodeExtraManifests (the files' existence: `missingFileProblems`)
        if let manifests = node["extraManifests"]?.sequenceItems, !manifests.isEmpty {
            errors.append(.warning("\(prefix)extraManifests: `extraManifests` is deprecated, please use `patches` instead",
                                   at: node["extraManifests"]?.location))
        }
        return errors
    }

    /// Duplicate extensions, overlay completeness and, for the official Image Factory, the names against
    /// `OfficialExtensionCatalogue` for the release (an unknown one names the closest known name).
    static func schematicProblems(_ schematic: YAMLNode, field: String, context: NodeRuleContext, catalogue: Bool) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        func fail(_ message: String, at node: YAMLNode?) { errors.append(.error("\(field): \(message)", at: (node ?? schematic).location)) }
        let minor = catalogue ? context.catalogueMinor : nil
        var seen: Set<String> = []
        for item in schematic["customization"]?["systemExtensions"]?["officialExtensions"]?.sequenceItems ?? [] {
            let name = text(item)
            if let minor, !OfficialExtensionCatalogue.isOfficialExtension(name, minor: minor) {
                var message = "\"\(name)\" is not a supported Talos extension for \"\(context.talosVersion)\""
                if let range = OfficialExtensionCatalogue.shippingRange(ofExtension: name) {
                    message += " (it ships with Talos v1.\(range.lowerBound) to v1.\(range.upperBound))"
                } else if let closest = OfficialExtensionCatalogue.closest(to: name, among: OfficialExtensionCatalogue.extensionNames(minor: minor)) {
                    message += " (did you mean \"\(closest)\"?)"
                }
                fail(message, at: item)
            }
            if !seen.insert(name).inserted { fail("duplicate system extension \"\(name)\"", at: item) }
        }
        if let overlay = schematic["overlay"], !overlay.isNull {
            let image = text(overlay["image"]), name = text(overlay["name"])
            if !image.isEmpty || !name.isEmpty {
                if image.isEmpty || name.isEmpty { fail("both `image` and `name` is required to be set", at: overlay) }
                if let minor, !OfficialExtensionCatalogue.isOfficialOverlay(name: name, image: image, minor: minor) {
                    fail("\(name) (\(image)) is not a supported Talos overlay for \"\(context.talosVersion)\"", at: overlay["name"] ?? overlay)
                }
            }
        }
        return errors
    }

    /// Talos's `ValidateCNI`, each message with the value it is about.
    static func cniProblems(_ cni: YAMLNode) -> [(String, YAMLNode?)] {
        let name = text(cni["name"])
        let urls = cni["urls"]?.sequenceItems ?? []
        let flannel = cni["flannel"]
        var problems: [(String, YAMLNode?)] = []
        func flannelProblems() {
            if !(flannel?["extraArgs"]?.sequenceItems ?? []).isEmpty {
                problems.append(("\"flanneldExtraArgs\" field should be empty for \"\(name)\" CNI", flannel?["extraArgs"]))
            }
            if flannel?["kubeNetworkPoliciesEnabled"]?.scalar?.goBool == true {
                problems.append(("\"flannelKubeNetworkPoliciesEnabled\" should not be enabled for \"\(name)\" CNI", flannel?["kubeNetworkPoliciesEnabled"]))
            }
        }
        switch name {
        case "flannel":
            if !urls.isEmpty { problems.append(("\"urls\" field should be empty for \"flannel\" CNI", cni["urls"])) }
        case "none":
            if !urls.isEmpty { problems.append(("\"urls\" field should be empty for \"none\" CNI", cni["urls"])) }
            flannelProblems()
        case "custom":
            if urls.isEmpty { problems.append(("\"urls\" field should not be empty for \"custom\" CNI", cni)) }
            flannelProblems()
            for url in urls where (try? EndpointURL(text(url))) == nil {
                problems.append(("\"\(text(url))\" is not a valid endpoint URL", url))
            }
        default:
            problems.append(("cni name should be one of [\"flannel\", \"custom\", \"none\"]", cni["name"] ?? cni))
        }
        return problems
    }

    /// `@file` patches (top-level, group, node), `extraManifests` and `@file` inline-manifest and machine-file
    /// contents that do not exist relative to the talconfig's folder, each at its reference.
    static func missingFileProblems(_ root: YAMLNode, baseDirectory: URL) -> [Diagnostic] {
        var errors: [Diagnostic] = []
        func check(_ field: String, _ value: YAMLNode, alwaysFile: Bool = false) {
            var reference = text(value)
            if reference.hasPrefix("@") {
                reference = String(reference.dropFirst())
            } else if !alwaysFile {
                return
            }
            reference = reference.trimming(.whitespacesAndNewlines)
            guard !reference.isEmpty else { return }
            let url = reference.hasPrefix("/") ? URL(fileURLWithPath: reference) : baseDirectory.appendingPathComponent(reference)
            var isDirectory = false
            if !FileManager.default.fileExists(atPath: url.standardizedFileURL.path, isDirectory: &isDirectory) {
                errors.append(.error("\(field): \"stat \(reference): no such file or directory\"", at: value.location))
            } else if isDirectory {
                errors.append(.error("\(field): \"\(reference)\" is a directory, not a file", at: value.location))
            }
        }
        for (index, patch) in (root["patches"]?.sequenceItems ?? []).enumerated() { check("patches[\(index)]", patch) }
        for (index, manifest) in (root["inlineManifests"]?.sequenceItems ?? []).enumerated() {
            if let contents = manifest["contents"] { check("inlineManifests[\(index)].contents", contents) }
        }
        var holders: [(String, YAMLNode)] = []
        for group in ["controlPlane", "worker"] { if let node = root[group], node.mappingPairs != nil { holders.append((group + ".", node)) } }
        for (index, node) in (root["nodes"]?.sequenceItems ?? []).enumerated() where node.mappingPairs != nil {
            holders.append(("nodes[\(index)].", node))
        }
        for (prefix, node) in holders {
            for (index, patch) in (node["patches"]?.sequenceItems ?? []).enumerated() { check("\(prefix)patches[\(index)]", patch) }
            for (index, manifest) in (node["extraManifests"]?.sequenceItems ?? []).enumerated() {
                check("\(prefix)extraManifests[\(index)]", manifest, alwaysFile: true)
            }
            for (index, file) in (node["machineFiles"]?.sequenceItems ?? []).enumerated() {
                if let content = file["content"] { check("\(prefix)machineFiles[\(index)].content", content) }
            }
        }
        return errors
    }

    /// `trimming(.whitespaces)`, without scanning scalars when neither end can be whitespace.
    static func trimmingWhitespace(_ text: Substring) -> String {
        if let first = text.utf8.first, let last = text.utf8.last, (0x21...0x7E).contains(first), (0x21...0x7E).contains(last) {
            return String(text)
        }
        return text.trimming(.whitespaces)
    }

    static func text(_ node: YAMLNode?) -> String { node?.scalar.map { $0.kind == .null ? "" : $0.text } ?? "" }

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
            if let problem = portRangesProblem(selector?["ports"]?.sequenceItems ?? []) {
                errors.append(.error("\(field): rules[\(index)]: \"\(problem)\"", at: selector?["ports"]?.location ?? rule.location))
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

    /// Talos's `PortRanges.Validate`: each `lo-hi` ordered, none overlapping (sorted by start).
    static func portRangesProblem(_ ports: [YAMLNode]) -> String? {
        var ranges: [(lo: Int, hi: Int)] = []
        for port in ports {
            let value = text(port)
            if let single = UInt16(value) {
                ranges.append((Int(single), Int(single)))
                continue
            }
            let parts = value.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let lo = UInt16(parts[0]), let hi = UInt16(parts[1]) else { return "invalid port range: \"\(value)\"" }
            ranges.append((Int(lo), Int(hi)))
        }
        let sorted = ranges.enumerated().sorted { ($0.element.lo, $0.offset) < ($1.element.lo, $1.offset) }.map(\.element)
        for (index, range) in sorted.enumerated() {
            if range.lo > range.hi { return "invalid port range: \(range.lo)-\(range.hi)" }
            if index > 0, range.lo <= sorted[index - 1].hi {
                return "invalid port range: \(range.lo)-\(range.hi), overlaps with \(sorted[index - 1].lo)-\(sorted[index - 1].hi)"
            }
        }
        return nil
    }

    // MARK: - talhelper's predicates


    /// RFC 1123 labels joined by dots, at most 255 characters (talhelper's `isHostname`).
    /// Over bytes: a character outside ASCII (or CR LF) fails the label rules either way, so bytes count
    /// as characters wherever the answer can be yes.
    static func isHostname(_ name: String) -> Bool {
        guard (1...255).contains(name.utf8.count) else { return false }
        return name.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard (1...63).contains(label.count), let first = label.first, let last = label.last,
                  isASCIIAlphanumeric(first), isASCIIAlphanumeric(last) else { return false }
            return label.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isASCIIAlphanumeric(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c | 0x20) || (0x30...0x39).contains(c) }

    /// talhelper's `isDomain` (`DomainNameSyntax`).
    static func isDomain(_ domain: String) -> Bool { DomainNameSyntax.isValid(domain) }

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

    /// talhelper wants a canonical image name without tag or digest (it appends `:<talosVersion>` itself):
    /// distribution/reference's `ParseNamed` grammar and errors, then `IsNameOnly`.
    static func imageNameProblem(_ reference: String) -> String? {
        guard ImageReferenceSyntax.matches(reference) else {
            // A name that would be valid in lower case is reported as such (reference.ParseNamed does).
            if reference != reference.lowercased(), imageNameProblem(reference.lowercased()) == nil
                || imageNameProblem(reference.lowercased()) == "should not contains version or digest" {
                return "invalid reference format: repository name must be lowercase"
            }
            return "invalid reference format"
        }
        // distribution/reference's splitDomain: the first component is a registry when it has a dot or a
        // port, or is localhost; otherwise Docker Hub is implied and the name is not canonical.
        // A matched reference is printable ASCII but for a final line break: without one, bytes are characters.
        if let last = reference.utf8.last, (0x21...0x7E).contains(last) { return canonicalNameProblem(Array(reference.utf8)) }
        let name = String(reference.prefix { $0 != "@" })
        let first = name.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let domain = first.count == 2 && (first[0].contains(".") || first[0].contains(":") || first[0] == "localhost") ? String(first[0]) : ""
        var path = String(name.dropFirst(domain.isEmpty ? 0 : domain.count + 1))
        if let colon = path.lastIndex(of: ":") { path = String(path[..<colon]) }
        if (domain.isEmpty ? 0 : domain.count + 1) + path.count > 255 { return "repository name must not be more than 255 characters" }
        // Canonical also means Docker would not rewrite it (docker.io/NAME → docker.io/library/NAME,
        // index.docker.io → docker.io).
        if domain.isEmpty || domain == "index.docker.io" || (domain == "docker.io" && !path.contains("/")) {
            return "repository name must be canonical"
        }
        if reference.contains("@") || reference.dropFirst(domain.count).contains(":") { return "should not contains version or digest" }
        return nil
    }

    /// The checks after the grammar of `imageNameProblem`, over the bytes of a printable ASCII reference.
    private static func canonicalNameProblem(_ reference: [UInt8]) -> String? {
        let name = reference.prefix { $0 != UInt8(ascii: "@") }
        var domain = name[name.startIndex..<name.startIndex]
        if let slash = name.firstIndex(of: UInt8(ascii: "/")) {
            let first = name[..<slash]
            if first.contains(UInt8(ascii: ".")) || first.contains(UInt8(ascii: ":")) || first.elementsEqual("localhost".utf8) { domain = first }
        }
        var path = name.dropFirst(domain.isEmpty ? 0 : domain.count + 1)
        if let colon = path.lastIndex(of: UInt8(ascii: ":")) { path = path[..<colon] }
        if (domain.isEmpty ? 0 : domain.count + 1) + path.count > 255 { return "repository name must not be more than 255 characters" }
        if domain.isEmpty || domain.elementsEqual("index.docker.io".utf8)
            || (domain.elementsEqual("docker.io".utf8) && !path.contains(UInt8(ascii: "/"))) {
            return "repository name must be canonical"
        }
        if reference.contains(UInt8(ascii: "@")) || reference.dropFirst(domain.count).contains(UInt8(ascii: ":")) {
            return "should not contains version or digest"
        }
        return nil
    }

    // Talos's `labels` package (`ValidateQualifiedName`, `ValidateLabelValue`, `Validate`,
    // `ValidateAnnotations`, `ValidateTaints`), which talhelper's label, annotation and taint rules call.

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?` labels joined by dots, at most 253 characters.
    static func dns1123SubdomainProblem(_ value: String) -> String? {
        if value.utf8.count > 253 { return "domain name length exceeds limit of 253: \"\(value)\"" }
        return isDNS1123Subdomain(value.utf8) ? nil : "domain doesn't match required format: \"\(value)\""
    }

    /// `[a-z0-9]([-a-z0-9]*[a-z0-9])?` labels joined by dots, over bytes: a character outside ASCII fails
    /// either way, and no ASCII character spans two bytes.
    private static func isDNS1123Subdomain<Bytes: Collection<UInt8>>(_ value: Bytes) -> Bool {
        func lowerAlnum(_ c: UInt8) -> Bool { (0x61...0x7A).contains(c) || (0x30...0x39).contains(c) }
        return value.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, let last = label.last, lowerAlnum(first), lowerAlnum(last) else { return false }
            return label.allSatisfy { lowerAlnum($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// A name or label value: alphanumerics at both ends, `-`, `_`, `.` inside.
    /// Over bytes, as `dns1123SubdomainProblem`.
    static func isQualifiedNamePart(_ name: String) -> Bool { isQualifiedNamePart(bytes: name.utf8) }

    private static func isQualifiedNamePart<Bytes: BidirectionalCollection<UInt8>>(bytes name: Bytes) -> Bool {
        guard let first = name.first, let last = name.last, isASCIIAlphanumeric(first), isASCIIAlphanumeric(last) else { return false }
        return name.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Kubernetes' qualified names: `[prefix/]name`, the prefix a DNS-1123 subdomain, the name ≤ 63 characters.
    static func qualifiedNameProblem(_ key: String) -> String? {
        if isValidASCIIQualifiedName(key) { return nil }  // most keys: no message to build
        // An ASCII key splits the same over bytes; beyond ASCII a `/` may start a longer character.
        let parts = key.utf8.allSatisfy({ $0 < 0x80 })
            ? key.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(Substring($0)) }
            : key.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 2 else { return "invalid format: too many slashes: \"\(key)\"" }
        if parts.count == 2 {
            if parts[0].isEmpty { return "prefix cannot be empty: \"\(key)\"" }
            if let problem = dns1123SubdomainProblem(parts[0]) { return "prefix \"\(parts[0])\" is invalid: \(problem)" }
        }
        let name = parts.last ?? ""
        if name.isEmpty { return "name cannot be empty: \"\(key)\"" }
        if name.utf8.count > 63 { return "name is too long: \"\(key)\" (limit is 63)" }
        return isQualifiedNamePart(name) ? nil : "name \"\(name)\" is invalid"
    }

    /// The rules of `qualifiedNameProblem` over the bytes of an ASCII key (where bytes are characters), without
    /// building the parts; false also for any key outside ASCII, which then takes the general path.
    private static func isValidASCIIQualifiedName(_ key: String) -> Bool {
        let bytes = key.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return false }
        var name = bytes[...]
        if let slash = bytes.firstIndex(of: UInt8(ascii: "/")) {
            let prefix = bytes[..<slash]
            name = bytes[bytes.index(after: slash)...]
            guard !prefix.isEmpty, prefix.count <= 253, !name.contains(UInt8(ascii: "/")), isDNS1123Subdomain(prefix) else { return false }
        }
        return !name.isEmpty && name.count <= 63 && isQualifiedNamePart(bytes: name)
    }

    static func labelValueProblem(_ value: String) -> String? {
        if value.utf8.count > 63 { return "label value length exceeds limit of 63: \"\(value)\"" }
        return value.isEmpty || isQualifiedNamePart(value) ? nil : "label value \"\(value)\" is invalid"
    }

    static func labelProblem(_ key: String, _ value: String) -> String? {
        switch (qualifiedNameProblem(key), labelValueProblem(value)) {
        case (nil, nil): return nil
        case (let problem?, nil), (nil, let problem?): return problem
        case (let name?, let value?): return name + "; " + value
        }
    }

    /// Talos keeps these annotations for itself.
    static let reservedAnnotations: Set<String> = ["talos.dev/owned-labels", "talos.dev/owned-annotations", "talos.dev/owned-taints"]

    static func annotationProblem(_ key: String, _ value: String) -> String? {
        if let problem = qualifiedNameProblem(key) { return problem }
        return reservedAnnotations.contains(key) ? "annotation \"\(key)\" is reserved" : nil
    }

    /// A taint is `[value:]Effect` with one of Kubernetes' effects.
    static func taintProblem(_ key: String, _ value: String) -> String? {
        if let problem = qualifiedNameProblem(key) { return problem }
        let cut = value.firstIndex(of: ":")
        let effect = cut.map { String(value[value.index(after: $0)...]) } ?? value
        if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(effect) { return "invalid taint effect: \"\(effect)\"" }
        if let cut { return labelValueProblem(String(value[..<cut])) }
        return nil
    }
}
