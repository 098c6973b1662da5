import Diagnostics
import YAML

/// The config documents talhelper builds from node settings (ingress firewall, extension services,
/// volumes, user volumes), checked against the Talos types they become.
enum ExtraDocuments {
    /// `ingressFirewall:` → a `NetworkDefaultActionConfig` and one `NetworkRuleConfig` per rule.
    static func ingressFirewall(_ node: YAMLNode?, path: @autoclosure () -> String, reader: inout TalconfigReader) throws -> [YAMLNode]? {
        guard let node, !node.isNull else { return nil }
        let path = path()
        let fields = try reader.mapping(node, path: path, known: ["defaultAction", "rules"])
        // The Go zero value of the action is `accept`.
        let action = try reader.string(fields["defaultAction"], path: "\(path).defaultAction") ?? "accept"
        guard action == "accept" || action == "block" else {
            throw Diagnostic.error("`\(path).defaultAction`: expected accept or block, found \"\(action)\"", at: fields["defaultAction"]?.location)
        }
        var documents = [try checked(header("NetworkDefaultActionConfig", name: nil) + [YAMLPair("ingress", .string(action))],
                                     path: path, at: node.location)]
        if let rules = fields["rules"], !rules.isNull {
            documents += try list(rules, path: "\(path).rules", reader: &reader, kind: "NetworkRuleConfig",
                                  fields: ["portSelector": .structure("network.RulePortSelector"),
                                           "ingress": .list(.structure("network.IngressRule"))]) ?? []
        }
        return documents
    }

    /// A list of `name` + typed fields, one document of `kind` each; names must be unique.
    /// `path` and `types` are built only for a node that has the list (they are asked for every node).
    static func list(_ node: YAMLNode?, path: @autoclosure () -> String, reader: inout TalconfigReader, kind: String,
                     fields types: @autoclosure () -> [String: FieldType]) throws -> [YAMLNode]? {
        guard let node, !node.isNull else { return nil }
        let path = path(), types = types()
        guard let items = node.sequenceItems else { throw reader.mismatch(path, "a list", node) }
        var names: Set<String> = []
        var documents: [YAMLNode] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(path)[\(index)]"
            let fields = try reader.mapping(item, path: itemPath, known: Set(types.keys).union(["name"]))
            guard let name = try reader.string(fields["name"], path: "\(itemPath).name"), !name.isEmpty else {
                throw Diagnostic.error("`\(itemPath)`: missing required field `name`", at: item.location)
            }
            guard names.insert(name).inserted else {
                throw Diagnostic.error("`\(itemPath)`: duplicated name \"\(name)\"", at: fields["name"]?.location)
            }
            var pairs = header(kind, name: name)
            for pair in item.mappingPairs ?? [] {
                guard let key = pair.key.scalar?.text, let type = types[key] else { continue }
                if let value = try reader.talosValue(pair.value, type, path: "\(itemPath).\(key)") { pairs.append(YAMLPair(key, value)) }
            }
            documents.append(try checked(pairs, path: itemPath, at: item.location))
        }
        return documents
    }

    private static func header(_ kind: String, name: String?) -> [YAMLPair] {
        var pairs = [YAMLPair("apiVersion", .string("v1alpha1")), YAMLPair("kind", .string(kind))]
        if let name { pairs.append(YAMLPair("name", .string(name))) }
        return pairs
    }

    private static func checked(_ pairs: [YAMLPair], path: String, at location: SourceLocation? = nil) throws -> YAMLNode {
        try checked(YAMLNode(.mapping(pairs), location: location), path: path)
    }

    private static func checked(_ document: YAMLNode, path: String) throws -> YAMLNode {
        _ = try ConfigEncoding.canonical(document: document)
        return document
    }
}
