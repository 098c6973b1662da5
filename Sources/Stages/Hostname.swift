/// RFC 1123 host names, which also name each node's machine-config file.
public enum Hostname {
    /// Lower-case labels of letters, digits and inner hyphens, 1...63 characters each, 253 in all.
    /// Such a name can never hold `/` or be `.`/`..`, so it cannot escape the cluster folder as a file name.
    /// Read byte by byte: every node's host name is checked in every validate.
    public static func isValid(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 253 else { return false }
        var labelLength = 0
        var previous = UInt8(ascii: ".")
        for byte in name.utf8 {
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                guard (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2d,
                      labelLength > 0 || byte != 0x2d, labelLength < 63 else { return false }
                labelLength += 1
            }
            previous = byte
        }
        return labelLength > 0 && previous != UInt8(ascii: "-")
    }

    /// Would `name` used as a path component leave the folder it is written into?
    public static func escapesFolder(_ name: String) -> Bool {
        name.contains("/") || name.contains("\\") || name == "." || name == ".." || name.contains("\0")
    }
}
