import Diagnostics

/// Reads a file shaped exactly as sops writes YAML (block mappings and indented block sequences, ASCII, no
/// comments, blank lines or tabs; plain words as keys; plain, simply quoted or `|` literal scalars) straight
/// from its bytes, without libyaml's events. It returns nil for anything else, so the caller reads that through
/// libyaml: accepting only what libyaml reads to the same tree, it can never change a result or an error.
/// Why: libyaml's event stream cost ~0.1 ms per bundle, a few percent of a cold run with a bundle per cluster.
struct SOPSYAMLFastReader {
    private let bytes: [UInt8]
    private let file: String
    private var pos = 0
    private var line = 0
    private var lineStart = 0

    /// The file's single document, or nil when it is not in the shape described above.
    static func read(_ bytes: [UInt8], file: String) -> [[SOPSBranchItem]]? {
        guard bytes.last == 10, bytes.first.map(isLetter) == true else { return nil }
        for byte in bytes where byte > 0x7e || (byte < 0x20 && byte != 10) || byte == UInt8(ascii: "#") { return nil }
        var reader = SOPSYAMLFastReader(bytes: bytes, file: file)
        guard let items = reader.mapping(column: 0), reader.pos == bytes.count else { return nil }
        return [items]
    }

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Bytes that may follow the first of a plain scalar: none starts a comment, a flow or a value indicator here.
    private static func isPlainByte(_ byte: UInt8) -> Bool {
        isLetter(byte) || isDigit(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "=") || byte == UInt8(ascii: ",")
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "[") || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "@")
    }

    private func byte(at index: Int) -> UInt8 { index < bytes.count ? bytes[index] : 0 }

    private func location(_ index: Int) -> SourceLocation {
        SourceLocation(file: file, line: line + 1, column: index - lineStart + 1)
    }

    /// Steps over the newline at `pos`.
    private mutating func newline() {
        pos += 1
        line += 1
        lineStart = pos
    }

    /// The indentation of the line starting at `pos`; nil for a blank line.
    private func indentation() -> Int? {
        var index = pos
        while byte(at: index) == UInt8(ascii: " ") { index += 1 }
        return byte(at: index) == 10 ? nil : index - pos
    }

    /// After a node: true to read another entry at `column` (then `pos` is at it), false when the container
    /// ends (end of file or a line indented less), nil for any other indentation.
    private mutating func continues(at column: Int) -> Bool? {
        if pos == bytes.count { return false }
        guard let indent = indentation() else { return nil }
        if indent == column { pos += column; return true }
        return indent < column ? false : nil
    }

    /// A key: a plain word that reads as a string, followed by `:`.
    private mutating func key() -> String? {
        let start = pos
        guard Self.isLetter(byte(at: pos)) else { return nil }
        while Self.isLetter(byte(at: pos)) || Self.isDigit(byte(at: pos)) || byte(at: pos) == UInt8(ascii: "_") || byte(at: pos) == UInt8(ascii: "-") {
            pos += 1
        }
        // libyaml gives up on a simple key longer than 1,024 bytes: leave such a key to it.
        guard byte(at: pos) == UInt8(ascii: ":"), pos - start < 1_000 else { return nil }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        pos += 1
        guard case .string(let key)? = SOPSYAMLReader.plainWordValue(text) else { return nil }
        return key
    }

    private mutating func mapping(column: Int) -> [SOPSBranchItem]? {
        var items: [SOPSBranchItem] = []
        var seenKeys: Set<String> = []
        while true {
            let keyLocation = location(pos)
            guard let key = key(), seenKeys.insert(key).inserted else { return nil }
            let value: SOPSValue, valueLocation: SourceLocation
            if byte(at: pos) == UInt8(ascii: " ") {
                pos += 1
                valueLocation = location(pos)
                guard let scalar = scalar(parentColumn: column, literalAllowed: true) else { return nil }
                value = scalar
            } else {
                // `key:` ends its line: a mapping or sequence indented further follows (an empty value is not sops' shape).
                guard byte(at: pos) == 10 else { return nil }
                newline()
                guard let indent = indentation(), indent > column else { return nil }
                pos += indent
                valueLocation = location(pos)
                if byte(at: pos) == UInt8(ascii: "-") {
                    guard let list = sequence(column: indent) else { return nil }
                    value = .list(list)
                } else {
                    guard let branch = mapping(column: indent) else { return nil }
                    value = .branch(branch)
                }
            }
            items.append(.pair(SOPSPair(key: key, value: value, location: valueLocation, keyLocation: keyLocation)))
            guard let more = continues(at: column) else { return nil }
            if !more { return items }
        }
    }

    private mutating func sequence(column: Int) -> [SOPSListItem]? {
        var items: [SOPSListItem] = []
        while true {
            guard byte(at: pos) == UInt8(ascii: "-"), byte(at: pos + 1) == UInt8(ascii: " ") else { return nil }
            pos += 2
            let valueLocation = location(pos)
            // An entry that starts with `word:` is a mapping; anything else must be a one-line scalar.
            var end = pos
            while Self.isLetter(byte(at: end)) || Self.isDigit(byte(at: end)) || byte(at: end) == UInt8(ascii: "_") || byte(at: end) == UInt8(ascii: "-") {
                end += 1
            }
            if end > pos, byte(at: end) == UInt8(ascii: ":"), byte(at: end + 1) == UInt8(ascii: " ") || byte(at: end + 1) == 10 {
                guard let branch = mapping(column: column + 2) else { return nil }
                items.append(.value(.branch(branch), valueLocation))
            } else {
                guard let scalar = scalar(parentColumn: column, literalAllowed: false) else { return nil }
                items.append(.value(scalar, valueLocation))
            }
            guard let more = continues(at: column) else { return nil }
            if !more { return items }
        }
    }

    /// A scalar starting at `pos` and ending its line (a literal: its block); `pos` is left at the next line.
    private mutating func scalar(parentColumn: Int, literalAllowed: Bool) -> SOPSValue? {
        let first = byte(at: pos)
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let start = pos + 1
            var end = start
            while byte(at: end) != first {
                guard byte(at: end) != 10, byte(at: end) != UInt8(ascii: "\\"), end < bytes.count else { return nil }
                end += 1
            }
            guard byte(at: end + 1) == 10 else { return nil }
            pos = end + 1
            newline()
            return .string(String(decoding: bytes[start..<end], as: UTF8.self))
        case UInt8(ascii: "|"):
            guard literalAllowed, byte(at: pos + 1) == 10 else { return nil }
            pos += 1
            newline()
            // Clip chomping, its indentation taken from the first line: every line exactly that deep, none blank.
            guard let indent = indentation(), indent > parentColumn else { return nil }
            var text: [UInt8] = []
            while pos < bytes.count, let lineIndent = indentation(), lineIndent >= indent {
                guard lineIndent == indent else { return nil }
                pos += indent
                let start = pos
                while bytes[pos] != 10 { pos += 1 }
                guard bytes[pos - 1] != UInt8(ascii: " ") else { return nil }
                text += bytes[start..<pos]
                text.append(10)
                newline()
            }
            return .string(String(decoding: text, as: UTF8.self))
        default:
            guard Self.isLetter(first) || Self.isDigit(first) || first == UInt8(ascii: "_") || first == UInt8(ascii: ".")
                    || first == UInt8(ascii: "/") else { return nil }
            let start = pos
            while Self.isPlainByte(byte(at: pos)) { pos += 1 }
            guard byte(at: pos) == 10, bytes[pos - 1] != UInt8(ascii: ":") else { return nil }
            let text = String(decoding: bytes[start..<pos], as: UTF8.self)
            newline()
            // The typing SOPSYAMLReader gives an untagged plain scalar.
            if text.hasPrefix("ENC[") { return .string(text) }
            return SOPSYAMLReader.plainWordValue(text) ?? SOPSYAMLReader.resolvedPlainValue(text, file: file)
        }
    }
}
