import Diagnostics
import YAML

/// A Go field path over the v1alpha1 config as talhelper's templates write it (`.MachineConfig.MachineInstall.InstallImage`),
/// resolved on the YAML document: each Go field name is matched to the present key it ends with
/// (`MachineInstall` → `install`, `InstallImage` → `image`), the longest such key winning.
enum GoFieldPath {
    static let roots = ["MachineConfig": "machine", "ClusterConfig": "cluster", "ConfigVersion": "version",
                        "ConfigDebug": "debug", "ConfigPersist": "persist"]

    static func value(_ path: [String], in document: YAMLNode) throws -> URLTemplate.Value? {
        var node: YAMLNode? = document
        for (index, name) in path.enumerated() {
            guard let current = node, let pairs = current.mappingPairs else { return .string("") }
            let key: String?
            if index == 0, let root = roots[name] {
                key = root
            } else {
                let lowered = name.lowercased()
                key = pairs.compactMap { $0.key.scalar?.text }
                    .filter { lowered.hasSuffix($0.lowercased()) }
                    .max { $0.count < $1.count }
            }
            // An absent field is Go's zero value.
            guard let key else { return .string("") }
            node = current[key]
        }
        guard let node else { return .string("") }
        guard let scalar = node.scalar else {
            throw Diagnostic.error("template: .\(path.joined(separator: ".")) is not a single value")
        }
        if scalar.kind == .bool { return .bool(scalar.text == "true") }
        return .string(scalar.kind == .null ? "" : scalar.text)
    }
}
