import Diagnostics
import YAML

/// Where in a config document a value sits, for error messages (`machine.install.disk`).
///
/// Every value the encoder visits gets a path, but only errors ever read one: so a path is a link to its
/// parent (one small allocation per step) and its text is built only when asked for.
struct ConfigPath: Sendable, CustomStringConvertible {
    private let last: Step?

    private init(last: Step?) {
        self.last = last
    }

    static let root = ConfigPath(last: nil)

    /// A path that starts below a named value (`nodes[0].networkInterfaces`).
    static func named(_ prefix: String) -> ConfigPath {
        ConfigPath(last: Step(parent: nil, part: .prefix(prefix)))
    }

    func appending(key: String) -> ConfigPath {
        ConfigPath(last: Step(parent: last, part: .key(key)))
    }

    func appending(index: Int) -> ConfigPath {
        ConfigPath(last: Step(parent: last, part: .index(index)))
    }

    var description: String {
        var parts: [Step.Part] = []
        var step = last
        while let current = step {
            parts.append(current.part)
            step = current.parent
        }
        guard !parts.isEmpty else { return "document" }
        var text = ""
        for (offset, part) in parts.reversed().enumerated() {
            switch part {
            case .prefix(let prefix): text += prefix
            case .key(let key): text += offset == 0 ? key : "." + key
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }

    /// An error about the value at this path, placed at the node's position when it has one.
    func error(_ message: String, at node: YAMLNode?) -> Diagnostic {
        Diagnostic.error("`\(self)`: \(message)", at: node?.location)
    }

    private final class Step: Sendable {
        enum Part: Sendable {
            case prefix(String)
            case key(String)
            case index(Int)
        }

        let parent: Step?
        let part: Part

        init(parent: Step?, part: Part) {
            self.parent = parent
            self.part = part
        }
    }
}
