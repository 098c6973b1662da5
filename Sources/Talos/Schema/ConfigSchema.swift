/// How one field of a Talos config type is decoded, merged and encoded.
///
/// Talos decodes config documents into Go structs and encodes them back, so the output's field order,
/// omitted zero values and merge behaviour all follow the struct definitions. This mirrors them as data.
indirect enum FieldType: Sendable, Hashable {
    /// A Go `string`: any scalar decodes into it; encoded as a string.
    case string
    case bool
    /// Any Go integer type.
    case int
    /// A type with its own YAML marshalling (URLs, durations, byte slices, CEL expressions): kept as written.
    case opaque
    /// A Go struct, named as `package.Type` in `ConfigSchema.generatedStructs`.
    case structure(String)
    /// A slice; strategic merge appends unless the field says `merge:"replace"`.
    case list(FieldType)
    /// A `map[string]T`; encoded with sorted keys, merged key by key.
    case map(FieldType)
    /// `meta.Unstructured` (`map[string]any`): deep-merged, encoded with sorted keys.
    case unstructured
    /// `Args`: a map whose values are a string or a list; a merge overwrites keys.
    case args
    /// A file mode: any integer literal in, written in octal as `0o644`.
    case fileMode
    /// A disk size: bytes or a human size in (`100GB`, `1.5 TiB`), written as `100 GB` when exact, else bytes.
    case diskSize
    /// A list Talos merges by key (network interfaces, VLANs, admission plugins, extension config files).
    case keyedList(String, keys: [String])
}

/// One field of a config struct, in declaration order.
struct FieldSpec: Sendable, Hashable {
    let key: String
    let type: FieldType
    /// `yaml:",omitempty"`: zero values are left out when encoding.
    let omitEmpty: Bool
    /// A Go pointer: present-but-empty is kept (`{}`), and a merge overwrites even with a zero value.
    let pointer: Bool
    /// `yaml:",inline"`: the struct's fields appear at this level.
    let inline: Bool
    /// `merge:"replace"`: a strategic merge replaces the value instead of appending/merging.
    let replace: Bool

    init(_ key: String, _ type: FieldType, omitEmpty: Bool = false, pointer: Bool = false,
         inline: Bool = false, replace: Bool = false) {
        self.key = key
        self.type = type
        self.omitEmpty = omitEmpty
        self.pointer = pointer
        self.inline = inline
        self.replace = replace
    }
}

/// The Talos config types (generated from Talos's Go definitions) and how documents map onto them.
enum ConfigSchema {
    /// The legacy `v1alpha1` document (`version: v1alpha1`, no `kind`).
    static let v1alpha1Config = "v1alpha1.Config"

    /// Fields of a struct with inline structs flattened, in encoding order.
    static func fields(of structName: String) -> [FieldSpec] {
        flattened[structName] ?? []
    }

    static func field(_ key: String, of structName: String) -> FieldSpec? {
        fieldIndex[structName]?[key]
    }

    /// The struct a document decodes into: by `kind`, or the legacy v1alpha1 document when it has none.
    static func documentType(kind: String?) -> String? {
        guard let kind else { return v1alpha1Config }
        return generatedKinds[kind]
    }

    private static let flattened: [String: [FieldSpec]] = {
        var result: [String: [FieldSpec]] = [:]
        func flatten(_ name: String) -> [FieldSpec] {
            if let done = result[name] { return done }
            var fields: [FieldSpec] = []
            for field in generatedStructs[name] ?? schematicStructs[name] ?? [] {
                if field.inline, case .structure(let inner) = field.type {
                    fields.append(contentsOf: flatten(inner))
                } else if !field.inline {
                    fields.append(field)
                }
            }
            result[name] = fields
            return fields
        }
        for name in generatedStructs.keys { _ = flatten(name) }
        for name in schematicStructs.keys { _ = flatten(name) }
        return result
    }()

    /// A struct's flattened fields with, per field, the slot its key's value is kept in while encoding
    /// (the position of the key's first field — a key can appear twice once inline structs are flattened),
    /// and each key's slot and field: one table lookup per struct, one per key.
    struct StructLayout: Sendable {
        let fields: [FieldSpec]
        let slots: [Int]
        let byKey: [String: (slot: Int, field: FieldSpec)]
        /// Fields written even when unset (not `omitempty`): at most this many more than were given.
        let alwaysWritten: Int

        /// The slot and field of `key`, looked for first at `position` (then advanced past it): keys mostly
        /// come in field order — every canonical document's do, and its key strings are the fields' own —
        /// so one string comparison usually replaces hashing the key. The same answer as `byKey`.
        func entry(_ key: String, near position: inout Int) -> (slot: Int, field: FieldSpec)? {
            if position < fields.count, fields[position].key == key {
                let slot = slots[position]
                position += 1
                return (slot, fields[slot])
            }
            guard let found = byKey[key] else { return nil }
            position = found.slot + 1
            return found
        }
    }

    static func layout(of structName: String) -> StructLayout {
        layouts[structName] ?? StructLayout(fields: [], slots: [], byKey: [:], alwaysWritten: 0)
    }

    private static let layouts: [String: StructLayout] = flattened.mapValues { fields in
        var byKey: [String: (slot: Int, field: FieldSpec)] = [:]
        var slots: [Int] = []
        for (position, field) in fields.enumerated() {
            if byKey[field.key] == nil { byKey[field.key] = (position, field) }
            slots.append(byKey[field.key]!.slot)
        }
        return StructLayout(fields: fields, slots: slots, byKey: byKey, alwaysWritten: fields.filter { !$0.omitEmpty }.count)
    }

    private static let fieldIndex: [String: [String: FieldSpec]] = flattened.mapValues { fields in
        var index: [String: FieldSpec] = [:]
        for field in fields where index[field.key] == nil { index[field.key] = field }
        return index
    }
}
