import Diagnostics
import YAML

/// talhelper's Image Factory URLs (`GetInstallerURL`, `GetImageURL`): the schematic's ID computed offline,
/// put into the installer or image URL template with the machine spec's defaults (metal, amd64, iso).
public enum FactoryURLs {
    public static let defaultImageURLTemplate = "{{.Protocol}}://{{.RegistryURL}}/image/{{.ID}}/{{.Version}}/{{.Mode}}-{{.Arch}}"
        + "{{if .Secureboot}}-secureboot{{end}}{{if and .Secureboot .UseUKI}}-uki.efi{{ else }}{{.Suffix}}{{end}}"

    public static func installer(schematic: YAMLNode?, registry: String, template: String = TalhelperConfig.defaultInstallerURLTemplate,
                                 spec: MachineSpec, version: String) throws -> String {
        let id = try SchematicID.compute(schematic ?? .mapping([]))
        return try URLTemplate(template).render([
            "RegistryURL": .string(registry), "ID": .string(id), "Version": .string(version),
            "Mode": .string(spec.effectiveMode), "Secureboot": .bool(spec.secureboot),
        ])
    }

    /// `spec` as talhelper's `GetMachineSpec` fills it for a node (`nodeDefaults`), or as the flags give it.
    public static func image(schematic: YAMLNode?, registry: String, protocol scheme: String = "https",
                             template: String = defaultImageURLTemplate, spec: MachineSpec, version: String) throws -> String {
        let id = try SchematicID.compute(schematic ?? .mapping([]))
        let suffix = spec.imageSuffix.isEmpty
            ? defaultSuffix(bootMethod: spec.bootMethod, secureboot: spec.secureboot, uki: spec.useUKI)
            : "." + spec.imageSuffix
        return try URLTemplate(template).render([
            "Protocol": .string(scheme), "RegistryURL": .string(registry), "ID": .string(id), "Version": .string(version),
            "Mode": .string(spec.mode), "Arch": .string(spec.arch), "Secureboot": .bool(spec.secureboot),
            "UseUKI": .bool(spec.useUKI), "BootMethod": .string(spec.bootMethod), "Suffix": .string(suffix),
        ])
    }

    /// Values to render a custom image URL template with once at load, so an unsupported construct fails there.
    static let sampleImageValues: [String: URLTemplate.Value] = [
        "Protocol": .string("https"), "RegistryURL": .string("r"), "ID": .string("i"), "Version": .string("v"),
        "Mode": .string("metal"), "Arch": .string("amd64"), "Secureboot": .bool(false), "UseUKI": .bool(false),
        "BootMethod": .string("iso"), "Suffix": .string(".iso"),
    ]

    /// A node's image URL as talhelper's `genurl image` makes it: its `imageSchematic` when set, else its
    /// `schematic`, through the talconfig's `imageFactory` (registry, protocol, `ISOURLTmpl`).
    public static func image(for node: TalhelperNode, in config: TalhelperConfig) throws -> String {
        try image(schematic: node.settings.imageSchematic ?? node.settings.schematic, registry: config.imageFactoryRegistry,
                  protocol: config.imageFactoryProtocol, template: config.imageURLTemplate,
                  spec: nodeDefaults(node.settings.machineSpec), version: config.talosVersion)
    }

    /// talhelper's `GetMachineSpec`: a node's spec with metal, amd64, iso (suffix `iso`) filled in.
    public static func nodeDefaults(_ spec: MachineSpec) -> MachineSpec {
        var result = spec
        if result.mode.isEmpty { result.mode = "metal" }
        if result.arch.isEmpty { result.arch = "amd64" }
        if result.bootMethod.isEmpty { result.bootMethod = "iso" }
        if result.imageSuffix.isEmpty { result.imageSuffix = "iso" }
        return result
    }

    /// talhelper's `parseImageSuffix` (its `.raw.zxt` for disk images included).
    static func defaultSuffix(bootMethod: String, secureboot: Bool, uki: Bool) -> String {
        switch bootMethod {
        case "", "iso": return secureboot && uki && bootMethod == "iso" ? ".efi" : ".iso"
        case "disk-image": return ".raw.zxt"
        default: return ""
        }
    }
}
