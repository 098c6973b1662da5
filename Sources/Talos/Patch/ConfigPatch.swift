import Diagnostics
import FileAccess
import FoundationEssentials
import Glibc
import YAML

/// A machine-config patch as `talosctl --config-patch` takes it.
public enum ConfigPatch: Sendable, Hashable {
    /// Strategic-merge documents (may hold `$patch: delete` markers).
    case strategicMerge([YAMLNode])
    /// An RFC 6902 JSON patch (written in JSON or YAML).
    case jsonPatch([JSONPatchOperation])

    /// Reads patch text as Talos does: config documents are a strategic-merge patch, a list of
    /// operations is a JSON patch. `file` names the source in error positions.
    public static func parse(_ text: String, file: String) throws -> ConfigPatch {
        let documents = try YAML.parseStream(text, file: file)
        if documents.count == 1, let operations = documents[0].sequenceItems {
            return .jsonPatch(try operations.map { try JSONPatchOperation($0, file: file) })
        }
        for document in documents where document.mappingPairs == nil && !document.isNull {
            throw Diagnostic.error("a config patch is either config documents (mappings) or a list of JSON patch operations; found \(document.kindDescription)",
                                   at: document.location)
        }
        return .strategicMerge(documents.filter { !$0.isNull })
    }

    /// A `--config-patch` argument as talosctl reads it: `@file`; a bare word (no spaces or newlines,
    /// not starting with `[` or `{`) is a file path too; anything else is the patch itself.
    public static func load(argument: String, relativeTo directory: URL? = nil) throws -> ConfigPatch {
        let isBarePath = !argument.contains(" ") && !argument.contains("\n") && !argument.hasPrefix("[") && !argument.hasPrefix("{")
        if argument.hasPrefix("@") || isBarePath {
            let path = argument.hasPrefix("@") ? String(argument.dropFirst()) : argument
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path)
                : directory.map { $0.appendingPathComponent(path) } ?? URL(fileURLWithPath: path)
            // The checked reader (issue 19): a FIFO or /dev/zero is an error naming the file, not a hang.
            let data: [UInt8]
            do {
                data = try RegularFile.read(url.path)
            } catch let error as RegularFileError {
                throw Diagnostic.error("cannot read patch file \(path): \(error.reason)")
            }
            return try parse(String(decoding: data, as: UTF8.self), file: path)
        }
        return try parse(argument, file: "<inline patch>")
    }
}

/// Applies patches to a machine config's documents (`configpatcher.Apply`).
enum ConfigPatcher {
    static func apply(_ patch: ConfigPatch, to documents: [YAMLNode]) throws -> [YAMLNode] {
        switch patch {
        case .strategicMerge(let patchDocuments):
            var result = documents
            for document in patchDocuments {
                try merge(document, into: &result)
            }
            return result
        case .jsonPatch(let operations):
            guard documents.count == 1 else {
                throw Diagnostic.error("JSON6902 patches are not supported for multi-document machine configuration",
                                       at: operations.first?.location)
            }
            let patched = try JSONPatch.apply(operations, to: documents[0])
            return [try ConfigEncoding.canonical(document: patched, editedFrom: documents[0])]
        }
    }

    private static func merge(_ patchDocument: YAMLNode, into documents: inout [YAMLNode]) throws {
        let id = ConfigEncoding.documentID(of: patchDocument)
        let extracted = try PatchDeletes.extract(from: patchDocument)
        for selector in extracted.deletes {
            guard let index = documents.firstIndex(where: { ConfigEncoding.documentID(of: $0) == id }) else { continue }
            if selector.path.isEmpty {
                if documents[index]["kind"] == nil {
                    throw Diagnostic.error("patch delete: can't delete the root of the legacy document", at: selector.location)
                }
                documents.remove(at: index)
                continue
            }
            var document = documents[index]
            try PatchDeletes.apply(selector, to: &document, documentID: id)
            documents[index] = try ConfigEncoding.canonical(document: document, editedFrom: documents[index])
        }
        guard let right = extracted.document else { return }
        let typeName = try ConfigEncoding.documentType(of: right)
        let typedRight = try ConfigEncoding.decodedPatch(document: right)
        if let index = documents.firstIndex(where: { ConfigEncoding.documentID(of: $0) == id }) {
            let merged = try StrategicMerge.merge(documents[index], typedRight, .structure(typeName), path: .root)
            documents[index] = try ConfigEncoding.canonical(document: merged, editedFrom: documents[index])
        } else {
            documents.append(try ConfigEncoding.canonical(document: right))
        }
    }
}
