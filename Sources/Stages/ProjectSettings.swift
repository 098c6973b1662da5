import Diagnostics
import FileAccess
import Foundation
import YAML

/// `talos-batch.yaml` at the project root (optional): settings that must not depend on the environment.
public struct ProjectSettings: Sendable, Hashable {
    public static let fileName = "talos-batch.yaml"

    /// Extra age identity files (absolute) tried after SOPS_AGE_KEY / SOPS_AGE_KEY_FILE / the user's keys.txt.
    public var ageKeyFiles: [URL] = []

    public init(ageKeyFiles: [URL] = []) {
        self.ageKeyFiles = ageKeyFiles
    }

    public static func load(root: URL) throws -> ProjectSettings {
        let url = root.appendingPathComponent(fileName, isDirectory: false)
        let file = FleetLayout.displayPath(url.path)
        // Absent is fine; anything else that is not a readable regular file (a folder, a FIFO) is an error
        // naming it, never silently ignored.
        let data: [UInt8]
        do {
            guard let bytes = try RegularFile.readIfPresent(url.path) else { return ProjectSettings() }
            data = bytes
        } catch let error as RegularFileError {
            throw Diagnostic.error("cannot read \(file): \(error.reason)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        let document = try YAML.parseDocument(data, file: file)
        var settings = ProjectSettings()
        if let keyFiles = document["ageKeyFiles"] {
            guard let items = keyFiles.sequenceItems else {
                throw Diagnostic.error("`ageKeyFiles`: expected a list of paths", at: keyFiles.location)
            }
            for item in items {
                guard let path = item.scalar?.text, item.scalar?.kind == .string else {
                    throw Diagnostic.error("`ageKeyFiles`: expected a path string", at: item.location)
                }
                settings.ageKeyFiles.append(path.hasPrefix("/") ? URL(fileURLWithPath: path)
                                                                 : root.appendingPathComponent(path, isDirectory: false).standardizedFileURL)
            }
        }
        return settings
    }
}
