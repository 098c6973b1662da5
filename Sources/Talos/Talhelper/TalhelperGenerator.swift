import Diagnostics
import FoundationEssentials
import Glibc
import Secrets
import YAML

/// talhelper's `genconfig`: per-node machine configs from a talconfig and the cluster's secrets.
///
/// Per node, in talhelper's order: Talos's generator → the node's fields → the extra documents (v1.12+
/// hostname/resolver/network, firewall, extension services, volumes) → the node's patches (group first)
/// → the top-level patches → extra manifests; then Talos's metal-mode install checks.
public enum TalhelperGenerator {
    /// The ignore file written beside the configs.
    public static let gitignoreName = ".gitignore"

    /// Per-node machine configs `<clusterName>-<hostname>.yaml` and `.gitignore` — fully deterministic.
    /// `alsoIgnored`: further files the caller writes beside them, listed in the `.gitignore` too.
    public static func generateNodeConfigs(_ config: TalhelperConfig, secrets: SecretsBundle,
                                           alsoIgnored: [String] = []) throws -> [GeneratedFile] {
        var files: [GeneratedFile] = []
        var names: Set<String> = []
        var bases = BaseConfigs()
        // The nodes of one type share most of their config's mappings (see `ConfigEncoding.canonical`'s
        // reuse): each is written once and copied after.
        let memo = YAMLEmitMemo()
        for node in config.nodes {
            let name = outputFileName(node, in: config)
            guard !name.isEmpty, !name.utf8.contains(UInt8(ascii: "/")), name != ".", name != "..", name != ".gitignore", name != "talosconfig" else {
                throw Diagnostic.error("node \(node.hostname): output file name \"\(name)\" is not a plain file name", at: node.location)
            }
            guard names.insert(name).inserted else {
                throw Diagnostic.error("node \(node.hostname): output file name \"\(name)\" is used by another node", at: node.location)
            }
            let machineConfig = try nodeConfig(node, in: config, secrets: secrets, bases: &bases)
            var bytes = YAMLEmitter(indent: 2).emitBytes(machineConfig.documents, memo: memo)
            let extras = try extraManifestDocuments(node, config: config)
            if !extras.isEmpty {
                // Appended after patching and re-encoded as written, as talhelper appends and re-encodes them.
                bytes += Array("---\n".utf8) + YAMLEmitter(indent: 2, preserveStyles: true).emitBytes(extras)
            }
            files.append(GeneratedFile(name: name, contents: bytes, mode: 0o600))
        }
        files.append(gitignore(config, alsoIgnored: alsoIgnored))
        return files
    }

    /// talhelper's output name: `filenameTmpl` (default `{{ .ClusterName }}-{{ .Hostname }}.yaml`).
    public static func outputFileName(_ node: TalhelperNode, in config: TalhelperConfig) -> String {
        let template = node.settings.filenameTemplate.isEmpty ? "{{ .ClusterName }}-{{ .Hostname }}.yaml" : node.settings.filenameTemplate
        let values = ["ClusterName": config.clusterName, "Hostname": node.hostname, "IPAddress": node.ipAddress,
                      "Role": node.controlPlane ? "controlplane" : "worker"]
        return substituteFields(in: template, values)
    }

    /// Replaces `{{ .Field }}` — with or without one space inside either brace pair, as talhelper accepts —
    /// by the field's value; anything else is kept as written. One pass over the bytes (this runs per node).
    static func substituteFields(in template: String, _ values: [String: String]) -> String {
        let bytes = Array(template.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "{"), let (value, end) = field(in: bytes, at: index, values) {
                out.append(contentsOf: value.utf8)
                index = end
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of a known field reference starting at `start`, and the index just past it.
    private static func field(in bytes: [UInt8], at start: Int, _ values: [String: String]) -> (String, Int)? {
        var index = start
        func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        guard take(UInt8(ascii: "{")), take(UInt8(ascii: "{")) else { return nil }
        _ = take(UInt8(ascii: " "))
        guard take(UInt8(ascii: ".")) else { return nil }
        let nameStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "}") { index += 1 }
        guard let value = values[String(decoding: bytes[nameStart..<index], as: UTF8.self)] else { return nil }
        _ = take(UInt8(ascii: " "))
        guard take(UInt8(ascii: "}")), take(UInt8(ascii: "}")) else { return nil }
        return (value, index)
    }

    /// The `.gitignore` talhelper writes beside the configs: one line per generated file (and nothing else,
    /// so it can sit in a folder of inputs). 0600 like every other file of the folder (which is 0700 anyway):
    /// one mode for a folder of secrets, nothing to explain.
    static func gitignore(_ config: TalhelperConfig, alsoIgnored: [String] = []) -> GeneratedFile {
        var lines: [String] = []
        for name in config.nodes.map({ outputFileName($0, in: config) }) + ["talosconfig"] + alsoIgnored where !lines.contains(name) {
            lines.append(name)
        }
        return GeneratedFile(name: gitignoreName, contents: Array(lines.map { $0 + "\n" }.joined().utf8), mode: 0o600)
    }

    /// One node's machine config.
    public static func nodeConfig(_ node: TalhelperNode, in config: TalhelperConfig, secrets: SecretsBundle) throws -> MachineConfig {
        var bases = BaseConfigs()
        return try nodeConfig(node, in: config, secrets: secrets, bases: &bases)
    }

    /// Talos's generated config per machine type, before any node's fields: it depends only on the
    /// cluster's settings and secrets, so the nodes of one cluster share it (one generation per type, not
    /// per node).
    struct BaseConfigs {
        var byType: [MachineType: MachineConfig] = [:]
        /// The same with the fields talhelper sets alike on every node's `cluster` section (the aescbc
        /// secret, the CNI, the inline manifests) applied and re-encoded, so the nodes share that section
        /// as is: neither the re-encoding nor the emitter walks it again per node. nil when applying them
        /// alone failed: the nodes then take the full path, which reports the error as it always did.
        var withClusterFields: [MachineType: MachineConfig?] = [:]
    }

    static func nodeConfig(_ node: TalhelperNode, in config: TalhelperConfig, secrets: SecretsBundle,
                           bases: inout BaseConfigs) throws -> MachineConfig {
        let features = config.contract.features
        var options = GeneratorOptions()
        options.installImage = "ghcr.io/siderolabs/installer:\(config.talosVersion)"
        options.allowSchedulingOnControlPlanes = config.allowSchedulingOnControlPlanes
        if let domain = config.domain, !domain.isEmpty { options.dnsDomain = domain }
        options.podSubnets = config.podSubnets
        options.serviceSubnets = config.serviceSubnets
        options.additionalSANs = config.additionalAPIServerCertSANs
        options.machineCertSANs = config.additionalMachineCertSANs
        let type: MachineType = node.controlPlane ? .controlplane : .worker
        let generated: MachineConfig
        if let base = bases.byType[type] {
            generated = base
        } else {
            let generator = ConfigGenerator(clusterName: config.clusterName, endpoint: config.endpoint,
                                            kubernetesVersion: config.kubernetesVersion, secrets: secrets,
                                            contract: config.contract, options: options)
            generated = try generator.generate(type)
            bases.byType[type] = generated
        }

        let settings = node.settings
        let installerImage = try installerURL(node, in: config)
        let files = try resolvingFileContents(settings.machineFiles, key: "content", config: config)
        let manifests = try resolvingFileContents(config.inlineManifests, key: "contents", config: config)
        if bases.withClusterFields[type] == nil {
            var prepared = generated
            let hasClusterFields = !(secrets.aescbcEncryptionSecret ?? "").isEmpty || config.cniConfig != nil
                || !(manifests?.sequenceItems ?? []).isEmpty
            do {
                // Without any, the generated config is the prepared one as it stands (nothing to re-encode).
                if hasClusterFields {
                    try prepared.updateV1Alpha1 { document in
                        var cluster = document["cluster"] ?? .mapping([])
                        applyClusterFields(config: config, secrets: secrets, inlineManifests: manifests, to: &cluster)
                        document.set("cluster", cluster)
                    }
                }
                bases.withClusterFields[type] = .some(prepared)
            } catch {
                bases.withClusterFields[type] = .some(nil)
            }
        }
        var machineConfig: MachineConfig
        if case .some(.some(let prepared)) = bases.withClusterFields[type] {
            machineConfig = prepared
            // Go templates in labels see the config as talhelper builds it: the cluster fields set as given.
            try machineConfig.updateV1Alpha1 { document in
                try applyNodeFields(node, config: config, features: features, secrets: secrets, installerImage: installerImage,
                                    machineFiles: files, inlineManifests: manifests, clusterFieldsApplied: true, to: &document) { document in
                    var data = document
                    var cluster = generated.v1alpha1?["cluster"] ?? .mapping([])
                    applyClusterFields(config: config, secrets: secrets, inlineManifests: manifests, to: &cluster)
                    data.set("cluster", cluster)
                    return data
                }
            }
        } else {
            machineConfig = generated
            try machineConfig.updateV1Alpha1 { document in
                try applyNodeFields(node, config: config, features: features, secrets: secrets, installerImage: installerImage,
                                    machineFiles: files, inlineManifests: manifests, clusterFieldsApplied: false, to: &document) { $0 }
            }
        }
        let extraDocuments = try multidocs(node, features: features)
        if !extraDocuments.isEmpty {
            try machineConfig.apply(.strategicMerge(extraDocuments))
        }
        // talhelper renders every patch as a Go template over the config as it stood before its patches.
        let templateData = machineConfig.v1alpha1 ?? .mapping([])
        for source in (settings.patches ?? []) + config.patches {
            do {
                if let patch = try loadPatch(source, config: config, templateData: templateData) { try machineConfig.apply(patch) }
            } catch let diagnostic as Diagnostic where diagnostic.location?.file == inlinePatchFile {
                throw relocated(diagnostic, from: source, config: config)
            }
        }
        try validateForMetal(machineConfig, node: node)
        return machineConfig
    }

    /// talhelper's (deprecated) `extraManifests`: config documents from files, appended to the node's config.
    static func extraManifestDocuments(_ node: TalhelperNode, config: TalhelperConfig) throws -> [YAMLNode] {
        var documents: [YAMLNode] = []
        for entry in node.settings.extraManifests ?? [] {
            let path = entry.hasPrefix("@") ? String(entry.dropFirst()) : entry
            let text = try readFile(path, config: config, location: node.location)
            if text.contains("{{") {
                throw Diagnostic.error("extra manifest \(path): Go templates are not supported by talos-batch", at: node.location)
            }
            for document in try YAML.parseStream(text, file: config.displayName(ofReference: path)) where !document.isNull {
                _ = try ConfigEncoding.canonical(document: document)
                documents.append(document)
            }
        }
        return documents
    }

    /// The checks Talos's validation makes in metal mode, which talhelper runs on every config it writes.
    static func validateForMetal(_ config: MachineConfig, node: TalhelperNode) throws {
        guard let install = config.v1alpha1?["machine"]?["install"], !install.isNull else {
            throw Diagnostic.error("node \(node.hostname): install instructions are required in metal mode", at: node.location)
        }
        let disk = install.string("disk") ?? ""
        let selector = install["diskSelector"]
        if disk.isEmpty && (selector == nil || selector!.isNull || (selector!.mappingPairs ?? []).isEmpty) {
            throw Diagnostic.error("node \(node.hostname): either install disk or diskSelector should be defined (set `installDisk` or `installDiskSelector`)",
                                   at: node.location)
        }
        if !(install["extraKernelArgs"]?.sequenceItems ?? []).isEmpty && install.string("grubUseUKICmdline") == "true" {
            throw Diagnostic.error("node \(node.hostname): install.extraKernelArgs and install.grubUseUKICmdline can't be used together",
                                   at: node.location)
        }
    }

    /// `clusterFieldsApplied`: the document already holds `applyClusterFields`'s edits (re-encoded), and
    /// `templateData` gives the document the templated labels render over (see `renderTemplatedMetadata`).
    private static func applyNodeFields(_ node: TalhelperNode, config: TalhelperConfig, features: ContractFeatures,
                                        secrets: SecretsBundle, installerImage: String, machineFiles: YAMLNode?,
                                        inlineManifests: YAMLNode?, clusterFieldsApplied: Bool, to document: inout YAMLNode,
                                        templateData: (YAMLNode) -> YAMLNode) throws {
        let settings = node.settings
        var machine = document["machine"] ?? .mapping([])
        if !features.multidocNetworkConfig {
            var network = machine["network"] ?? .mapping([])
            if !node.ignoreHostname { network.set("hostname", .string(node.hostname)) }
            if let nameservers = settings.nameservers, !nameservers.isEmpty { network.set("nameservers", .strings(nameservers)) }
            if settings.disableSearchDomain { network.set("disableSearchDomain", .bool(true)) }
            if let interfaces = settings.networkInterfaces, !(interfaces.sequenceItems ?? []).isEmpty {
                network.set("interfaces", interfaces)
            }
            machine.set("network", network)
        }
        // From v1.14 Talos's generator writes no `machine.install` (an UnattendedInstallConfig document when
        // given a disk, which talhelper never gives it); talhelper still sets its node's install fields there,
        // on the install section its Talos library creates (wipe off, UKI cmdline for GRUB).
        var install = machine["install"] ?? .mapping([YAMLPair("wipe", .bool(false)), YAMLPair("grubUseUKICmdline", .bool(true))])
        if !node.installDisk.isEmpty { install.set("disk", .string(node.installDisk)) }
        if let selector = node.installDiskSelector { install.set("diskSelector", selector) }
        if let args = settings.schematic?["customization"]?["extraKernelArgs"]?.sequenceItems, !args.isEmpty,
           !settings.machineSpec.useUKI, !features.grubUseUKICmdline {
            install.set("extraKernelArgs", .sequence((install["extraKernelArgs"]?.sequenceItems ?? []) + args))
        }
        install.set("image", .string(installerImage))
        machine.set("install", install)
        if let disks = settings.machineDisks, !(disks.sequenceItems ?? []).isEmpty { machine.set("disks", disks) }
        if let modules = settings.kernelModules, !(modules.sequenceItems ?? []).isEmpty {
            machine.set("kernel", .mapping([YAMLPair("modules", modules)]))
        }
        if let annotations = settings.nodeAnnotations { machine.set("nodeAnnotations", stringMap(annotations)) }
        if let labels = settings.nodeLabels { machine.set("nodeLabels", stringMap(labels)) }
        if let taints = settings.nodeTaints { machine.set("nodeTaints", stringMap(taints)) }
        if let machineFiles, !(machineFiles.sequenceItems ?? []).isEmpty { machine.set("files", machineFiles) }
        if let sans = settings.certSANs, !sans.isEmpty {
            machine.set("certSANs", .sequence((machine["certSANs"]?.sequenceItems ?? []) + sans.map { .string($0) }))
        }
        document.set("machine", machine)
        if !clusterFieldsApplied {
            var cluster = document["cluster"] ?? .mapping([])
            applyClusterFields(config: config, secrets: secrets, inlineManifests: inlineManifests, to: &cluster)
            document.set("cluster", cluster)
        }
        try renderTemplatedMetadata(node, in: &document, data: templateData)
    }

    /// The fields talhelper sets on every node's `cluster` section alike, in its order.
    private static func applyClusterFields(config: TalhelperConfig, secrets: SecretsBundle, inlineManifests: YAMLNode?,
                                           to cluster: inout YAMLNode) {
        if let aescbc = secrets.aescbcEncryptionSecret, !aescbc.isEmpty {
            cluster.set("aescbcEncryptionSecret", .string(aescbc))
        }
        if let cni = config.cniConfig {
            var network = cluster["network"] ?? .mapping([])
            network.set("cni", cni)
            cluster.set("network", network)
        }
        if let manifests = inlineManifests, !(manifests.sequenceItems ?? []).isEmpty {
            cluster.set("inlineManifests", manifests)
        }
    }

    /// talhelper's `templateConfig`: Go-templated node label and annotation values rendered over the node's
    /// v1alpha1 config (Go field names such as `.MachineConfig.MachineInstall.InstallImage`), the config
    /// as it stands with the node's fields and installer image, before any patch.
    /// `data` builds it from the document as the node's fields left it, once, and only when a value is templated.
    private static func renderTemplatedMetadata(_ node: TalhelperNode, in document: inout YAMLNode,
                                                data makeData: (YAMLNode) -> YAMLNode) throws {
        let entry = document
        var built: YAMLNode?
        for (key, values) in [("nodeLabels", node.settings.nodeLabels), ("nodeAnnotations", node.settings.nodeAnnotations)] {
            guard let values, values.contains(where: { URLTemplate.isTemplate($0.1) }) else { continue }
            let data = built ?? makeData(entry)
            built = data
            var machine = document["machine"] ?? .mapping([])
            var map = machine[key] ?? .mapping([])
            for (name, value) in values where URLTemplate.isTemplate(value) {
                do {
                    let rendered = try URLTemplate(value).render { path in try GoFieldPath.value(path, in: data) }
                    map.set(name, .string(rendered))
                } catch let diagnostic as Diagnostic {
                    throw Diagnostic.error("node \(node.hostname): `\(key).\(name)`: \(diagnostic.message)", at: node.location)
                }
            }
            machine.set(key, map)
            document.set("machine", machine)
        }
    }

    private static func stringMap(_ pairs: [(String, String)]) -> YAMLNode {
        .mapping(pairs.map { YAMLPair($0.0, .string($0.1)) })
    }

    /// The installer image: the Image Factory's for a schematic, `talosImageURL` when given, else the stock one.
    public static func installerURL(_ node: TalhelperNode, in config: TalhelperConfig) throws -> String {
        let version = config.talosVersion
        if !node.settings.talosImageURL.isEmpty {
            return node.settings.talosImageURL + ":" + version
        }
        // A node without a schematic gets the Image Factory installer of the empty schematic, as in talhelper.
        do {
            return try FactoryURLs.installer(schematic: node.settings.schematic, registry: config.imageFactoryRegistry,
                                             template: config.installerURLTemplate, spec: node.settings.machineSpec, version: version)
        } catch let diagnostic as Diagnostic {
            throw Diagnostic.error("node \(node.hostname): imageFactory.installerURLTmpl: \(diagnostic.message)", at: node.location)
        }
    }

    /// The extra documents talhelper adds, in its order: resolver and hostname (v1.12+), ingress
    /// firewall, extension services, volumes, user volumes, network interfaces (v1.12+).
    private static func multidocs(_ node: TalhelperNode, features: ContractFeatures) throws -> [YAMLNode] {
        var documents: [YAMLNode] = []
        let settings = node.settings
        if features.multidocNetworkConfig && (!(settings.nameservers ?? []).isEmpty || settings.disableSearchDomain) {
            documents.append(.mapping([
                YAMLPair("apiVersion", .string("v1alpha1")),
                YAMLPair("kind", .string("ResolverConfig")),
                YAMLPair("nameservers", .sequence((settings.nameservers ?? []).map { .mapping([YAMLPair("address", .string($0))]) })),
                YAMLPair("searchDomains", .mapping([YAMLPair("disableDefault", .bool(settings.disableSearchDomain))])),
            ]))
        }
        if features.multidocNetworkConfig {
            var hostname = [YAMLPair("apiVersion", .string("v1alpha1")), YAMLPair("kind", .string("HostnameConfig"))]
            if node.ignoreHostname {
                hostname.append(YAMLPair("auto", .string("stable")))
            } else {
                hostname.append(YAMLPair("auto", .string("off")))
                hostname.append(YAMLPair("hostname", .string(node.hostname)))
            }
            documents.append(.mapping(hostname))
        }
        documents += (settings.ingressFirewall ?? []) + (settings.extensionServices ?? [])
            + (settings.volumes ?? []) + (settings.userVolumes ?? [])
        if features.multidocNetworkConfig, let interfaces = settings.networkInterfaces {
            documents += try NetworkDocuments.documents(for: interfaces)
        }
        return documents
    }

    /// `machineFiles` / `inlineManifests` with `@file` contents read (and `${VAR}`-substituted unless `skipEnvsubst`).
    private static func resolvingFileContents(_ files: YAMLNode?, key: String, config: TalhelperConfig) throws -> YAMLNode? {
        guard let files, let items = files.sequenceItems else { return files }
        var out: [YAMLNode] = []
        for var file in items {
            let skip = file["skipEnvsubst"]?.scalar?.text == "true"
            file.remove("skipEnvsubst")
            if let content = file.string(key), content.hasPrefix("@") {
                let path = String(content.dropFirst())
                let text = try readFile(path, config: config, location: file[key]?.location)
                file.set(key, .string(skip ? text : try EnvSubstitution.substitute(text, environment: config.environment,
                                                                                  file: config.displayName(ofReference: path))))
            }
            out.append(file)
        }
        return YAMLNode(.sequence(out), location: files.location)
    }

    private static func readFile(_ path: String, config: TalhelperConfig, location: SourceLocation?) throws -> String {
        guard let reference = TalhelperConfig.fileReference("@" + path) else {
            throw Diagnostic.error("an `@` file reference needs a path", at: location)
        }
        return try config.contents(ofReference: reference, location: location)
    }

    /// A `patches:` entry as talhelper loads it: `@file` (skipped when blank, decrypted when SOPS-encrypted,
    /// rendered as a Go template, then `${VAR}`-substituted) or inline (rendered as a Go template).
    static func loadPatch(_ source: PatchSource, config: TalhelperConfig, templateData: YAMLNode = .mapping([])) throws -> ConfigPatch? {
        // talhelper renders every patch with Go's text/template over the config; talos-batch renders the
        // subset `URLTemplate` knows and refuses the rest rather than write a config that differs.
        func rendered(_ text: String, file: String) throws -> String {
            guard URLTemplate.isTemplate(text) else { return text }
            do {
                return try URLTemplate(text).render { path in try GoFieldPath.value(path, in: templateData) }
            } catch let diagnostic as Diagnostic {
                throw Diagnostic.error("\(file): Go template: \(diagnostic.message)", at: source.location)
            }
        }
        if source.text.hasPrefix("@") {
            let path = String(source.text.dropFirst())
            var text = try readFile(path, config: config, location: source.location)
            if text.allSatisfy(\.isWhitespace) { return nil }
            let file = config.displayName(ofReference: path)
            // talhelper decrypts every `@file` patch with sops when it can (then templates and substitutes it).
            if SOPSFile.isEncrypted(Array(text.utf8)) {
                text = try decryptedPatch(text, file: file, config: config, location: source.location)
            }
            text = try rendered(text, file: file)
            let substituted = try EnvSubstitution.substitute(text, environment: config.environment, file: file)
            return try ConfigPatch.parse(substituted, file: file)
        }
        return try ConfigPatch.parse(try rendered(source.text, file: "inline patch"), file: inlinePatchFile)
    }

    private static func decryptedPatch(_ text: String, file: String, config: TalhelperConfig,
                                       location: SourceLocation?) throws -> String {
        let identities = try config.decryptionIdentities?()
            ?? AgeKeyLocator.identities(environment: config.environment, extraKeyFiles: [])
        do {
            return try SOPSFile.decrypt(Array(text.utf8), file: file, identities: identities)
        } catch let diagnostic as Diagnostic where diagnostic.location == nil {
            throw Diagnostic(diagnostic.severity, at: location, "SOPS-encrypted patch: " + diagnostic.message)
        }
    }

    /// The file name positions inside inline patches carry until they are mapped back into the talconfig.
    static let inlinePatchFile = "<inline patch>"


    /// Maps a position inside an inline patch back into the talconfig.
    private static func relocated(_ diagnostic: Diagnostic, from source: PatchSource, config: TalhelperConfig) -> Diagnostic {
        guard let outer = source.location, let inner = diagnostic.location else {
            return Diagnostic(diagnostic.severity, at: source.location, diagnostic.message + " (in an inline patch)")
        }
        let location: SourceLocation
        switch source.style {
        case .literal, .folded:
            // The block's content starts on the line after its indicator, indented by its first line's indentation.
            let line = outer.line + inner.line
            let first = config.sourceLine(outer.line)
            let indent = first.prefix { $0 == " " }.count
            location = SourceLocation(file: outer.file, line: line, column: inner.column + indent)
        case .plain, .singleQuoted, .doubleQuoted:
            // Exact on the scalar's first line; later lines of a multi-line flow scalar are approximate.
            let quote = source.style == .plain ? 0 : 1
            location = inner.line == 1
                ? SourceLocation(file: outer.file, line: outer.line, column: outer.column + quote + inner.column - 1)
                : SourceLocation(file: outer.file, line: outer.line + inner.line - 1, column: inner.column)
        }
        return Diagnostic(diagnostic.severity, at: location, diagnostic.message + " (in an inline patch)")
    }
}
