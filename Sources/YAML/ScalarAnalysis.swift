/// Which styles can carry a scalar's text, judged by the rules of yaml.v3's emitter
/// (emitterc.go, yaml_emitter_analyze_scalar), so style choices match Go output byte for byte.
struct ScalarAnalysis {
    var multiline = false
    var flowPlainAllowed = true
    var blockPlainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true
    /// Non-empty and all printable ASCII (0x20…0x7E): no line break, one column per byte.
    var isPrintableASCII = false

    init(_ bytes: [UInt8]) {
        self = bytes.withUnsafeBufferPointer { ScalarAnalysis(buffer: $0) }
    }

    /// The analysis of a string's UTF-8, read in place (no copy for a native string).
    init(_ text: String) {
        var text = text
        self = text.withUTF8 { ScalarAnalysis(buffer: $0) }
    }

    private init(buffer value: UnsafeBufferPointer<UInt8>) {
        if let fast = Self.printableASCII(value) {
            self = fast
            return
        }
        guard !value.isEmpty else {
            flowPlainAllowed = false
            blockAllowed = false
            return
        }
        var blockIndicators = false
        var flowIndicators = false
        var lineBreaks = false
        var specialCharacters = false
        var tabCharacters = false
        var leadingSpace = false
        var leadingBreak = false
        var trailingSpace = false
        var trailingBreak = false
        var breakSpace = false
        var spaceBreak = false
        var previousSpace = false
        var previousBreak = false

        if value.count >= 3, (value[0] == UInt8(ascii: "-") && value[1] == UInt8(ascii: "-") && value[2] == UInt8(ascii: "-"))
            || (value[0] == UInt8(ascii: ".") && value[1] == UInt8(ascii: ".") && value[2] == UInt8(ascii: ".")) {
            blockIndicators = true
            flowIndicators = true
        }
        var precededByWhitespace = true
        var i = 0
        while i < value.count {
            let c = value[i]
            let w = YAMLChars.width(c)
            let followedByWhitespace = i + w >= value.count || YAMLChars.isBlank(value, i + w)
            if i == 0 {
                switch c {
                case UInt8(ascii: "#"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
                     UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
                     UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
                     UInt8(ascii: "`"):
                    flowIndicators = true
                    blockIndicators = true
                case UInt8(ascii: "?"), UInt8(ascii: ":"):
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case UInt8(ascii: "-"):
                    if followedByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default:
                    break
                }
            } else {
                switch c {
                case UInt8(ascii: ","), UInt8(ascii: "?"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                    flowIndicators = true
                case UInt8(ascii: ":"):
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                case UInt8(ascii: "#"):
                    if precededByWhitespace {
                        flowIndicators = true
                        blockIndicators = true
                    }
                default:
                    break
                }
            }
            if c == UInt8(ascii: "\t") {
                tabCharacters = true
            } else if !YAMLChars.isPrintable(value, i) {
                specialCharacters = true
            }
            if c == UInt8(ascii: " ") {
                if i == 0 { leadingSpace = true }
                if i + w == value.count { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if YAMLChars.isBreak(value, i) {
                lineBreaks = true
                if i == 0 { leadingBreak = true }
                if i + w == value.count { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = YAMLChars.isBlankOrBreakOrNul(value, i)
            i += w
        }
        multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
            flowPlainAllowed = false
            blockPlainAllowed = false
        }
        if trailingSpace { blockAllowed = false }
        if breakSpace {
            flowPlainAllowed = false
            blockPlainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || tabCharacters || specialCharacters {
            flowPlainAllowed = false
            blockPlainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || specialCharacters { blockAllowed = false }
        if lineBreaks {
            flowPlainAllowed = false
            blockPlainAllowed = false
        }
        if flowIndicators { flowPlainAllowed = false }
        if blockIndicators { blockPlainAllowed = false }
    }

    /// The same rules for the common case of one line of printable ASCII without tabs (no breaks, no
    /// special characters), in one tight pass; nil sends anything else through the general analysis.
    private static func printableASCII(_ value: UnsafeBufferPointer<UInt8>) -> ScalarAnalysis? {
        let count = value.count
        guard count > 0 else { return nil }
        var flowIndicators = false
        var blockIndicators = false
        if count >= 3, (value[0] == UInt8(ascii: "-") && value[1] == UInt8(ascii: "-") && value[2] == UInt8(ascii: "-"))
            || (value[0] == UInt8(ascii: ".") && value[1] == UInt8(ascii: ".") && value[2] == UInt8(ascii: ".")) {
            flowIndicators = true
            blockIndicators = true
        }
        for i in 0..<count {
            let c = value[i]
            // Letters and digits (most of every scalar, all of a base64 certificate) meet no rule.
            if (c &- 0x30) < 10 || ((c | 0x20) &- 0x61) < 26 { continue }
            guard c >= 0x20 && c < 0x7F else { return nil }
            switch c {
            case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                flowIndicators = true
                if i == 0 { blockIndicators = true }
            case UInt8(ascii: "?"), UInt8(ascii: ":"):
                flowIndicators = true
                let followedByWhitespace = i + 1 == count || value[i + 1] == UInt8(ascii: " ")
                if followedByWhitespace && (i == 0 || c == UInt8(ascii: ":")) { blockIndicators = true }
            case UInt8(ascii: "#"):
                // "Preceded by whitespace" holds at the start.
                if i == 0 || value[i - 1] == UInt8(ascii: " ") {
                    flowIndicators = true
                    blockIndicators = true
                }
            case UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"),
                 UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
                if i == 0 {
                    flowIndicators = true
                    blockIndicators = true
                }
            case UInt8(ascii: "-"):
                let followedByWhitespace = i + 1 == count || value[i + 1] == UInt8(ascii: " ")
                if i == 0 && followedByWhitespace {
                    flowIndicators = true
                    blockIndicators = true
                }
            default:
                break
            }
        }
        var analysis = ScalarAnalysis()
        analysis.isPrintableASCII = true
        if value[0] == UInt8(ascii: " ") || value[count - 1] == UInt8(ascii: " ") {
            analysis.flowPlainAllowed = false
            analysis.blockPlainAllowed = false
        }
        if value[count - 1] == UInt8(ascii: " ") { analysis.blockAllowed = false }
        if flowIndicators { analysis.flowPlainAllowed = false }
        if blockIndicators { analysis.blockPlainAllowed = false }
        return analysis
    }

    private init() {}
}

/// Character classes of YAML's emitter over UTF-8 bytes (yaml.v3 yamlprivateh.go semantics).
enum YAMLChars {
    @inline(__always) static func width(_ c: UInt8) -> Int {
        if c & 0x80 == 0 { return 1 }
        if c & 0xE0 == 0xC0 { return 2 }
        if c & 0xF0 == 0xE0 { return 3 }
        if c & 0xF8 == 0xF0 { return 4 }
        return 1
    }

    @inline(__always) static func byte(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt8 { i < b.count ? b[i] : 0 }

    @inline(__always) static func isBlank(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let c = byte(b, i)
        return c == UInt8(ascii: " ") || c == UInt8(ascii: "\t")
    }

    @inline(__always) static func isBreak(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let c = byte(b, i)
        if c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n") { return true }
        if c == 0xC2 && byte(b, i + 1) == 0x85 { return true }
        if c == 0xE2 && byte(b, i + 1) == 0x80 && (byte(b, i + 2) == 0xA8 || byte(b, i + 2) == 0xA9) { return true }
        return false
    }

    /// is_blankz: blank, break, NUL, or the end of the text.
    @inline(__always) static func isBlankOrBreakOrNul(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i >= b.count || b[i] == 0 || isBlank(b, i) || isBreak(b, i)
    }

    /// yaml.v3's is_bom looks at the start of the text whatever `i` is, so a string that begins with a BOM
    /// has every character escaped in double quotes; kept for byte-identical output.
    @inline(__always) static func isBOM(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        byte(b, 0) == 0xEF && byte(b, 1) == 0xBB && byte(b, 2) == 0xBF
    }

    /// yaml.v3's is_printable: LF, ASCII 0x20–0x7E, and the BMP outside surrogates, C1 controls, BOM,
    /// U+FFFE/U+FFFF. Characters beyond the BMP count as not printable (yaml.v3 escapes them).
    @inline(__always) static func isPrintable(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let c = b[i]
        let c1 = byte(b, i + 1)
        let c2 = byte(b, i + 2)
        return c == 0x0A
            || (c >= 0x20 && c <= 0x7E)
            || (c == 0xC2 && c1 >= 0xA0)
            || (c > 0xC2 && c < 0xED)
            || (c == 0xED && c1 < 0xA0)
            || c == 0xEE
            || (c == 0xEF && !(c1 == 0xBB && c2 == 0xBF) && !(c1 == 0xBF && (c2 == 0xBE || c2 == 0xBF)))
    }

    // The writer works on arrays; these forward to the buffer forms.
    static func isBlank(_ b: [UInt8], _ i: Int) -> Bool { b.withUnsafeBufferPointer { isBlank($0, i) } }
    static func isBreak(_ b: [UInt8], _ i: Int) -> Bool { b.withUnsafeBufferPointer { isBreak($0, i) } }
    static func isBlankOrBreakOrNul(_ b: [UInt8], _ i: Int) -> Bool { b.withUnsafeBufferPointer { isBlankOrBreakOrNul($0, i) } }
    static func isBOM(_ b: [UInt8], _ i: Int) -> Bool { b.withUnsafeBufferPointer { isBOM($0, i) } }
    static func isPrintable(_ b: [UInt8], _ i: Int) -> Bool { b.withUnsafeBufferPointer { isPrintable($0, i) } }
}
