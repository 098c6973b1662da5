import Foundation
import YAML

/// `yaml-reemit INDENT`: parses stdin and writes it back with yaml.v3's layout, keeping parsed quoting
/// (as yaml.v3 re-encodes a yaml.Node). A debugging aid for comparing against Go output by hand.
@Sendable func yamlReemit(_ arguments: [String]) -> Int32 {
    let indent = arguments.first.flatMap { Int($0) } ?? 4
    let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    do {
        let documents = try YAML.parseStream(bytes, file: "<stdin>")
        let text = YAMLEmitter(indent: indent, preserveStyles: true, writeComments: true).emitDocuments(documents)
        FileHandle.standardOutput.write(Data(text.utf8))
        return 0
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        return 1
    }
}
