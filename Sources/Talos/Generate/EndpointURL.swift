import Diagnostics

/// The parts of a control plane endpoint URL the generator needs (Go's `url.Parse(...).Hostname()`).
struct EndpointURL: Sendable, Hashable {
    var scheme: String
    var hostname: String
    var port: String?

    init(_ text: String) throws {
        guard let schemeEnd = text.firstRange(of: "://") else {
            throw Diagnostic.error("invalid control plane endpoint \"\(text)\": expected a URL like https://HOST:PORT")
        }
        scheme = String(text[..<schemeEnd.lowerBound])
        var authority = Substring(text[schemeEnd.upperBound...])
        if let slash = authority.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            authority = authority[..<slash]
        }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw Diagnostic.error("invalid control plane endpoint \"\(text)\": unclosed IPv6 bracket")
            }
            hostname = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            port = rest.hasPrefix(":") ? String(rest.dropFirst()) : nil
        } else if let colon = authority.lastIndex(of: ":") {
            hostname = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        } else {
            hostname = String(authority)
            port = nil
        }
        guard !scheme.isEmpty, !hostname.isEmpty else {
            throw Diagnostic.error("invalid control plane endpoint \"\(text)\": expected a URL like https://HOST:PORT")
        }
    }
}
