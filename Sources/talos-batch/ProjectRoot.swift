import Foundation

/// Finds the project a command works on: the nearest folder, from the current one upward, that
/// holds `talos/clusters`; the current folder when there is none.
enum ProjectRoot {
    static let marker = "talos/clusters"

    static func locate(from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> URL {
        var candidate = start.standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent(marker).path, isDirectory: &isDirectory),
               isDirectory.boolValue {
                return candidate
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return start.standardizedFileURL }
            candidate = parent
        }
    }
}
