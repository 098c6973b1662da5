import Foundation

/// Finds the project a command works on: the nearest folder, from the current one upward, that
/// holds `talos/clusters`; the current folder when there is none.
enum ProjectRoot {
    static let marker = "talos/clusters"

    static func locate() throws -> URL {
        locate(from: try WorkingDirectory.url())
    }

    static func locate(from start: URL) -> URL {
        var candidate = start.standardizedFileURL
        // Only an absolute path reaches "/" by walking up; a relative one would never end.
        while candidate.path.hasPrefix("/") {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path, isDirectory: &isDirectory),
               isDirectory.boolValue {
                return candidate
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return start.standardizedFileURL }
            candidate = parent
        }
        return start.standardizedFileURL
    }
}
