import Diagnostics
import FoundationEssentials
import Glibc

/// Where a cluster's generated files (machine configs, talosconfig, the admin certificate, .gitignore) go,
/// relative to the cluster folder: the folder itself by default (the seed's layout), or a plain relative
/// subfolder such as talhelper's `clusterconfig`. A value, threaded from `ProjectSettings` through
/// `FleetLayout` into the stage plans; never a global.
public struct OutputFolder: Sendable, Hashable, CustomStringConvertible {
    /// "" for the cluster folder itself, else a plain relative path without a trailing slash.
    public let path: String

    /// The cluster folder itself.
    public init() { path = "" }

    /// A checked setting: "", "." and "./" mean the cluster folder; anything with an absolute, `..` or
    /// empty component (or a NUL/backslash) is refused at `location`.
    public init(setting: String, at location: SourceLocation) throws {
        var text = setting
        while text.hasSuffix("/") && text.count > 1 { text.removeLast() }
        if text == "." || text.isEmpty {
            path = ""
            return
        }
        if text.hasPrefix("./") { text.removeFirst(2) }
        let components = text.split(separator: "/", omittingEmptySubsequences: false)
        guard !setting.hasPrefix("/"), !text.contains("\\"), !text.utf8.contains(0),
              components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && $0.utf8.count <= 255 }) else {
            throw Diagnostic.error("`outputFolder`: \"\(setting)\" is not a plain relative folder inside the cluster folder "
                                   + "(no absolute path, no `..`)", at: location)
        }
        path = text
    }

    /// A file of the output folder as a path relative to the cluster folder ("talosconfig" or
    /// "clusterconfig/talosconfig").
    public func file(_ name: String) -> String { path.isEmpty ? name : path + "/" + name }

    /// The folder for messages: "the cluster folder" or "clusterconfig/".
    public var description: String { path.isEmpty ? "the cluster folder" : path + "/" }

    /// A relative path's file name when it lies directly in this folder; nil otherwise.
    public func fileName(of relative: String) -> String? {
        let prefix = path.isEmpty ? "" : path + "/"
        guard relative.hasPrefix(prefix) else { return nil }
        let name = relative.dropFirst(prefix.count)
        return name.isEmpty || name.contains("/") ? nil : String(name)
    }
}
