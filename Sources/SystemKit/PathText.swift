/// NSString's path helpers on plain strings (`lastPathComponent`, `deletingLastPathComponent`,
/// `appendingPathComponent`), with its results for the paths the code passes: trailing slashes ignored,
/// "/" kept as the root.
extension StringProtocol {
    /// The last component: "a/b/" -> "b", "/" -> "/", "" -> "".
    public var pathLastComponent: String {
        let trimmed = Self.trimmingTrailingSlashes(String(self))
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// Everything before the last component: "a/b" -> "a", "a" -> "", "/a" -> "/", "/" -> "/".
    public var pathDeletingLastComponent: String {
        let trimmed = Self.trimmingTrailingSlashes(String(self))
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        if slash == trimmed.startIndex { return "/" }
        return Self.trimmingTrailingSlashes(String(trimmed[..<slash]))
    }

    /// The path with a component appended, one slash between: ("a", "b") -> "a/b", ("a/", "b") -> "a/b",
    /// ("", "b") -> "b".
    public func pathAppending(_ component: String) -> String {
        let base = String(self)
        if base.isEmpty { return component }
        let head = Self.trimmingTrailingSlashes(base)
        return (head == "/" ? "" : head) + "/" + component
    }

    /// "a//" -> "a"; "/" and "//" -> "/".
    private static func trimmingTrailingSlashes(_ path: String) -> String {
        var path = path
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }
}
