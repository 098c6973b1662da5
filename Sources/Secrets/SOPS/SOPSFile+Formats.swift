import Diagnostics
import SystemKit

extension SOPSFile {
    /// The plaintext of a SOPS file of any format, written in `output` (default: the input format), or
    /// only the part `extract` names: byte for byte what `sops -d [--extract …]` prints.
    public static func decrypt(_ bytes: [UInt8], file: String, identities: [AgeIdentity], input: SOPSFormat,
                               output: SOPSFormat? = nil, extract: SOPSTreePath? = nil) throws -> [UInt8] {
        let documents = try decryptTree(bytes, file: file, identities: identities, format: input)
        let format = output ?? input
        guard let extract else { return try emit(documents, as: format) }
        let value = try extract.select(in: documents.first ?? [])
        switch value {
        case .branch(let items): return try emit([items], as: format)
        case .string(let text): return Array(text.utf8)
        case .bytes(let bytes): return bytes
        default: return try emitValue(value, as: format)
        }
    }

    /// The whole plaintext in a store's format.
    static func emit(_ documents: [[SOPSBranchItem]], as format: SOPSFormat) throws -> [UInt8] {
        let first = documents.first ?? []
        switch format {
        case .yaml: return Array(SOPSYAMLWriter().write(documents).utf8)
        case .json: return Array(SOPSJSONWriter().write(first).utf8)
        case .dotenv: return Array(try SOPSDotenv.write(first).utf8)
        case .ini: return Array(try SOPSINI.write(first).utf8)
        case .binary:
            for case .pair(let pair) in first where pair.key == "data" {
                if case .bytes(let bytes) = pair.value { return bytes }
                guard case .string(let text) = pair.value else {
                    throw Diagnostic.error("error emitting binary store: 'data' key in tree does not have a string value")
                }
                return Array(text.utf8)
            }
            throw Diagnostic.error("error emitting binary store: no binary data found in tree (this is likely not an encrypted binary file; use --output-type to select the output type)")
        }
    }

    /// One non-string, non-mapping value as a store's EmitValue writes it.
    static func emitValue(_ value: SOPSValue, as format: SOPSFormat) throws -> [UInt8] {
        switch format {
        case .yaml: return Array(SOPSYAMLWriter().writeValue(value).utf8)
        case .json: return Array(SOPSJSONWriter().writeValue(value).utf8)
        case .ini: return Array(SOPSJSONWriter.compact(value).utf8)
        case .dotenv: throw Diagnostic.error("the dotenv store only supports emitting strings")
        case .binary: throw Diagnostic.error("binary files are not structured and extracting a single value is not possible")
        }
    }

    /// The documents of an encrypted file and its metadata, read as the format's store reads them.
    static func loadEncrypted(_ bytes: [UInt8], file: String, format: SOPSFormat) throws
        -> (documents: [[SOPSBranchItem]], metadata: SOPSValue, location: SourceLocation?) {
        let missing = Diagnostic.error("\(file): not a SOPS-encrypted file (no top-level 'sops' metadata)")
        switch format {
        case .yaml, .json, .binary:
            var documents: [[SOPSBranchItem]]
            if format == .yaml {
                documents = try SOPSYAMLReader.read(bytes, file: file)
            } else {
                do {
                    documents = [try SOPSJSONReader.read(bytes, file: file)]
                } catch let diagnostic as Diagnostic where format == .binary {
                    throw Diagnostic.error("\(diagnostic.message) (a binary SOPS file is JSON; give --input-type for another format)",
                                           at: diagnostic.location)
                }
            }
            guard let first = documents.first, case .pair(let metadata)? = first.first(where: {
                if case .pair(let pair) = $0, pair.key == "sops" { return true }
                return false
            }) else { throw missing }
            for index in documents.indices {
                documents[index].removeAll {
                    if case .pair(let pair) = $0, pair.key == "sops" { return true }
                    return false
                }
            }
            return (documents, metadata.value, metadata.location)
        case .dotenv:
            var items = try SOPSDotenv.read(bytes, file: file)
            var flat: [SOPSPair] = []
            var location: SourceLocation?
            items.removeAll { item in
                guard case .pair(var pair) = item, pair.key.hasPrefix("sops_") else { return false }
                location = location ?? pair.location
                pair.key.removeFirst("sops_".count)
                flat.append(pair)
                return true
            }
            guard !flat.isEmpty else { throw missing }
            return ([items], try SOPSFlatMetadata.unflatten(flat, file: file), location)
        case .ini:
            var sections = try SOPSINI.read(bytes, file: file)
            guard let index = sections.firstIndex(where: {
                if case .pair(let pair) = $0, pair.key == "sops" { return true }
                return false
            }), case .pair(let section) = sections[index], case .branch(let entries) = section.value else { throw missing }
            sections.remove(at: index)
            let flat = entries.compactMap { entry -> SOPSPair? in
                guard case .pair(var pair) = entry else { return nil }
                if case .string(let text) = pair.value { pair.value = .string(text.replacingAll("\\n", with: "\n")) }
                return pair
            }
            return ([sections], try SOPSFlatMetadata.unflatten(flat, file: file), section.location)
        }
    }
}
