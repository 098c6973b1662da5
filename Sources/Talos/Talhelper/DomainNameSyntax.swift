/// talhelper's `isDomain` (the cluster's `domain`): labels of `[A-Za-z0-9_]` then up to 62 of
/// `[A-Za-z0-9_-]`, at most 255 characters besides the dots, an optional trailing dot.
public enum DomainNameSyntax {
    public static func isValid(_ domain: String) -> Bool {
        guard !domain.isEmpty, domain.count - domain.filter({ $0 == "." }).count <= 255 else { return false }
        var body = Substring(domain)
        if body.hasSuffix(".") || body.hasSuffix("_") { body = body.dropLast() }
        guard !body.isEmpty else { return false }
        func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        return body.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            guard let first = label.first, isAlnum(first) || first == "_", label.count <= 63 else { return false }
            return label.allSatisfy { isAlnum($0) || $0 == "_" || $0 == "-" }
        }
    }
}
