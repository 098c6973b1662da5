import Diagnostics
import Hashing
import YAML

/// The Image Factory's schematic ID: the hex SHA-256 of the schematic as the factory re-encodes it
/// (yaml.v3, 4-space indent, its struct field order, empty fields left out, `customization` always there).
public enum SchematicID {
    public static func compute(_ schematic: YAMLNode) throws -> String {
        Digest.of(try canonicalText(schematic)).hex
    }

    /// The factory's encoding of the schematic (what its ID hashes).
    static func canonicalText(_ schematic: YAMLNode) throws -> String {
        let input = schematic.isNull ? YAMLNode.mapping([]) : schematic
        let canonical = try ConfigEncoding.canonical(input, .structure("schematic.Schematic"), path: .root, fill: true)
        return YAMLEmitter(indent: 4).emit(canonical)
    }
}

extension ConfigSchema {
    /// The Image Factory's schematic types (siderolabs/image-factory `pkg/schematic`), in declaration order.
    static let schematicStructs: [String: [FieldSpec]] = [
        "schematic.Schematic": [
            FieldSpec("owner", .string, omitEmpty: true),
            FieldSpec("overlay", .structure("schematic.Overlay"), omitEmpty: true),
            FieldSpec("customization", .structure("schematic.Customization")),
        ],
        "schematic.Customization": [
            FieldSpec("embeddedMachineConfiguration", .string, omitEmpty: true),
            FieldSpec("extraKernelArgs", .list(.string), omitEmpty: true),
            FieldSpec("meta", .list(.structure("schematic.MetaValue")), omitEmpty: true),
            FieldSpec("systemExtensions", .structure("schematic.SystemExtensions"), omitEmpty: true),
            FieldSpec("bootloader", .string, omitEmpty: true),
            FieldSpec("secureboot", .structure("schematic.SecureBootCustomization"), omitEmpty: true),
            FieldSpec("diskImage", .structure("schematic.DiskImageCustomization"), omitEmpty: true),
        ],
        "schematic.MetaValue": [
            FieldSpec("key", .int),
            FieldSpec("value", .string),
        ],
        "schematic.SystemExtensions": [
            FieldSpec("officialExtensions", .list(.string), omitEmpty: true),
        ],
        "schematic.Overlay": [
            FieldSpec("image", .string),
            FieldSpec("name", .string),
            FieldSpec("options", .unstructured, omitEmpty: true),
        ],
        "schematic.SecureBootCustomization": [
            FieldSpec("enrollKeys", .string, omitEmpty: true),
            FieldSpec("includeWellKnownCertificates", .bool, omitEmpty: true),
        ],
        "schematic.DiskImageCustomization": [
            FieldSpec("sectorSize", .int, omitEmpty: true),
        ],
    ]
}
