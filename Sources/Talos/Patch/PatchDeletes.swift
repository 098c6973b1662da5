import Diagnostics
import YAML

/// One `$patch: delete` marker found in a strategic-merge patch document.
struct DeleteSelector: Sendable {
    /// Keys from the document root; `[i]` entries are sequence positions in the patch.
    var path: [String]
    /// For a marker inside a sequence item: the item's first other key and its value pick what to delete.
    var itemKey: String?
    var itemValue: String?
    var location: SourceLocation?

    var pathDescription: String { path.joined(separator: ".") }
}

/// Splits `$patch: delete` markers out of a patch document, as Talos's config loader does.
enum PatchDeletes {
    struct Extracted {
        /// The patch with the markers removed; nil when nothing is left to merge.
        var document: YAMLNode?
        var deletes: [DeleteSelector]
    }

    static func extract(from document: YAMLNode) throws -> Extracted {
        var deletes: [DeleteSelector] = []
        var root = document
        let removeRoot = try process(&root, path: [], parentIsSequence: false, deletes: &deletes)
        if removeRoot || isEmptyDocument(root) { return Extracted(document: nil, deletes: deletes) }
        return Extracted(document: root, deletes: deletes)
    }

    /// Returns true when the node itself should be dropped from the patch.
    private static func process(_ node: inout YAMLNode, path: [String], parentIsSequence: Bool,
                                deletes: inout [DeleteSelector]) throws -> Bool {
        switch node.content {
        case .scalar:
            return false
        case .mapping(var pairs):
            if let marker = pairs.first(where: { $0.key.scalar?.text == "$patch" }) {
                guard marker.value.scalar?.text == "delete" else {
                    throw Diagnostic.error("unsupported `$patch` directive \"\(marker.value.scalar?.text ?? "")\"; only `delete` is supported",
                                           at: marker.value.location)
                }
                if parentIsSequence {
                    guard let selector = pairs.first(where: { $0.key.scalar?.text != "$patch" }) else {
                        throw Diagnostic.error("no key: value found in sequence item for path \(path.joined(separator: "."))",
                                               at: marker.key.location)
                    }
                    deletes.append(DeleteSelector(path: path, itemKey: selector.key.scalar?.text,
                                                  itemValue: selector.value.scalar?.text, location: marker.key.location))
                } else {
                    if path.contains(where: { $0.hasPrefix("[") }) {
                        throw Diagnostic.error("cannot delete an inner key in '\(path.joined(separator: "."))'", at: marker.key.location)
                    }
                    deletes.append(DeleteSelector(path: path, location: marker.key.location))
                }
                return true
            }
            var index = 0
            while index < pairs.count {
                let key = pairs[index].key.scalar?.text ?? ""
                if try process(&pairs[index].value, path: path + [key], parentIsSequence: false, deletes: &deletes) {
                    pairs.remove(at: index)
                    if pairs.isEmpty {
                        node.content = .mapping(pairs)
                        return true
                    }
                } else {
                    index += 1
                }
            }
            node.content = .mapping(pairs)
            return false
        case .sequence(var items):
            var index = 0
            var position = 0
            while index < items.count {
                if try process(&items[index], path: path + ["[\(position)]"], parentIsSequence: true, deletes: &deletes) {
                    items.remove(at: index)
                    if items.isEmpty {
                        node.content = .sequence(items)
                        return true
                    }
                } else {
                    index += 1
                }
                position += 1
            }
            node.content = .sequence(items)
            return false
        }
    }

    /// A document left with only its identity (`version`, `kind`, `name`) patches nothing.
    private static func isEmptyDocument(_ node: YAMLNode) -> Bool {
        guard let pairs = node.mappingPairs else { return false }
        return pairs.allSatisfy { pair in
            guard let key = pair.key.scalar?.text, pair.value.scalar != nil else { return false }
            return key == "version" || key == "kind" || key == "name"
        }
    }

    /// Removes what a selector points at from a (canonical) document.
    static func apply(_ selector: DeleteSelector, to document: inout YAMLNode, documentID: String) throws {
        func fail(_ reason: String) -> Diagnostic {
            Diagnostic.error("patch delete: path '\(selector.pathDescription)' in document '\(documentID)': \(reason)",
                             at: selector.location)
        }
        func delete(in node: inout YAMLNode, path: ArraySlice<String>) throws {
            guard let head = path.first else { throw fail("path is empty") }
            let rest = path.dropFirst()
            if head.hasPrefix("[") {
                guard rest.isEmpty else { throw fail("searching for complex paths in slices is not supported") }
                guard case .sequence(var items) = node.content else { throw fail("searching for a key in a non-slice") }
                guard let index = items.firstIndex(where: { item in
                    guard let key = selector.itemKey, let value = item[key]?.scalar else { return false }
                    return value.text == selector.itemValue
                }) else { throw fail("failed to delete path '\(selector.pathDescription)': lookup failed") }
                items.remove(at: index)
                node.content = .sequence(items)
                return
            }
            guard case .mapping(var pairs) = node.content,
                  let index = pairs.firstIndex(where: { $0.key.scalar?.text == head }),
                  !pairs[index].value.isNull else {
                throw fail("failed to delete path '\(selector.pathDescription)': lookup failed")
            }
            if rest.isEmpty {
                pairs.remove(at: index)
            } else {
                try delete(in: &pairs[index].value, path: rest)
            }
            node.content = .mapping(pairs)
        }
        try delete(in: &document, path: selector.path[...])
    }
}
