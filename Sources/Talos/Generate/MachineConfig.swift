import YAML

/// The role a machine config is generated for.
public enum MachineType: String, Sendable, Hashable, CaseIterable {
    case controlplane
    case worker
}

/// A Talos machine config: the v1alpha1 document followed by any multi-document configs, each kept
/// in the form Talos's encoder writes (see `ConfigEncoding`).
public struct MachineConfig: Sendable, Hashable {
    public private(set) var documents: [YAMLNode]

    /// Checks each document against its Talos type and stores it canonically.
    public init(documents: [YAMLNode]) throws {
        self.documents = try documents.map { try ConfigEncoding.canonical(document: $0) }
    }

    /// The config as `talosctl gen config` writes it with comments disabled (4-space indent), or
    /// re-indented as talhelper writes its node files (2).
    public func encoded(indent: Int = 4) -> String {
        YAMLEmitter(indent: indent).emitDocuments(documents)
    }

    /// The legacy v1alpha1 document, if there is one.
    public var v1alpha1: YAMLNode? {
        documents.first { $0["kind"] == nil }
    }

    /// Applies a patch the way `talosctl --config-patch` does.
    public mutating func apply(_ patch: ConfigPatch) throws {
        documents = try ConfigPatcher.apply(patch, to: documents)
    }

    /// Edits the v1alpha1 document in place; what the edit changed is re-checked and re-encoded.
    mutating func updateV1Alpha1(_ edit: (inout YAMLNode) throws -> Void) throws {
        guard let index = documents.firstIndex(where: { $0["kind"] == nil }) else { return }
        var document = documents[index]
        try edit(&document)
        documents[index] = try ConfigEncoding.canonical(document: document, editedFrom: documents[index])
    }
}
