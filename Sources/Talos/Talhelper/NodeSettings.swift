import Diagnostics
import YAML

/// The settings a node shares with its role's group defaults (talhelper's `NodeConfigs`).
public struct NodeSettings: Sendable {
    public var nodeLabels: [(String, String)]?
    public var nodeAnnotations: [(String, String)]?
    public var nodeTaints: [(String, String)]?
    public var machineDisks: YAMLNode?
    public var machineFiles: YAMLNode?
    public var disableSearchDomain = false
    public var kernelModules: YAMLNode?
    public var nameservers: [String]?
    public var networkInterfaces: YAMLNode?
    public var extraManifests: [String]?
    public var certSANs: [String]?
    public var patches: [PatchSource]?
    public var talosImageURL = ""
    public var schematic: YAMLNode?
    /// The schematic for ISO/disk images (`genurl image`) when it differs from the installer's.
    public var imageSchematic: YAMLNode?
    public var machineSpec = MachineSpec()
    public var filenameTemplate = ""
    /// Extra config documents talhelper generates from node settings, each already typed:
    /// `ingressFirewall` (default action + rules), `extensionServices`, `volumes`, `userVolumes`.
    public var ingressFirewall: [YAMLNode]?
    public var extensionServices: [YAMLNode]?
    public var volumes: [YAMLNode]?
    public var userVolumes: [YAMLNode]?

    static let keys: Set<String> = [
        "nodeLabels", "nodeAnnotations", "nodeTaints", "machineDisks", "machineFiles", "disableSearchDomain",
        "kernelModules", "nameservers", "networkInterfaces", "extraManifests", "certSANs", "patches", "talosImageURL",
        "noSchematicValidate", "schematic", "imageSchematic", "machineSpec", "ingressFirewall", "extensionServices",
        "volumes", "userVolumes", "filenameTmpl",
    ]

    public init() {}

    init(_ node: YAMLNode?, path: String, reader: inout TalconfigReader) throws {
        guard let node, !node.isNull else {
            self.init()
            return
        }
        let fields = try reader.mapping(node, path: path, known: Self.keys)
        try self.init(fields: fields, path: path, reader: &reader)
    }

    init(fields: [String: YAMLNode], path: String, reader: inout TalconfigReader) throws {
        func at(_ key: String) -> String { "\(path).\(key)" }
        nodeLabels = try reader.stringMap(fields["nodeLabels"], path: at("nodeLabels"))
        nodeAnnotations = try reader.stringMap(fields["nodeAnnotations"], path: at("nodeAnnotations"))
        nodeTaints = try reader.stringMap(fields["nodeTaints"], path: at("nodeTaints"))
        for (key, labels) in [("nodeLabels", nodeLabels), ("nodeAnnotations", nodeAnnotations)] {
            // Go-templated values are rendered per node over its config (talhelper's templateConfig); a
            // template that does not parse is an error here, at its value.
            for (name, value) in labels ?? [] where URLTemplate.isTemplate(value) {
                do {
                    _ = try URLTemplate(value)
                } catch let diagnostic as Diagnostic {
                    throw Diagnostic.error("`\(at(key)).\(name)`: \(diagnostic.message)", at: fields[key]?[name]?.location)
                }
            }
        }
        machineDisks = try reader.talosValue(fields["machineDisks"], .list(.structure("v1alpha1.MachineDisk")), path: at("machineDisks"))
        machineFiles = try reader.itemsWithSkipEnvsubst(fields["machineFiles"], element: "v1alpha1.MachineFile", path: at("machineFiles"))
        disableSearchDomain = try reader.bool(fields["disableSearchDomain"], path: at("disableSearchDomain")) ?? false
        kernelModules = try reader.talosValue(fields["kernelModules"], .list(.structure("v1alpha1.KernelModuleConfig")),
                                              path: at("kernelModules"))
        nameservers = try reader.strings(fields["nameservers"], path: at("nameservers"))
        for (index, server) in (nameservers ?? []).enumerated() where !IPAddressSyntax.isIP(server) {
            throw Diagnostic.error("`\(at("nameservers"))[\(index)]`: invalid IP address \"\(server)\"",
                                   at: fields["nameservers"]?.sequenceItems?[index].location)
        }
        networkInterfaces = try reader.talosValue(fields["networkInterfaces"], .keyedList("v1alpha1.Device", keys: ["interface", "deviceSelector"]),
                                                  path: at("networkInterfaces"))
        try Self.checkDevices(networkInterfaces, path: at("networkInterfaces"))
        extraManifests = try reader.strings(fields["extraManifests"], path: at("extraManifests"))
        certSANs = try reader.strings(fields["certSANs"], path: at("certSANs"))
        if fields["patches"] != nil { patches = try PatchSource.list(fields["patches"], path: at("patches"), reader: reader) }
        talosImageURL = try reader.string(fields["talosImageURL"], path: at("talosImageURL")) ?? ""
        _ = try reader.bool(fields["noSchematicValidate"], path: at("noSchematicValidate"))
        schematic = try reader.talosValue(fields["schematic"], .structure("schematic.Schematic"), path: at("schematic"))
        imageSchematic = try reader.talosValue(fields["imageSchematic"], .structure("schematic.Schematic"), path: at("imageSchematic"))
        if let spec = fields["machineSpec"], !spec.isNull {
            machineSpec = try MachineSpec(spec, path: at("machineSpec"), reader: &reader)
        }
        filenameTemplate = try reader.string(fields["filenameTmpl"], path: at("filenameTmpl")) ?? ""
        ingressFirewall = try ExtraDocuments.ingressFirewall(fields["ingressFirewall"], path: at("ingressFirewall"), reader: &reader)
        extensionServices = try ExtraDocuments.list(fields["extensionServices"], path: at("extensionServices"), reader: &reader,
                                                    kind: "ExtensionServiceConfig",
                                                    fields: ["configFiles": .keyedList("runtime.ConfigFile", keys: ["mountPath"]),
                                                             "environment": .list(.string)])
        volumes = try ExtraDocuments.list(fields["volumes"], path: at("volumes"), reader: &reader, kind: "VolumeConfig",
                                          fields: ["provisioning": .structure("block.ProvisioningSpec"),
                                                   "encryption": .structure("block.EncryptionSpec")])
        userVolumes = try ExtraDocuments.list(fields["userVolumes"], path: at("userVolumes"), reader: &reader, kind: "UserVolumeConfig",
                                              fields: ["volumeType": .opaque, "provisioning": .structure("block.ProvisioningSpec"),
                                                       "filesystem": .structure("block.FilesystemSpec"),
                                                       "encryption": .structure("block.EncryptionSpec")])
    }

    /// Talos's device checks, which talhelper runs on every node before generating: a device is either
    /// named (`interface`) or picked by a `deviceSelector` with at least one criterion — one of the two.
    static func checkDevices(_ devices: YAMLNode?, path: @autoclosure () -> String) throws {
        for (index, device) in (devices?.sequenceItems ?? []).enumerated() {
            let path = path()
            let name = device.string("interface") ?? ""
            let selector = device["deviceSelector"].flatMap { $0.isNull ? nil : $0 }
            if name.isEmpty && selector == nil {
                throw Diagnostic.error("`\(path)[\(index)]`: needs an `interface` name or a `deviceSelector`", at: device.location)
            }
            guard let selector else { continue }
            if !name.isEmpty {
                throw Diagnostic.error("`\(path)[\(index)]`: `interface` and `deviceSelector` are mutually exclusive",
                                       at: selector.location ?? device.location)
            }
            let criteria = (selector.mappingPairs ?? []).filter { pair in
                guard let scalar = pair.value.scalar else { return !pair.value.isNull }
                return scalar.kind != .null && !(scalar.kind == .string && scalar.text.isEmpty)
            }
            if criteria.isEmpty {
                throw Diagnostic.error("`\(path)[\(index)].deviceSelector` is empty (expected hardwareAddr, permanentAddr, busPath, driver, pciID or physical)",
                                       at: selector.location ?? device.location)
            }
        }
    }

    /// talhelper's group merge: patches group-then-node, certSANs and extraManifests node-then-group
    /// (unless the node overrides them), any other field the node's when set, else the group's.
    func overriding(_ group: NodeSettings, overridePatches: Bool, overrideExtraManifests: Bool,
                    overrideMachineCertSANs: Bool) -> NodeSettings {
        var result = self
        if let groupPatches = group.patches, !groupPatches.isEmpty, !overridePatches {
            result.patches = groupPatches + (patches ?? [])
        }
        if let groupManifests = group.extraManifests, !groupManifests.isEmpty, !overrideExtraManifests {
            result.extraManifests = (extraManifests ?? []) + groupManifests
        }
        if let groupSANs = group.certSANs, !groupSANs.isEmpty, !overrideMachineCertSANs {
            result.certSANs = (certSANs ?? []) + groupSANs
        }
        result.nodeLabels = nodeLabels ?? group.nodeLabels
        result.nodeAnnotations = nodeAnnotations ?? group.nodeAnnotations
        result.nodeTaints = nodeTaints ?? group.nodeTaints
        result.machineDisks = machineDisks ?? group.machineDisks
        result.machineFiles = machineFiles ?? group.machineFiles
        result.disableSearchDomain = disableSearchDomain || group.disableSearchDomain
        result.kernelModules = kernelModules ?? group.kernelModules
        result.nameservers = nameservers ?? group.nameservers
        result.networkInterfaces = networkInterfaces ?? group.networkInterfaces
        result.extraManifests = result.extraManifests ?? group.extraManifests
        result.certSANs = result.certSANs ?? group.certSANs
        result.patches = result.patches ?? group.patches
        result.talosImageURL = talosImageURL.isEmpty ? group.talosImageURL : talosImageURL
        result.schematic = schematic ?? group.schematic
        result.imageSchematic = imageSchematic ?? group.imageSchematic
        result.machineSpec = machineSpec.isZero ? group.machineSpec : machineSpec
        result.filenameTemplate = filenameTemplate.isEmpty ? group.filenameTemplate : filenameTemplate
        result.ingressFirewall = ingressFirewall ?? group.ingressFirewall
        result.extensionServices = extensionServices ?? group.extensionServices
        result.volumes = volumes ?? group.volumes
        result.userVolumes = userVolumes ?? group.userVolumes
        return result
    }
}

/// Hardware details that pick the installer flavour (`machineSpec:`).
public struct MachineSpec: Sendable, Hashable {
    public var mode = ""
    public var arch = ""
    public var secureboot = false
    public var useUKI = false
    public var bootMethod = ""
    public var imageSuffix = ""

    public init() {}

    init(_ node: YAMLNode, path: String, reader: inout TalconfigReader) throws {
        let fields = try reader.mapping(node, path: path, known: ["mode", "arch", "secureboot", "useUKI", "bootMethod", "imageSuffix"])
        mode = try reader.string(fields["mode"], path: "\(path).mode") ?? ""
        arch = try reader.string(fields["arch"], path: "\(path).arch") ?? ""
        secureboot = try reader.bool(fields["secureboot"], path: "\(path).secureboot") ?? false
        useUKI = try reader.bool(fields["useUKI"], path: "\(path).useUKI") ?? false
        bootMethod = try reader.string(fields["bootMethod"], path: "\(path).bootMethod") ?? ""
        imageSuffix = try reader.string(fields["imageSuffix"], path: "\(path).imageSuffix") ?? ""
    }

    var isZero: Bool { self == MachineSpec() }

    /// talhelper's default mode is `metal`.
    var effectiveMode: String { mode.isEmpty ? "metal" : mode }
}

/// One `nodes[]` entry with its group defaults merged in.
public struct TalhelperNode: Sendable {
    public var hostname: String
    /// Comma-separated addresses as written.
    public var ipAddress: String
    public var controlPlane: Bool
    public var installDisk: String
    public var installDiskSelector: YAMLNode?
    public var ignoreHostname: Bool
    public var overridePatches: Bool
    public var overrideExtraManifests: Bool
    public var overrideMachineCertSANs: Bool
    public var settings: NodeSettings
    public var location: SourceLocation?

    static let ownKeys: Set<String> = [
        "hostname", "ipAddress", "controlPlane", "installDisk", "installDiskSelector", "ignoreHostname",
        "overridePatches", "overrideExtraManifests", "overrideMachineCertSANs",
    ]
    static let allKeys = ownKeys.union(NodeSettings.keys)

    init(_ node: YAMLNode, path: String, reader: inout TalconfigReader) throws {
        let fields = try reader.mapping(node, path: path, known: Self.allKeys)
        guard let hostname = try reader.string(fields["hostname"], path: "\(path).hostname"), !hostname.isEmpty else {
            throw Diagnostic.error("`\(path)`: missing required field `hostname`", at: node.location)
        }
        self.hostname = hostname
        ipAddress = try reader.string(fields["ipAddress"], path: "\(path).ipAddress") ?? ""
        controlPlane = try reader.bool(fields["controlPlane"], path: "\(path).controlPlane") ?? false
        installDisk = try reader.string(fields["installDisk"], path: "\(path).installDisk") ?? ""
        installDiskSelector = try reader.talosValue(fields["installDiskSelector"], .structure("v1alpha1.InstallDiskSelector"),
                                                    path: "\(path).installDiskSelector")
        ignoreHostname = try reader.bool(fields["ignoreHostname"], path: "\(path).ignoreHostname") ?? false
        overridePatches = try reader.bool(fields["overridePatches"], path: "\(path).overridePatches") ?? false
        overrideExtraManifests = try reader.bool(fields["overrideExtraManifests"], path: "\(path).overrideExtraManifests") ?? false
        overrideMachineCertSANs = try reader.bool(fields["overrideMachineCertSANs"], path: "\(path).overrideMachineCertSANs") ?? false
        settings = try NodeSettings(fields: fields, path: path, reader: &reader)
        location = node.location
        // talhelper takes a domain name too (its `isDomainOrIP`).
        for address in ipAddresses where !TalhelperValidator.isDomainOrIP(address) {
            throw Diagnostic.error("`\(path).ipAddress`: invalid IP address \"\(address)\"", at: fields["ipAddress"]?.location ?? node.location)
        }
    }

    /// talhelper's `GetIPAddresses`: the comma-separated list, trimmed.
    public var ipAddresses: [String] {
        guard !ipAddress.isEmpty else { return [] }
        if ipAddress.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (every real address): the same split and trim over bytes, without Character handling.
            return ipAddress.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { part in
                let isBlank = { (byte: UInt8) in byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
                let start = part.firstIndex { !isBlank($0) } ?? part.endIndex
                let end = part.lastIndex { !isBlank($0) }.map { part.index(after: $0) } ?? start
                return String(decoding: part[start..<max(start, end)], as: UTF8.self)
            }
        }
        return ipAddress.split(separator: ",", omittingEmptySubsequences: false).map {
            String($0.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
    }
}
