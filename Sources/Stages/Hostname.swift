/// RFC 1123 host names, which also name each node's machine-config file.
public enum Hostname {
    /// Lower-case labels of letters, digits and inner hyphens, 1...63 characters each, 253 in all.
    /// Such a name can never hold `/` or be `.`/`..`, so it cannot escape the cluster folder as a file name.
    public static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-",
                  label.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d })
            else { return false }
        }
        return true
    }

    /// Would `name` used as a path component leave the folder it is written into?
    public static func escapesFolder(_ name: String) -> Bool {
        name.contains("/") || name.contains("\\") || name == "." || name == ".." || name.contains("\0")
    }
}
