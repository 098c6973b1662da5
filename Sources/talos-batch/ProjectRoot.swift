import FoundationEssentials
import Glibc
import Runner

/// Finds the project a command works on: the nearest folder, from the current one upward, that
/// holds `talos/clusters` or a `talos-batch.yaml`; the current folder when there is none.
enum ProjectRoot {
    static func locate() throws -> URL {
        locate(from: try WorkingDirectory.url())
    }

    static func locate(from start: URL) -> URL {
        Fleet.locateRoot(from: start) ?? start.standardizedFileURL
    }
}
