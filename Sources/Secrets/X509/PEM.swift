/// PEM blocks (RFC 7468): a label and DER bytes.
struct PEMBlock: Equatable {
    var label: String
    var der: [UInt8]

    /// Every block in the text, in order.
    static func parseAll(_ text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var label: String?
        var body = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingASCIIWhitespace()
            if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                label = String(line.dropFirst(11).dropLast(5))
                body = ""
            } else if line.hasPrefix("-----END "), let current = label {
                if String(line.dropFirst(9).dropLast(5)) == current, let der = Base64.decode(body, padded: true, strict: false) {
                    blocks.append(PEMBlock(label: current, der: der))
                }
                label = nil
            } else if label != nil, !line.contains(":") {
                body += line
            }
        }
        return blocks
    }

    var encoded: String {
        let text = Base64.encode(der)
        var out = "-----BEGIN \(label)-----\n"
        var index = text.startIndex
        while index < text.endIndex {
            let end = text.index(index, offsetBy: 64, limitedBy: text.endIndex) ?? text.endIndex
            out += text[index..<end] + "\n"
            index = end
        }
        return out + "-----END \(label)-----\n"
    }
}

extension String {
    /// The base64 of this text's UTF-8 (how talsecret files hold PEM).
    var base64EncodedUTF8: String { Base64.encode(Array(utf8)) }

    /// The text of base64-encoded UTF-8, nil when it is not valid base64.
    var base64DecodedUTF8: String? {
        let compact = filter { !$0.isWhitespace }
        return Base64.decode(compact, padded: true, strict: false).map { String(decoding: $0, as: UTF8.self) }
    }
}
