// CPython str algorithms over Unicode scalars (Python indexes strings by code point).

enum PyString {
    /// Python's str equality: the same code points. Swift's `==` on String also equates canonically
    /// equivalent texts (`"e\u{301}" == "\u{e9}"`), which Python does not.
    @inline(__always) static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func isLineBreak(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }

    static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: scalars)
        return String(v)
    }

    static func title(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var previousCased = false
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            if previousCased, c.value == 0x3A3 {
                out.append(isFinalSigma(scalars, i) ? "\u{3C2}" : "\u{3C3}")
            } else {
                out.append(contentsOf: previousCased ? c.properties.lowercaseMapping.unicodeScalars : c.properties.titlecaseMapping.unicodeScalars)
            }
            previousCased = c.properties.isCased
        }
        return String(out)
    }

    static func capitalize(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        let scalars = Array(s.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            if i > 0, c.value == 0x3A3 { out.append(isFinalSigma(scalars, i) ? "\u{3C2}" : "\u{3C3}"); continue }
            out.append(contentsOf: i == 0 ? c.properties.titlecaseMapping.unicodeScalars : c.properties.lowercaseMapping.unicodeScalars)
        }
        return String(out)
    }

    static func strip(_ s: String, _ chars: String?, left: Bool, right: Bool) -> String {
        let scalars = Array(s.unicodeScalars)
        let set = chars.map { Set($0.unicodeScalars) }
        func strippable(_ c: Unicode.Scalar) -> Bool { set.map { $0.contains(c) } ?? isSpace(c) }
        var lo = 0, hi = scalars.count
        if left { while lo < hi, strippable(scalars[lo]) { lo += 1 } }
        if right { while hi > lo, strippable(scalars[hi - 1]) { hi -= 1 } }
        if lo == 0 && hi == scalars.count { return s }
        return string(scalars[lo..<hi])
    }

    static func split(_ s: String, _ sep: String?, _ maxsplit: Int) -> [String] {
        if sep == nil, maxsplit < 0, s.utf8.allSatisfy({ $0 < 0x80 && !($0 >= 0x1C && $0 <= 0x1F) }) {
            // ASCII whitespace split, the common `x.split()`.
            return s.utf8.split(whereSeparator: { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }).map { String(Substring($0)) }
        }
        let scalars = Array(s.unicodeScalars)
        var result: [String] = []
        if let sep {
            let needle = Array(sep.unicodeScalars)
            var start = 0, i = 0
            while i + needle.count <= scalars.count, maxsplit < 0 || result.count < maxsplit {
                if Array(scalars[i..<(i + needle.count)]) == needle {
                    result.append(string(scalars[start..<i]))
                    i += needle.count
                    start = i
                } else { i += 1 }
            }
            result.append(string(scalars[start...]))
            return result
        }
        var i = 0
        let n = scalars.count
        while true {
            while i < n, isSpace(scalars[i]) { i += 1 }
            if i >= n { break }
            if maxsplit >= 0, result.count >= maxsplit {
                // The rest is kept as it is, trailing whitespace included.
                result.append(string(scalars[i..<n]))
                break
            }
            let start = i
            while i < n, !isSpace(scalars[i]) { i += 1 }
            result.append(string(scalars[start..<i]))
        }
        return result
    }

    static func rsplit(_ s: String, _ sep: String?, _ maxsplit: Int) -> [String] {
        if maxsplit < 0 { return split(s, sep, maxsplit) }
        let reversed = string(s.unicodeScalars.reversed())
        let revSep = sep.map { string($0.unicodeScalars.reversed()) }
        return split(reversed, revSep, maxsplit).reversed().map { string($0.unicodeScalars.reversed()) }
    }

    static func splitlines(_ s: String, keepends: Bool) -> [String] {
        let scalars = Array(s.unicodeScalars)
        var result: [String] = []
        var start = 0, i = 0
        while i < scalars.count {
            if isLineBreak(scalars[i]) {
                var end = i + 1
                if scalars[i] == "\r", end < scalars.count, scalars[end] == "\n" { end += 1 }
                result.append(string(scalars[start..<(keepends ? end : i)]))
                start = end
                i = end
            } else { i += 1 }
        }
        if start < scalars.count { result.append(string(scalars[start...])) }
        return result
    }

    static func replace(_ s: String, _ old: String, _ new: String, _ count: Int) -> String {
        if old.isEmpty {
            var out = String.UnicodeScalarView()
            var n = 0
            for c in s.unicodeScalars {
                if count < 0 || n < count { out.append(contentsOf: new.unicodeScalars); n += 1 }
                out.append(c)
            }
            if count < 0 || n < count { out.append(contentsOf: new.unicodeScalars) }
            return String(out)
        }
        guard contains(s, old) else { return s }
        return split(s, old, count).joined(separator: new)
    }

    static func find(_ s: String, _ sub: String) -> Int {
        let a = Array(s.unicodeScalars), b = Array(sub.unicodeScalars)
        if b.isEmpty { return 0 }
        if b.count > a.count { return -1 }
        for i in 0...(a.count - b.count) where Array(a[i..<(i + b.count)]) == b { return i }
        return -1
    }

    static func rfind(_ s: String, _ sub: String) -> Int {
        let a = Array(s.unicodeScalars), b = Array(sub.unicodeScalars)
        if b.count > a.count { return -1 }
        for i in stride(from: a.count - b.count, through: 0, by: -1) where Array(a[i..<(i + b.count)]) == b { return i }
        return -1
    }

    static func count(_ s: String, _ sub: String) -> Int {
        if sub.isEmpty { return s.unicodeScalars.count + 1 }
        return split(s, sub, -1).count - 1
    }

    /// Pads to `width` code points: `<` left-justify, `>` right, `^` center (CPython's centering bias).
    static func pad(_ s: String, _ width: Int, _ fill: String, _ align: Character) -> String {
        let n = s.unicodeScalars.count
        guard width > n else { return s }
        let total = width - n
        let left: Int
        switch align {
        case "<": left = 0
        case ">": left = total
        default: left = total / 2 + (total & width & 1)
        }
        return String(repeating: fill, count: left) + s + String(repeating: fill, count: total - left)
    }

    /// `s[start:end]` over scalars with Python's clamping.
    static func sliceScalars(_ s: String, _ start: Int?, _ end: Int?) -> ArraySlice<Unicode.Scalar> {
        let a = Array(s.unicodeScalars)
        func clamp(_ v: Int?, _ d: Int) -> Int {
            guard var x = v else { return d }
            if x < 0 { x += a.count }
            return min(max(x, 0), a.count)
        }
        let lo = clamp(start, 0), hi = clamp(end, a.count)
        return lo < hi ? a[lo..<hi] : []
    }
}
