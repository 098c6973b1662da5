// str methods that take Python's start/end arguments, and the case mappings Swift's String lacks
// (final sigma, casefold, expandtabs). All work on code points, as Python's str does.

extension PyString {
    /// The code-point range `s[start:end]` selects (Python's slice index adjustment).
    static func bounds(_ n: Int, _ start: Int?, _ end: Int?) -> (Int, Int) {
        var lo = start ?? 0, hi = end ?? n
        if lo < 0 { lo = max(0, lo + n) }
        if hi < 0 { hi = max(0, hi + n) } else if hi > n { hi = n }
        return (lo, hi)
    }

    /// str.find / str.rfind with start and end; -1 when absent.
    static func find(_ s: String, _ sub: String, start: Int?, end: Int?, reverse: Bool) -> Int {
        let a = Array(s.unicodeScalars), b = Array(sub.unicodeScalars)
        let (lo, hi) = bounds(a.count, start, end)
        if lo > a.count || hi - lo < b.count { return -1 }
        if b.isEmpty { return reverse ? hi : lo }
        let positions = lo...(hi - b.count)
        func matches(_ i: Int) -> Bool { a[i..<(i + b.count)].elementsEqual(b) }
        if reverse {
            for i in positions.reversed() where matches(i) { return i }
        } else {
            for i in positions where matches(i) { return i }
        }
        return -1
    }

    /// str.count with start and end: non-overlapping occurrences.
    static func count(_ s: String, _ sub: String, start: Int?, end: Int?) -> Int {
        let a = Array(s.unicodeScalars), b = Array(sub.unicodeScalars)
        let (lo, hi) = bounds(a.count, start, end)
        if lo > a.count || hi < lo { return 0 }
        if b.isEmpty { return hi - lo + 1 }
        var n = 0, i = lo
        while i + b.count <= hi {
            if a[i..<(i + b.count)].elementsEqual(b) { n += 1; i += b.count } else { i += 1 }
        }
        return n
    }

    /// The UTF-8 size `replace(s, old, new, count)` will have, computed before building it.
    static func replacedSize(_ s: String, _ old: String, _ new: String, _ count: Int) -> Int {
        var n = PyString.count(s, old, start: nil, end: nil)
        if count >= 0 { n = min(n, count) }
        return s.utf8.count + n * (new.utf8.count - old.utf8.count)
    }

    /// `sub in s` for str: a code-point (so UTF-8 byte) substring, not a canonical-equivalence match.
    static func contains(_ s: String, _ sub: String) -> Bool {
        if sub.isEmpty { return true }
        let a = Array(s.utf8), b = Array(sub.utf8)
        if b.count > a.count { return false }
        for i in 0...(a.count - b.count) where a[i] == b[0] && a[i..<(i + b.count)].elementsEqual(b) { return true }
        return false
    }

    /// str.lower: full lowercase mappings, with Greek capital sigma becoming final ς at the end of
    /// a word (Python's context rule: a cased letter before it, none after it).
    static func lower(_ s: String) -> String {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return s.lowercased() }
        let scalars = Array(s.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (i, c) in scalars.enumerated() {
            if c.value == 0x3A3 {
                out.append(isFinalSigma(scalars, i) ? "\u{3C2}" : "\u{3C3}")
            } else {
                out.append(contentsOf: c.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    static func isFinalSigma(_ s: [Unicode.Scalar], _ i: Int) -> Bool {
        var j = i - 1
        while j >= 0, s[j].properties.isCaseIgnorable { j -= 1 }
        guard j >= 0, s[j].properties.isCased else { return false }
        j = i + 1
        while j < s.count, s[j].properties.isCaseIgnorable { j += 1 }
        return !(j < s.count && s[j].properties.isCased)
    }

    /// str.casefold, as the lowercase of the uppercase mapping (ß → ss, ς → σ), which is Unicode's
    /// full case folding for every cased letter outside a few scripts (Cherokee folds upward).
    static func casefold(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for c in s.unicodeScalars {
            for u in c.properties.uppercaseMapping.unicodeScalars {
                out.append(contentsOf: u.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// str.expandtabs: tabs become spaces up to the next multiple of `tabsize`; columns restart
    /// after \n and \r.
    static func expandtabs(_ s: String, _ tabsize: Int) -> String {
        var out = String.UnicodeScalarView()
        var column = 0
        for c in s.unicodeScalars {
            switch c {
            case "\t":
                if tabsize > 0 {
                    let spaces = tabsize - column % tabsize
                    out.append(contentsOf: repeatElement(" ", count: spaces))
                    column += spaces
                }
            case "\n", "\r":
                out.append(c)
                column = 0
            default:
                out.append(c)
                column += 1
            }
        }
        return String(out)
    }
}
