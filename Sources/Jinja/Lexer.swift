import SystemKit

// Splits template source into tokens exactly as Jinja2's lexer does: delimiters, whitespace
// control (`-`, `+`), trim_blocks, lstrip_blocks, raw blocks and the in-tag expression tokens.

/// The delimiters and whitespace settings that shape lexing.
public struct Syntax: Sendable, Hashable {
    public var blockStart = "{%", blockEnd = "%}"
    public var variableStart = "{{", variableEnd = "}}"
    public var commentStart = "{#", commentEnd = "#}"
    public var trimBlocks = false
    public var lstripBlocks = false
    public var keepTrailingNewline = false

    public init() {}
}

struct Lexer {
    private enum TagKind { case variable, comment, block }

    let syntax: Syntax
    let template: String
    let source: SourceText
    private let src: [UInt8]
    private let blockStart: [UInt8], blockEnd: [UInt8]
    private let variableStart: [UInt8], variableEnd: [UInt8]
    private let commentStart: [UInt8], commentEnd: [UInt8]
    /// Tag openers in Jinja2's order of preference: longer first, then variable, comment, block.
    private let openers: [(TagKind, [UInt8])]

    init(_ text: String, template: String, syntax: Syntax) {
        self.syntax = syntax
        self.template = template
        // Jinja2 normalises every newline to \n and drops one trailing newline unless asked not to.
        var bytes = Array(text.utf8)
        if bytes.contains(UInt8(ascii: "\r")) {
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\r") {
                    out.append(UInt8(ascii: "\n"))
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { i += 1 }
                } else { out.append(bytes[i]) }
                i += 1
            }
            bytes = out
        }
        if !syntax.keepTrailingNewline, bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        src = bytes
        source = SourceText(bytes)
        blockStart = Array(syntax.blockStart.utf8); blockEnd = Array(syntax.blockEnd.utf8)
        variableStart = Array(syntax.variableStart.utf8); variableEnd = Array(syntax.variableEnd.utf8)
        commentStart = Array(syntax.commentStart.utf8); commentEnd = Array(syntax.commentEnd.utf8)
        let rank: [TagKind: Int] = [.variable: 2, .comment: 1, .block: 0]
        openers = [(TagKind.comment, commentStart), (.block, blockStart), (.variable, variableStart)]
            .sorted { a, b in a.1.count != b.1.count ? a.1.count > b.1.count : rank[a.0]! > rank[b.0]! }
    }

    private func error(_ message: String, at offset: Int) -> TemplateError {
        let p = source.position(of: offset)
        return TemplateError(.syntax, message, template: template, position: p, excerpt: source.excerpt(at: p))
    }

    private func hasPrefix(_ p: [UInt8], at i: Int) -> Bool {
        if p.isEmpty || i + p.count > src.count { return false }
        for k in 0..<p.count where src[i + k] != p[k] { return false }
        return true
    }

    private func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)
    }

    /// The byte length of the Python whitespace character (str.isspace, re's \s) at i, 0 if none:
    /// besides ASCII, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    private func spaceLength(at i: Int) -> Int {
        let b = src[i]
        if b < 0x80 { return isSpace(b) ? 1 : 0 }
        if b == 0xC2, i + 1 < src.count { return src[i + 1] == 0x85 || src[i + 1] == 0xA0 ? 2 : 0 }
        guard i + 2 < src.count else { return 0 }
        let (c1, c2) = (src[i + 1], src[i + 2])
        switch b {
        case 0xE1: return c1 == 0x9A && c2 == 0x80 ? 3 : 0
        case 0xE2:
            if c1 == 0x80, (0x80...0x8A).contains(c2) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF { return 3 }
            return c1 == 0x81 && c2 == 0x9F ? 3 : 0
        case 0xE3: return c1 == 0x80 && c2 == 0x80 ? 3 : 0
        default: return 0
        }
    }

    /// The byte length of the whitespace character ending just before `end` (not before `floor`).
    private func spaceLength(before end: Int, floor: Int) -> Int {
        guard end > floor else { return 0 }
        if src[end - 1] < 0x80 { return isSpace(src[end - 1]) ? 1 : 0 }
        if end - 2 >= floor, spaceLength(at: end - 2) == 2 { return 2 }
        if end - 3 >= floor, spaceLength(at: end - 3) == 3 { return 3 }
        return 0
    }

    private func skipSpaces(_ i: Int) -> Int {
        var j = i
        while j < src.count {
            let k = spaceLength(at: j)
            if k == 0 { break }
            j += k
        }
        return j
    }

    private func isWord(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    /// `{% raw %}` at i: returns the end offset of the opener and its whitespace sign.
    private func matchRawBegin(at i: Int) -> (end: Int, sign: UInt8?)? {
        guard hasPrefix(blockStart, at: i) else { return nil }
        var j = i + blockStart.count
        var sign: UInt8?
        if j < src.count, src[j] == UInt8(ascii: "-") || src[j] == UInt8(ascii: "+") { sign = src[j]; j += 1 }
        j = skipSpaces(j)
        guard hasPrefix(Array("raw".utf8), at: j) else { return nil }
        j = skipSpaces(j + 3)
        if j < src.count, src[j] == UInt8(ascii: "-"), hasPrefix(blockEnd, at: j + 1) {
            return (skipSpaces(j + 1 + blockEnd.count), sign)
        }
        if hasPrefix(blockEnd, at: j) { return (j + blockEnd.count, sign) }
        return nil
    }

    /// The end of a block tag at i (`+%}`, `-%}\s*`, `%}\n?` with trim_blocks).
    private func matchBlockEnd(at i: Int) -> Int? {
        if i < src.count, src[i] == UInt8(ascii: "+"), hasPrefix(blockEnd, at: i + 1) { return i + 1 + blockEnd.count }
        if i < src.count, src[i] == UInt8(ascii: "-"), hasPrefix(blockEnd, at: i + 1) { return skipSpaces(i + 1 + blockEnd.count) }
        if hasPrefix(blockEnd, at: i) {
            var j = i + blockEnd.count
            if syntax.trimBlocks, j < src.count, src[j] == UInt8(ascii: "\n") { j += 1 }
            return j
        }
        return nil
    }

    /// Text before a tag, with `-` stripping or lstrip_blocks applied.
    private func leadingText(_ start: Int, _ end: Int, sign: UInt8?, isVariable: Bool, lineStarting: Bool) -> ArraySlice<UInt8> {
        var text = src[start..<end]
        if sign == UInt8(ascii: "-") {
            var e = end
            while true {
                let k = spaceLength(before: e, floor: start)
                if k == 0 { break }
                e -= k
            }
            text = src[start..<e]
        } else if sign != UInt8(ascii: "+"), syntax.lstripBlocks, !isVariable {
            var lineStart = start
            if let nl = text.lastIndex(of: UInt8(ascii: "\n")) { lineStart = nl + 1 }
            if lineStart > start || lineStarting {
                let tail = src[lineStart..<end]
                if !tail.isEmpty, skipSpaces(lineStart) == end { text = src[start..<lineStart] }
            }
        }
        return text
    }

    func tokenize() throws -> [Token] {
        var tokens: [Token] = []
        var pos = 0
        var lineStarting = true
        let n = src.count
        func emit(_ kind: TokenKind, _ offset: Int) { tokens.append(Token(kind: kind, position: source.position(of: offset))) }
        func emitData(_ text: ArraySlice<UInt8>, _ offset: Int) {
            if !text.isEmpty { emit(.data(String(decoding: text, as: UTF8.self)), offset) }
        }

        rootLoop: while pos < n {
            // Find the earliest tag opener.
            var i = pos
            var found: (kind: TagKind?, openEnd: Int, sign: UInt8?)?
            while i < n {
                let b = src[i]
                if b == blockStart.first || b == variableStart.first || b == commentStart.first {
                    if let raw = matchRawBegin(at: i) { found = (nil, raw.end, raw.sign); break }
                    for (kind, opener) in openers where hasPrefix(opener, at: i) {
                        var e = i + opener.count
                        var sign: UInt8?
                        if e < n, src[e] == UInt8(ascii: "-") || src[e] == UInt8(ascii: "+") { sign = src[e]; e += 1 }
                        found = (kind, e, sign)
                        break
                    }
                    if found != nil { break }
                }
                i += 1
            }
            guard let tag = found else {
                emitData(src[pos..<n], pos)
                break rootLoop
            }
            let text = leadingText(pos, i, sign: tag.sign, isVariable: tag.kind == .variable, lineStarting: lineStarting)
            emitData(text, pos)
            pos = tag.openEnd

            switch tag.kind {
            case nil:
                // Raw block: everything up to the matching endraw is data.
                var j = pos
                var endFound: (textEnd: Int, end: Int, sign: UInt8?)?
                while j < n {
                    if hasPrefix(blockStart, at: j) {
                        var k = j + blockStart.count
                        var sign: UInt8?
                        if k < n, src[k] == UInt8(ascii: "-") || src[k] == UInt8(ascii: "+") { sign = src[k]; k += 1 }
                        k = skipSpaces(k)
                        if hasPrefix(Array("endraw".utf8), at: k) {
                            k = skipSpaces(k + 6)
                            if let e = matchBlockEnd(at: k) { endFound = (j, e, sign); break }
                        }
                    }
                    j += 1
                }
                // Jinja2's lexer stops silently when nothing at all follows the opener.
                if endFound == nil, pos >= n { break rootLoop }
                guard let end = endFound else { throw error("Missing end of raw directive", at: i) }
                let rawText = leadingText(pos, end.textEnd, sign: end.sign, isVariable: false, lineStarting: false)
                emitData(rawText, pos)
                lineStarting = src[end.end - 1] == UInt8(ascii: "\n")
                pos = end.end
            case .comment:
                var j = pos
                var end: Int?
                while j < n {
                    if src[j] == UInt8(ascii: "+"), hasPrefix(commentEnd, at: j + 1) { end = j + 1 + commentEnd.count; break }
                    if src[j] == UInt8(ascii: "-"), hasPrefix(commentEnd, at: j + 1) { end = skipSpaces(j + 1 + commentEnd.count); break }
                    if hasPrefix(commentEnd, at: j) {
                        var e = j + commentEnd.count
                        if syntax.trimBlocks, e < n, src[e] == UInt8(ascii: "\n") { e += 1 }
                        end = e
                        break
                    }
                    j += 1
                }
                if end == nil, pos >= n { break rootLoop }
                guard let end else { throw error("Missing end of comment tag", at: i) }
                lineStarting = src[end - 1] == UInt8(ascii: "\n")
                pos = end
            case .block?, .variable?:
                let isBlock = tag.kind == .block
                emit(isBlock ? .blockBegin : .variableBegin, i)
                var balance: [UInt8] = []
                while true {
                    if pos >= n { break rootLoop }
                    if balance.isEmpty {
                        if isBlock, let e = matchBlockEnd(at: pos) {
                            emit(.blockEnd, pos)
                            lineStarting = src[e - 1] == UInt8(ascii: "\n")
                            pos = e
                            break
                        }
                        if !isBlock {
                            if src[pos] == UInt8(ascii: "-"), hasPrefix(variableEnd, at: pos + 1) {
                                emit(.variableEnd, pos)
                                let e = skipSpaces(pos + 1 + variableEnd.count)
                                lineStarting = src[e - 1] == UInt8(ascii: "\n")
                                pos = e
                                break
                            }
                            if hasPrefix(variableEnd, at: pos) {
                                emit(.variableEnd, pos)
                                pos += variableEnd.count
                                lineStarting = src[pos - 1] == UInt8(ascii: "\n")
                                break
                            }
                        }
                    }
                    pos = try lexExpressionToken(at: pos, into: &tokens, balance: &balance)
                }
            }
        }
        tokens.append(Token(kind: .eof, position: source.position(of: n)))
        return tokens
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// `(\d+_)*\d+` at i: the end offset, or nil.
    private func digitRun(_ i: Int) -> Int? {
        var j = i
        guard j < src.count, isDigit(src[j]) else { return nil }
        while true {
            while j < src.count, isDigit(src[j]) { j += 1 }
            if j + 1 < src.count, src[j] == UInt8(ascii: "_"), isDigit(src[j + 1]) { j += 1; continue }
            return j
        }
    }

    private static let operators: [String] = ["//", "**", "==", "!=", ">=", "<=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<", "=", ".", ":", "|", ",", ";"]

    private func lexExpressionToken(at start: Int, into tokens: inout [Token], balance: inout [UInt8]) throws -> Int {
        let b = src[start]
        if spaceLength(at: start) > 0 { return skipSpaces(start) }
        let position = source.position(of: start)
        // Float: digits then (fraction? exponent | fraction), not preceded by '.'.
        if isDigit(b), start == 0 || src[start - 1] != UInt8(ascii: ".") {
            if let intEnd = digitRun(start) {
                var j = intEnd
                var isFloat = false
                if j < src.count, src[j] == UInt8(ascii: "."), let f = digitRun(j + 1) { j = f; isFloat = true }
                if j < src.count, src[j] == UInt8(ascii: "e") || src[j] == UInt8(ascii: "E") {
                    var k = j + 1
                    if k < src.count, src[k] == UInt8(ascii: "+") || src[k] == UInt8(ascii: "-") { k += 1 }
                    if let e = digitRun(k) { j = e; isFloat = true }
                }
                if isFloat {
                    let text = String(decoding: src[start..<j], as: UTF8.self).replacingAll("_", with: "")
                    tokens.append(Token(kind: .float(Double(text) ?? 0), position: position))
                    return j
                }
            }
        }
        if isDigit(b) {
            return try lexInteger(at: start, position: position, into: &tokens)
        }
        if isWord(b) {
            var j = start
            while j < src.count, isWord(src[j]) { j += 1 }
            tokens.append(Token(kind: .name(String(decoding: src[start..<j], as: UTF8.self)), position: position))
            return j
        }
        if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") {
            var j = start + 1
            while j < src.count, src[j] != b {
                if src[j] == UInt8(ascii: "\\") { j += 1 }
                j += 1
            }
            if j >= src.count { throw error("unexpected char \(PythonRepr.string(String(UnicodeScalar(b)))) at \(start)", at: start) }
            let body = String(decoding: src[(start + 1)..<j], as: UTF8.self)
            let value = try unescape(body, at: start)
            tokens.append(Token(kind: .string(value), position: position))
            return j + 1
        }
        for op in Lexer.operators {
            let bytes = Array(op.utf8)
            if hasPrefix(bytes, at: start) {
                switch op {
                case "(", "[", "{": balance.append(bytes[0])
                case ")", "]", "}":
                    guard let open = balance.popLast() else { throw error("unexpected '\(op)'", at: start) }
                    let expected: String = open == UInt8(ascii: "(") ? ")" : open == UInt8(ascii: "[") ? "]" : "}"
                    if expected != op { throw error("unexpected '\(op)', expected '\(expected)'", at: start) }
                default: break
                }
                tokens.append(Token(kind: .op(op), position: position))
                return start + bytes.count
            }
        }
        let scalarText = String(decoding: src[start..<min(src.count, start + 4)], as: UTF8.self).first.map(String.init) ?? "?"
        throw error("unexpected char \(PythonRepr.string(scalarText)) at \(start)", at: start)
    }

    private func lexInteger(at start: Int, position: Position, into tokens: inout [Token]) throws -> Int {
        var j = start
        var radix = 10
        var digits = ""
        func lower(_ b: UInt8) -> UInt8 { b | 0x20 }
        if src[start] == UInt8(ascii: "0"), start + 1 < src.count,
           ["b", "o", "x"].contains(Character(UnicodeScalar(lower(src[start + 1])))) {
            let marker = lower(src[start + 1])
            radix = marker == UInt8(ascii: "b") ? 2 : marker == UInt8(ascii: "o") ? 8 : 16
            j = start + 2
            var any = false
            while j < src.count {
                if src[j] == UInt8(ascii: "_"), j + 1 < src.count, Int(String(UnicodeScalar(src[j + 1])), radix: radix) != nil { j += 1 }
                guard Int(String(UnicodeScalar(src[j])), radix: radix) != nil else { break }
                digits.append(Character(UnicodeScalar(src[j])))
                any = true
                j += 1
            }
            if !any { radix = 10; j = start }
        }
        if radix == 10 {
            if src[start] == UInt8(ascii: "0") {
                j = start + 1
                while j + 1 < src.count || j < src.count {
                    if j < src.count, src[j] == UInt8(ascii: "0") { j += 1; continue }
                    if j + 1 < src.count, src[j] == UInt8(ascii: "_"), src[j + 1] == UInt8(ascii: "0") { j += 2; continue }
                    break
                }
                digits = "0"
            } else {
                j = digitRun(start) ?? start + 1
                digits = String(decoding: src[start..<j], as: UTF8.self).replacingAll("_", with: "")
            }
        }
        if let value = Int(digits, radix: radix) {
            tokens.append(Token(kind: .integer(value), position: position))
        } else {
            // Python refuses decimal literals past 4,300 digits (sys.get_int_max_str_digits()).
            guard radix != 10 || digits.count <= 4300, let value = BigInt(digits: Substring(digits), radix: radix),
                  value.bitWidth <= BigInt.maxBits else { throw error("integer literal too large", at: start) }
            tokens.append(Token(kind: .bigInteger(value), position: position))
        }
        return j
    }

    /// Python's unicode-escape decoding of a string literal's body.
    private func unescape(_ body: String, at offset: Int) throws -> String {
        guard body.contains("\\") else { return body }
        var out = String.UnicodeScalarView()
        let scalars = Array(body.unicodeScalars)
        var i = 0
        func hexValue(_ count: Int, _ name: String) throws -> UInt32 {
            guard i + count < scalars.count + 0 || i + count <= scalars.count - 0 else { throw error("truncated \(name) escape", at: offset) }
            guard i + 1 + count <= scalars.count else { throw error("(unicode error) truncated \(name) escape", at: offset) }
            let text = String(String.UnicodeScalarView(scalars[(i + 1)...(i + count)]))
            guard let v = UInt32(text, radix: 16), text.allSatisfy({ $0.isHexDigit }) else {
                throw error("(unicode error) truncated \(name) escape", at: offset)
            }
            return v
        }
        while i < scalars.count {
            let c = scalars[i]
            guard c == "\\", i + 1 < scalars.count else { out.append(c); i += 1; continue }
            i += 1
            let e = scalars[i]
            switch e {
            case "\n": break
            case "\\": out.append("\\")
            case "'": out.append("'")
            case "\"": out.append("\"")
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "0"..."7":
                var v: UInt32 = 0
                var k = 0
                while k < 3, i < scalars.count, ("0"..."7").contains(scalars[i]) {
                    v = v * 8 + (scalars[i].value - 48); i += 1; k += 1
                }
                i -= 1
                out.append(UnicodeScalar(v) ?? "?")
            case "x", "u", "U":
                let count = e == "x" ? 2 : e == "u" ? 4 : 8
                let v = try hexValue(count, e == "x" ? "\\xXX" : e == "u" ? "\\uXXXX" : "\\UXXXXXXXX")
                guard let s = UnicodeScalar(v) else { throw error("(unicode error) illegal Unicode character", at: offset) }
                out.append(s)
                i += count
            default:
                out.append("\\"); out.append(e)
            }
            i += 1
        }
        return String(out)
    }
}
