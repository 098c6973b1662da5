import Diagnostics
import YAML

/// Where in a config document a value sits, for error messages (`machine.install.disk`).
struct ConfigPath: Sendable, CustomStringConvertible {
    private var parts: [String] = []

    static let root = ConfigPath()

    /// A path that starts below a named value (`nodes[0].networkInterfaces`).
    static func named(_ prefix: String) -> ConfigPath {
        var path = ConfigPath()
        path.parts = [prefix]
        return path
    }

    func appending(key: String) -> ConfigPath {
        var copy = self
        copy.parts.append(parts.isEmpty ? key : "." + key)
        return copy
    }

    func appending(index: Int) -> ConfigPath {
        var copy = self
        copy.parts.append("[\(index)]")
        return copy
    }

    var description: String { parts.isEmpty ? "document" : parts.joined() }

    /// An error about the value at this path, placed at the node's position when it has one.
    func error(_ message: String, at node: YAMLNode?) -> Diagnostic {
        Diagnostic.error("`\(self)`: \(message)", at: node?.location)
    }
}
