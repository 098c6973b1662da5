/// Character-level output of `YAMLWriter`, following yaml.v3's emitterc.go write_* functions.
extension YAMLWriter {
    // MARK: Low-level writing (column counts characters, as yaml.v3 counts them)

    mutating func put(_ c: UInt8) {
        out.append(c)
        column += 1
    }

    mutating func putBreak() {
        out.append(UInt8(ascii: "\n"))
        column = 0
        indention = true
    }

    /// Copies one character (1–4 bytes) and advances `i`.
    mutating func write(_ value: [UInt8], _ i: inout Int) {
        let w = min(YAMLChars.width(value[i]), value.count - i)
        for k in i..<(i + w) { out.append(value[k]) }
        column += 1
        i += w
    }

    mutating func writeBreak(_ value: [UInt8], _ i: inout Int) {
        if value[i] == UInt8(ascii: "\n") {
            putBreak()
            i += 1
        } else {
            write(value, &i)
            column = 0
            indention = true
        }
    }

    mutating func writeIndent() {
        let target = max(indent, 0)
        if !indention || column > target || (column == target && !whitespace) {
            putBreak()
        }
        while column < target { put(UInt8(ascii: " ")) }
        whitespace = true
    }

    mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
        if needWhitespace && !whitespace { put(UInt8(ascii: " ")) }
        // Indicators are ASCII: one column per byte, and no array per call (one per key written).
        for byte in indicator.utf8 { put(byte) }
        whitespace = isWhitespace
        indention = indention && isIndention
    }

    /// Tags as yaml.v3 writes them with its default `!`/`!!` handles.
    mutating func writeTag(_ tag: String?) {
        guard let tag else { return }
        if !whitespace { put(UInt8(ascii: " ")) }
        let bytes = Array(tag.utf8)
        var i = 0
        while i < bytes.count { write(bytes, &i) }
        whitespace = false
        indention = false
    }

    mutating func writeComment(_ comment: String) {
        for line in comment.split(separator: "\n", omittingEmptySubsequences: false) {
            writeIndent()
            var text = Array(line.utf8)
            if text.first != UInt8(ascii: "#") { text = Array("# ".utf8) + text }
            var i = 0
            while i < text.count { write(text, &i) }
            putBreak()
        }
        whitespace = true
    }

    /// `writePlain` for a non-empty text the analysis found to be one line of printable ASCII: copied
    /// from the string's own UTF-8, one column per byte.
    mutating func writePlainASCII(_ text: String) {
        if !whitespace { put(UInt8(ascii: " ")) }
        var text = text
        let count = text.withUTF8 { bytes in
            out.append(contentsOf: bytes)
            return bytes.count
        }
        column += count
        whitespace = false
        indention = false
    }

    /// `printableASCII`: the analysis found only printable ASCII, so no byte needs looking at again.
    mutating func writePlain(_ value: [UInt8], allowBreaks: Bool, printableASCII: Bool = false) {
        if !value.isEmpty && !whitespace { put(UInt8(ascii: " ")) }
        if printableASCII || !value.contains(where: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 >= 0x80 }) {
            // Fast path: one line of ASCII, one column per byte.
            out.append(contentsOf: value)
            column += value.count
        } else {
            var breaks = false
            var i = 0
            while i < value.count {
                if value[i] == UInt8(ascii: " ") {
                    write(value, &i)
                } else if YAMLChars.isBreak(value, i) {
                    if !breaks && value[i] == UInt8(ascii: "\n") { putBreak() }
                    writeBreak(value, &i)
                    breaks = true
                } else {
                    if breaks { writeIndent() }
                    write(value, &i)
                    indention = false
                    breaks = false
                }
            }
        }
        if !value.isEmpty { whitespace = false }
        indention = false
    }

    mutating func writeSingleQuoted(_ value: [UInt8], allowBreaks: Bool) {
        writeIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false)
        var breaks = false
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: " ") {
                write(value, &i)
            } else if YAMLChars.isBreak(value, i) {
                if !breaks && value[i] == UInt8(ascii: "\n") { putBreak() }
                writeBreak(value, &i)
                breaks = true
            } else {
                if breaks { writeIndent() }
                if value[i] == UInt8(ascii: "'") { put(UInt8(ascii: "'")) }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
        writeIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    mutating func writeDoubleQuoted(_ value: [UInt8]) {
        writeIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false)
        var i = 0
        while i < value.count {
            let c = value[i]
            if !YAMLChars.isPrintable(value, i) || YAMLChars.isBOM(value, i) || YAMLChars.isBreak(value, i)
                || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
                let w = min(YAMLChars.width(c), value.count - i)
                var v: UInt32
                switch w {
                case 2: v = UInt32(c & 0x1F)
                case 3: v = UInt32(c & 0x0F)
                case 4: v = UInt32(c & 0x07)
                default: v = UInt32(c & 0x7F)
                }
                for k in 1..<max(w, 1) { v = (v << 6) + UInt32(value[i + k] & 0x3F) }
                i += w
                put(UInt8(ascii: "\\"))
                switch v {
                case 0x00: put(UInt8(ascii: "0"))
                case 0x07: put(UInt8(ascii: "a"))
                case 0x08: put(UInt8(ascii: "b"))
                case 0x09: put(UInt8(ascii: "t"))
                case 0x0A: put(UInt8(ascii: "n"))
                case 0x0B: put(UInt8(ascii: "v"))
                case 0x0C: put(UInt8(ascii: "f"))
                case 0x0D: put(UInt8(ascii: "r"))
                case 0x1B: put(UInt8(ascii: "e"))
                case 0x22: put(UInt8(ascii: "\""))
                case 0x5C: put(UInt8(ascii: "\\"))
                case 0x85: put(UInt8(ascii: "N"))
                case 0xA0: put(UInt8(ascii: "_"))
                case 0x2028: put(UInt8(ascii: "L"))
                case 0x2029: put(UInt8(ascii: "P"))
                default:
                    let digits: Int
                    if v <= 0xFF {
                        put(UInt8(ascii: "x")); digits = 2
                    } else if v <= 0xFFFF {
                        put(UInt8(ascii: "u")); digits = 4
                    } else {
                        put(UInt8(ascii: "U")); digits = 8
                    }
                    for k in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                        let digit = UInt8((v >> UInt32(k)) & 0x0F)
                        put(digit < 10 ? digit + UInt8(ascii: "0") : digit - 10 + UInt8(ascii: "A"))
                    }
                }
            } else {
                write(value, &i)
            }
        }
        writeIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    /// yaml_emitter_write_block_scalar_hints: an indentation digit when the text starts with a space or
    /// break, `-` without a final break, `+` with more than one.
    mutating func writeBlockScalarHints(_ value: [UInt8]) {
        if value.first == UInt8(ascii: " ") || YAMLChars.isBreak(value, 0) {
            writeIndicator(String(bestIndent), needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        var chomp: String?
        if value.isEmpty {
            chomp = "-"
        } else {
            var i = value.count - 1
            while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
            if !YAMLChars.isBreak(value, i) {
                chomp = "-"
            } else if i == 0 {
                chomp = "+"
            } else {
                i -= 1
                while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
                if YAMLChars.isBreak(value, i) { chomp = "+" }
            }
        }
        if let chomp { writeIndicator(chomp, needWhitespace: false, isWhitespace: false, isIndention: false) }
    }

    mutating func writeLiteral(_ value: [UInt8]) {
        writeIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false)
        writeBlockScalarHints(value)
        whitespace = true
        var breaks = true
        var i = 0
        while i < value.count {
            if YAMLChars.isBreak(value, i) {
                writeBreak(value, &i)
                breaks = true
            } else {
                if breaks { writeIndent() }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
    }

    mutating func writeFolded(_ value: [UInt8]) {
        writeIndicator(">", needWhitespace: true, isWhitespace: false, isIndention: false)
        writeBlockScalarHints(value)
        whitespace = true
        var breaks = true
        var leadingSpaces = true
        var i = 0
        while i < value.count {
            if YAMLChars.isBreak(value, i) {
                if !breaks && !leadingSpaces && value[i] == UInt8(ascii: "\n") {
                    var k = 0
                    while YAMLChars.isBreak(value, k) { k += YAMLChars.width(value[k]) }
                    if !YAMLChars.isBlankOrBreakOrNul(value, k) { putBreak() }
                }
                writeBreak(value, &i)
                breaks = true
            } else {
                if breaks {
                    writeIndent()
                    leadingSpaces = YAMLChars.isBlank(value, i)
                }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
    }
}
