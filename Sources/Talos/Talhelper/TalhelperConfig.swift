import Diagnostics
import FoundationEssentials
import Glibc
import Secrets
import YAML

/// A talhelper `talconfig.yaml`: the cluster, its nodes and the per-role defaults, as talhelper reads it.
public struct TalhelperConfig: Sendable {
    public var clusterName: String
    public var endpoint: String
    /// As written, with a leading `v` added (talhelper's `GetTalosVersion`).
    public var talosVersion: String
    public var contract: TalosVersionContract
    public var kubernetesVersion: String
    public var domain: String?
    public var allowSchedulingOnControlPlanes: Bool
    public var additionalMachineCertSANs: [String]
    public var additionalAPIServerCertSANs: [String]
    public var clusterPodNets: [String]
    public var clusterSvcNets: [String]
    /// `cluster.network.cni` as given (a Talos `CNIConfig`).
    public var cniConfig: YAMLNode?
    /// `cluster.inlineManifests` (name + contents).
    public var inlineManifests: YAMLNode?
    public var patches: [PatchSource]
    public var imageFactoryRegistry: String
    /// `imageFactory.installerURLTmpl` (a Go template over RegistryURL, ID, Version, Mode, Secureboot), or
    /// talhelper's default.
    public var installerURLTemplate = TalhelperConfig.defaultInstallerURLTemplate
    public static let defaultInstallerURLTemplate = "{{.RegistryURL}}/{{.Mode}}-installer{{if .Secureboot}}-secureboot{{end}}/{{.ID}}:{{.Version}}"
    /// `imageFactory.ISOURLTmpl` (talhelper's `ImageURLTmpl`: ISO/disk image URLs for `genurl image`), or its default.
    public var imageURLTemplate = FactoryURLs.defaultImageURLTemplate
    /// `imageFactory.protocol` (the image URL's scheme), `https` unless set.
    public var imageFactoryProtocol = "https"
    /// Nodes with their role's group defaults already merged in.
    public var nodes: [TalhelperNode]
    /// Where `@file` patches are resolved from (the talconfig's folder).
    public var baseDirectory: URL?
    /// The variables `${VAR}` in `@file` patches are substituted from.
    public var environment: [String: String]
    /// When set, the contents of every `@file` (resolved absolute path → bytes): the generator then reads
    /// nothing from disk, so a caller that keyed these bytes knows exactly what the output depends on.
    public var files: [String: [UInt8]]?
    /// Where the age identities for SOPS-encrypted `@file` patches come from; asked only when such a patch is
    /// met. Unset: found as sops finds them from `environment` (`SOPS_AGE_KEY`, `SOPS_AGE_KEY_FILE`, the
    /// user's keys.txt), which talhelper also does after loading its env files into the process environment.
    public var decryptionIdentities: (@Sendable () throws -> [AgeIdentity])?
    /// The substituted talconfig text, to place errors inside inline patches (split into lines only then).
    var source: String = ""

    /// The version talhelper uses when `talosVersion` is not set.
    public static let defaultTalosVersion = "v1.13.9"

    /// Reads talconfig text: `${VAR}` substitution first (strict), then parsing and validation.
    /// Returns the warnings for fields talhelper would ignore. With a `baseDirectory` (and `checksFiles`),
    /// every `@file` and extra manifest must exist there, each missing one an error at its reference.
    public static func load(_ bytes: [UInt8], file: String, environment: [String: String], strict: Bool,
                            baseDirectory: URL? = nil, checksFiles: Bool = true) throws -> (TalhelperConfig, [Diagnostic]) {
        let text = try EnvSubstitution.substitute(String(decoding: bytes, as: UTF8.self), environment: environment, file: file)
        let node = try YAML.parseDocument(text, file: file)
        var (config, warnings) = try parse(node, file: file, strict: strict, checkingFilesIn: checksFiles ? baseDirectory : nil)
        config.baseDirectory = baseDirectory
        config.environment = environment
        config.attachSource(text)
        return (config, warnings)
    }

    /// Gives the config its source text, so positions inside inline block patches map back to exact
    /// columns (`load` does this; callers of `parse` that have the text should too).
    public mutating func attachSource(_ text: String) {
        source = text
    }

    /// Line `index` (0-based) of the source text, or "" past its end.
    func sourceLine(_ index: Int) -> Substring {
        let lines = source.split(separator: "\n", maxSplits: index + 1, omittingEmptySubsequences: false)
        return index < lines.count ? lines[index] : ""
    }

    /// Parses an already-parsed talconfig (no `${VAR}` substitution). Set `baseDirectory` for `@file`
    /// patches and `environment` for their substitution, and call `attachSource` when the text is at hand.
    /// With `checkingFilesIn`, every `@file` and extra manifest must exist in that folder (validation time).
    public static func parse(_ node: YAMLNode, file: String, strict: Bool,
                             checkingFilesIn folder: URL? = nil) throws -> (TalhelperConfig, [Diagnostic]) {
        var reader = TalconfigReader(file: file, strict: strict)
        let config = try TalhelperConfig(node, reader: &reader, checkingFilesIn: folder)
        return (config, reader.warnings)
    }

    static let topLevelKeys: Set<String> = [
        "clusterName", "talosVersion", "kubernetesVersion", "endpoint", "domain", "allowSchedulingOnMasters",
        "allowSchedulingOnControlPlanes", "additionalMachineCertSans", "additionalApiServerCertSans", "inlineManifests",
        "clusterPodNets", "clusterSvcNets", "cniConfig", "patches", "nodes", "imageFactory", "controlPlane", "worker",
    ]

    private init(_ root: YAMLNode, reader: inout TalconfigReader, checkingFilesIn folder: URL?) throws {
        if root.isNull { throw Diagnostic.error("talconfig is empty", at: SourceLocation(file: reader.file, line: 1, column: 1)) }
        if root.mappingPairs != nil {
            let found = TalhelperValidator.check(root, baseDirectory: folder)
            let problems = found.filter { $0.severity == .error }
            if problems.count == 1 { throw problems[0] }
            if !problems.isEmpty { throw DiagnosticList(problems) }
            reader.warnings += found.filter { $0.severity != .error }
        }
        let top = try reader.mapping(root, path: "", known: Self.topLevelKeys)
        func required(_ key: String) throws -> String {
            guard let value = try reader.string(top[key], path: key), !value.isEmpty else {
                throw Diagnostic.error("missing required field `\(key)`", at: top[key]?.location ?? root.location)
            }
            return value
        }
        clusterName = try required("clusterName")
        endpoint = try required("endpoint")
        do {
            _ = try EndpointURL(endpoint)
        } catch let diagnostic as Diagnostic {
            throw Diagnostic.error("`endpoint`: \(diagnostic.message)", at: top["endpoint"]?.location)
        }
        kubernetesVersion = try required("kubernetesVersion")
        var version = try reader.string(top["talosVersion"], path: "talosVersion") ?? ""
        if version.isEmpty { version = Self.defaultTalosVersion }
        if !version.hasPrefix("v") { version = "v" + version }
        talosVersion = version
        do {
            contract = try TalosVersionContract.parse(version)
        } catch let diagnostic as Diagnostic {
            throw Diagnostic.error("`talosVersion`: \(diagnostic.message)", at: top["talosVersion"]?.location ?? root.location)
        }
        domain = try reader.string(top["domain"], path: "domain")
        allowSchedulingOnControlPlanes = try (reader.bool(top["allowSchedulingOnMasters"], path: "allowSchedulingOnMasters") ?? false)
            || (reader.bool(top["allowSchedulingOnControlPlanes"], path: "allowSchedulingOnControlPlanes") ?? false)
        additionalMachineCertSANs = try reader.strings(top["additionalMachineCertSans"], path: "additionalMachineCertSans") ?? []
        additionalAPIServerCertSANs = try reader.strings(top["additionalApiServerCertSans"], path: "additionalApiServerCertSans") ?? []
        clusterPodNets = try Self.cidrs(top["clusterPodNets"], path: "clusterPodNets", reader: reader)
        clusterSvcNets = try Self.cidrs(top["clusterSvcNets"], path: "clusterSvcNets", reader: reader)
        cniConfig = try reader.talosValue(top["cniConfig"], .structure("v1alpha1.CNIConfig"), path: "cniConfig")
        inlineManifests = try reader.itemsWithSkipEnvsubst(top["inlineManifests"], element: "v1alpha1.ClusterInlineManifest",
                                                           path: "inlineManifests")
        patches = try PatchSource.list(top["patches"], path: "patches", reader: reader)
        imageFactoryRegistry = "factory.talos.dev"
        if let factory = top["imageFactory"] {
            let fields = try reader.mapping(factory, path: "imageFactory",
                                            known: ["registryURL", "schematicEndpoint", "protocol", "installerURLTmpl", "ISOURLTmpl"])
            if let registry = try reader.string(fields["registryURL"], path: "imageFactory.registryURL"), !registry.isEmpty {
                imageFactoryRegistry = registry
            }
            if let template = fields["installerURLTmpl"], !template.isNull,
               let text = try reader.string(template, path: "imageFactory.installerURLTmpl"), !text.isEmpty {
                do {
                    // Rendered once with sample values so an unsupported construct is an error here.
                    _ = try URLTemplate(text).render(["RegistryURL": .string("r"), "ID": .string("i"), "Version": .string("v"),
                                                      "Mode": .string("metal"), "Secureboot": .bool(false)])
                } catch let diagnostic as Diagnostic {
                    throw Diagnostic.error("`imageFactory.installerURLTmpl`: \(diagnostic.message)", at: template.location)
                }
                installerURLTemplate = text
            }
            if let template = fields["ISOURLTmpl"], !template.isNull,
               let text = try reader.string(template, path: "imageFactory.ISOURLTmpl"), !text.isEmpty {
                do {
                    _ = try URLTemplate(text).render(FactoryURLs.sampleImageValues)
                } catch let diagnostic as Diagnostic {
                    throw Diagnostic.error("`imageFactory.ISOURLTmpl`: \(diagnostic.message)", at: template.location)
                }
                imageURLTemplate = text
            }
            if let scheme = try reader.string(fields["protocol"], path: "imageFactory.protocol"), !scheme.isEmpty {
                imageFactoryProtocol = scheme
            }
        }
        let controlPlaneGroup = try NodeSettings(top["controlPlane"], path: "controlPlane", reader: &reader)
        let workerGroup = try NodeSettings(top["worker"], path: "worker", reader: &reader)
        guard let nodeList = top["nodes"], let items = nodeList.sequenceItems else {
            if let nodeList = top["nodes"] { throw reader.mismatch("nodes", "a list of nodes", nodeList) }
            throw Diagnostic.error("missing required field `nodes`", at: root.location)
        }
        var nodes: [TalhelperNode] = []
        var hostnames: [String: YAMLNode] = [:]
        for (index, item) in items.enumerated() {
            var node = try TalhelperNode(item, path: "nodes[\(index)]", reader: &reader)
            node.settings = node.settings.overriding(node.controlPlane ? controlPlaneGroup : workerGroup,
                                                     overridePatches: node.overridePatches,
                                                     overrideExtraManifests: node.overrideExtraManifests,
                                                     overrideMachineCertSANs: node.overrideMachineCertSANs)
            if hostnames[node.hostname] != nil {
                throw Diagnostic.error("duplicate node hostname \"\(node.hostname)\"", at: item["hostname"]?.location ?? item.location)
            }
            hostnames[node.hostname] = item
            nodes.append(node)
        }
        self.nodes = nodes
        baseDirectory = nil
        environment = [:]
        files = nil
    }

    private static func cidrs(_ node: YAMLNode?, path: String, reader: TalconfigReader) throws -> [String] {
        let values = try reader.strings(node, path: path) ?? []
        for (index, value) in values.enumerated() where !IPAddressSyntax.isCIDR(value) {
            let item = node?.sequenceItems?[index]
            throw Diagnostic.error("`\(path)[\(index)]`: invalid CIDR \"\(value)\" (expected ADDRESS/BITS, e.g. 10.244.0.0/16)",
                                   at: item?.location)
        }
        return values
    }

    /// Pod subnets, with Talos's defaults when none are given.
    var podSubnets: [String] {
        if !clusterPodNets.isEmpty { return clusterPodNets }
        return [IPAddressSyntax.isIPv6(endpoint) ? ConfigGenerator.defaultIPv6PodSubnet : ConfigGenerator.defaultIPv4PodSubnet]
    }

    var serviceSubnets: [String] {
        if !clusterSvcNets.isEmpty { return clusterSvcNets }
        return [IPAddressSyntax.isIPv6(endpoint) ? ConfigGenerator.defaultIPv6ServiceSubnet : ConfigGenerator.defaultIPv4ServiceSubnet]
    }
}

/// One entry of a `patches:` list: `@file` or an inline patch, with where it was written.
public struct PatchSource: Sendable, Hashable {
    public var text: String
    public var location: SourceLocation?
    /// How the patch text was written, to map positions inside an inline patch back to the talconfig.
    var style: YAMLScalar.Style

    static func list(_ node: YAMLNode?, path: String, reader: TalconfigReader) throws -> [PatchSource] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequenceItems else { throw reader.mismatch(path, "a list of patches", node) }
        return try items.enumerated().map { index, item in
            guard let scalar = item.scalar, scalar.kind != .null else {
                throw reader.mismatch("\(path)[\(index)]", "a patch (an @file path or inline YAML text)", item)
            }
            return PatchSource(text: scalar.text, location: item.location,
                               style: scalar.style)
        }
    }
}
