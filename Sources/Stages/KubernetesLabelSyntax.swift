/// Kubernetes' syntax for node labels and taints, so a typo in talenv.yaml fails at validate with its
/// position instead of at `kubectl`/kubelet time on a booted node.
/// (apimachinery's `IsQualifiedName`, `IsValidLabelValue` and the three taint effects.)
enum KubernetesLabelSyntax {
    /// The effects a taint may have.
    static let taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    /// Why `key` is not a qualified name (`[prefix/]name`), or nil when it is.
    static func problem(withKey key: String) -> String? {
        // Every node's labels are checked in every validate: an ASCII key is split at its "/" bytes (each
        // byte is a character there); other keys are split by characters, as `String.split` does ("/"
        // followed by a combining mark is one character, not a separator).
        let parts: [Substring]
        if isASCII(key) {
            let utf8 = key.utf8
            if let slash = utf8.firstIndex(of: UInt8(ascii: "/")) {
                let rest = key[utf8.index(after: slash)...]
                if rest.utf8.contains(UInt8(ascii: "/")) { return "a key has at most one `/` (prefix/name)" }
                parts = [key[..<slash], rest]
            } else {
                parts = [key[...]]
            }
        } else {
            parts = key.split(separator: "/", omittingEmptySubsequences: false)
        }
        guard parts.count <= 2 else { return "a key has at most one `/` (prefix/name)" }
        let name = parts.last!
        if parts.count == 2 {
            let prefix = parts[0]
            if prefix.isEmpty || prefix.utf8.count > 253 || !isDNSSubdomain(prefix) {
                return "the prefix before `/` must be a DNS subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters)"
            }
        }
        if name.isEmpty { return "the name part is empty" }
        return problem(withName: name, what: "the name part")
    }

    /// Why `value` is not a valid label value (empty, or a name of at most 63 characters), or nil.
    static func problem(withValue value: Substring) -> String? {
        value.isEmpty ? nil : problem(withName: value, what: "a value")
    }

    /// Splits a talhelper taint `value:Effect` (value may be empty); the problem when it is not one.
    static func problem(withTaint taint: String) -> String? {
        // The last ":" of an ASCII taint is its last ":" byte; otherwise found by characters.
        let colon = isASCII(taint)
            ? taint.utf8.lastIndex(of: UInt8(ascii: ":"))
            : taint.lastIndex(of: ":")
        guard let colon else {
            return "expected `value:Effect` (Effect one of \(taintEffects.joined(separator: ", ")))"
        }
        let effect = String(taint[taint.index(after: colon)...])
        guard taintEffects.contains(effect) else {
            return "unknown taint effect \"\(effect)\"; expected one of \(taintEffects.joined(separator: ", "))"
        }
        return problem(withValue: taint[..<colon])
    }

    private static func problem(withName name: Substring, what: String) -> String? {
        let valid = withBytes(name) { bytes in
            isAlphanumeric(bytes.first!) && isAlphanumeric(bytes.last!)
                && bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
        }
        guard name.utf8.count <= 63 else { return "\(what) has more than 63 characters" }
        guard valid else { return "\(what) must be letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit" }
        return nil
    }

    /// Labels of lower-case letters, digits and inner `-`, split at "." bytes: a label with a byte outside
    /// those fails either way, so this agrees with splitting by characters.
    private static func isDNSSubdomain(_ text: Substring) -> Bool {
        withBytes(text) { bytes in
            let lowerAlnum: (UInt8) -> Bool = { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
            var start = 0
            for end in 0...bytes.count where end == bytes.count || bytes[end] == UInt8(ascii: ".") {
                let label = UnsafeBufferPointer(rebasing: bytes[start..<end])
                guard let first = label.first, let last = label.last, label.count <= 63, lowerAlnum(first), lowerAlnum(last),
                      label.allSatisfy({ lowerAlnum($0) || $0 == UInt8(ascii: "-") }) else { return false }
                start = end + 1
            }
            return true
        }
    }

    /// `body` over the text's UTF-8 bytes in place (native strings are contiguous), else over a copy.
    private static func withBytes<Result>(_ text: Substring, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    private static func isASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
