// Python library behaviours some filters rely on: pprint, html.unescape, urllib quote, textwrap, urlize.
import Foundation

/// `pprint.pformat(value)`: repr with sorted dict keys, broken over lines past 80 columns.
enum PrettyPrint {
    static let width = 80

    static func format(_ v: Value) -> String { format(v, indent: 0, allowance: 0) }

    static func safeRepr(_ v: Value) -> String {
        switch v {
        case .list(let l): return "[" + l.items.map(safeRepr).joined(separator: ", ") + "]"
        case .tuple(let t): return t.count == 1 ? "(" + safeRepr(t[0]) + ",)" : "(" + t.map(safeRepr).joined(separator: ", ") + ")"
        case .dict(let d): return "{" + sortedPairs(d).map { safeRepr($0.0) + ": " + safeRepr($0.1) }.joined(separator: ", ") + "}"
        default: return PythonRepr.repr(v)
        }
    }

    static func sortedPairs(_ d: DictStorage) -> [(Value, Value)] {
        let pairs = zip(d.keys, d.values).map { ($0, $1) }
        return (try? Filters.stableSort(pairs) { try Interpreter.pyLess($0.0, $1.0) }) ?? pairs
    }

    static func format(_ v: Value, indent: Int, allowance: Int) -> String {
        let rep = safeRepr(v)
        if rep.count <= width - indent - allowance { return rep }
        switch v {
        case .list(let l): return sequence(l.items, "[", "]", indent, allowance)
        case .tuple(let t): return sequence(t, "(", t.count == 1 ? ",)" : ")", indent, allowance)
        case .dict(let d):
            let pairs = sortedPairs(d)
            if pairs.isEmpty { return "{}" }
            var out = "{"
            let inner = indent + 1
            for (i, (k, val)) in pairs.enumerated() {
                let krepr = safeRepr(k)
                let last = i == pairs.count - 1
                out += krepr + ": " + format(val, indent: inner + krepr.count + 2, allowance: last ? allowance + 1 : 1)
                if !last { out += ",\n" + String(repeating: " ", count: inner) }
            }
            return out + "}"
        default:
            return rep
        }
    }

    private static func sequence(_ items: [Value], _ open: String, _ close: String, _ indent: Int, _ allowance: Int) -> String {
        if items.isEmpty { return open + close }
        var out = open
        let inner = indent + open.count
        for (i, item) in items.enumerated() {
            let last = i == items.count - 1
            out += format(item, indent: inner, allowance: last ? allowance + close.count : 1)
            if !last { out += ",\n" + String(repeating: " ", count: inner) }
        }
        return out + close
    }
}

/// `html.unescape` for the entities striptags meets in practice.
enum HTMLEntities {
    static let named: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©", "reg": "®",
    ]

    static func unescape(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "&", let semi = s[i...].prefix(12).firstIndex(of: ";") {
                let name = String(s[s.index(after: i)..<semi])
                var replacement: String?
                if name.hasPrefix("#x") || name.hasPrefix("#X") {
                    replacement = UInt32(name.dropFirst(2), radix: 16).flatMap(UnicodeScalar.init).map { String($0) }
                } else if name.hasPrefix("#") {
                    replacement = UInt32(name.dropFirst()).flatMap(UnicodeScalar.init).map { String($0) }
                } else {
                    replacement = named[name]
                }
                if let replacement {
                    out += replacement
                    i = s.index(after: semi)
                    continue
                }
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}

/// `urllib.parse.quote`.
enum URLQuote {
    /// `plus`: encode spaces as "+" (query-string values, as Jinja2's urlencode does for pairs).
    static func quote(_ s: String, safe: String, plus: Bool = false) -> String {
        let always = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~".utf8)
        let extra = Set(safe.utf8)
        var out = ""
        for b in s.utf8 {
            if plus, b == 0x20 {
                out += "+"
            } else if always.contains(b) || extra.contains(b) {
                out.unicodeScalars.append(UnicodeScalar(b))
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }
}

/// Jinja2's urlize for the common cases: http(s) URLs, www. hosts and e-mail addresses.
enum Urlize {
    static func urlize(_ text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            out += convert(word)
            word = ""
        }
        for c in text {
            if c.isWhitespace { flush(); out.append(c) } else { word.append(c) }
        }
        flush()
        return out
    }

    private static func convert(_ word: String) -> String {
        var head = "", middle = word, tail = ""
        while let f = middle.first, "(<&".contains(f), !middle.hasPrefix("&lt;") || true {
            if f == "&" { break }
            head.append(f); middle.removeFirst()
        }
        while let l = middle.last, ".,:;!)>\n".contains(l) {
            tail = String(l) + tail; middle.removeLast()
        }
        if middle.hasPrefix("http://") || middle.hasPrefix("https://") {
            let esc = Filters.escapeHTML(middle)
            return Filters.escapeHTML(head) + "<a href=\"\(esc)\" rel=\"noopener\">\(esc)</a>" + Filters.escapeHTML(tail)
        }
        if middle.hasPrefix("www.") {
            let esc = Filters.escapeHTML(middle)
            return Filters.escapeHTML(head) + "<a href=\"https://\(esc)\" rel=\"noopener\">\(esc)</a>" + Filters.escapeHTML(tail)
        }
        if middle.contains("@"), !middle.contains(":"), !middle.hasPrefix("www."), middle.split(separator: "@").count == 2,
           middle.split(separator: "@")[1].contains(".") {
            let esc = Filters.escapeHTML(middle)
            return Filters.escapeHTML(head) + "<a href=\"mailto:\(esc)\">\(esc)</a>" + Filters.escapeHTML(tail)
        }
        return Filters.escapeHTML(word)
    }
}

/// `textwrap.wrap` as the wordwrap filter calls it (no tab expansion, whitespace kept).
enum TextWrap {
    static func wordwrap(_ s: String, width: Int, breakLongWords: Bool, wrapString: String, breakOnHyphens: Bool) -> String {
        PyString.splitlines(s, keepends: false).map {
            wrap($0, width: width, breakLongWords: breakLongWords, breakOnHyphens: breakOnHyphens).joined(separator: wrapString)
        }.joined(separator: wrapString)
    }

    static func chunks(_ text: String, breakOnHyphens: Bool) -> [String] {
        var out: [String] = []
        var current = ""
        var currentIsSpace: Bool?
        for c in text {
            let space = c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
            if currentIsSpace != nil, currentIsSpace != space {
                out.append(current)
                current = ""
            }
            current.append(c)
            currentIsSpace = space
            if !space, breakOnHyphens, c == "-", current.count > 1, current.dropLast().last?.isLetter == true {
                out.append(current)
                current = ""
                currentIsSpace = nil
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    static func wrap(_ text: String, width: Int, breakLongWords: Bool, breakOnHyphens: Bool) -> [String] {
        var chunks = Array(chunks(text, breakOnHyphens: breakOnHyphens).reversed())
        var lines: [String] = []
        guard width > 0 else { return [text] }
        while !chunks.isEmpty {
            var line: [String] = []
            var len = 0
            if let last = chunks.last, last.allSatisfy(\.isWhitespace), !lines.isEmpty { chunks.removeLast() }
            while let last = chunks.last {
                if len + last.count <= width {
                    line.append(chunks.removeLast())
                    len += last.count
                } else { break }
            }
            if let last = chunks.last, last.count > width {
                let space = max(width - len, 1)
                if breakLongWords {
                    let head = String(last.prefix(space))
                    chunks[chunks.count - 1] = String(last.dropFirst(space))
                    line.append(head)
                    len += head.count
                } else if line.isEmpty {
                    line.append(chunks.removeLast())
                }
            }
            if let l = line.last, l.allSatisfy(\.isWhitespace) { line.removeLast() }
            if !line.isEmpty { lines.append(line.joined()) }
        }
        return lines
    }
}
