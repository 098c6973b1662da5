/// PEM blocks (RFC 7468): a label and DER bytes.
struct PEMBlock: Equatable {
    var label: String
    var der: [UInt8]

    /// Every block in the text, in order.
    static func parseAll(_ text: String) -> [PEMBlock] { parseAll(Array(text.utf8)) }

    /// Every block in the UTF-8 text, in order: lines are trimmed of ASCII whitespace, header lines
    /// (`Name: value`) inside a block are skipped, and a block whose body is not base64 is left out.
    static func parseAll(_ text: [UInt8]) -> [PEMBlock] {
        let begin = Array("-----BEGIN ".utf8), end = Array("-----END ".utf8), dashes = Array("-----".utf8)
        var blocks: [PEMBlock] = []
        var label: ArraySlice<UInt8>?
        var body: [UInt8] = []
        var lineStart = 0
        while lineStart <= text.count {
            let lineEnd = text[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? text.count
            var line = text[lineStart..<lineEnd]
            while let first = line.first, Self.isSpace(first) { line = line.dropFirst() }
            while let last = line.last, Self.isSpace(last) { line = line.dropLast() }
            if line.starts(with: begin), line.count >= begin.count + dashes.count, line.suffix(dashes.count).elementsEqual(dashes) {
                label = line.dropFirst(begin.count).dropLast(dashes.count)
                body.removeAll(keepingCapacity: true)
            } else if line.starts(with: end), let current = label {
                if line.count >= end.count + dashes.count, line.dropFirst(end.count).dropLast(dashes.count).elementsEqual(current),
                   let der = Base64.decode(body, padded: true, strict: false) {
                    blocks.append(PEMBlock(label: String(decoding: current, as: UTF8.self), der: der))
                }
                label = nil
            } else if label != nil, !line.contains(UInt8(ascii: ":")) {
                body.append(contentsOf: line)
            }
            lineStart = lineEnd + 1
        }
        return blocks
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 10 || byte == 13 }

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
    var base64DecodedUTF8: String? { base64DecodedBytes.map { String(decoding: $0, as: UTF8.self) } }

    /// The bytes of this base64 text (whitespace anywhere ignored), nil when it is not valid base64.
    var base64DecodedBytes: [UInt8]? {
        // Copied from the contiguous UTF-8 by pointer, whitespace dropped (a bundle's kilobytes of base64
        // PEM are decoded by every stage reading them).
        var text = self
        let compact = text.withUTF8 { input in
            [UInt8](unsafeUninitializedCapacity: input.count) { output, written in
                written = 0
                for byte in input where !(byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 11 || byte == 12) {
                    output[written] = byte
                    written += 1
                }
            }
        }
        return Base64.decode(compact, padded: true, strict: false)
    }
}
