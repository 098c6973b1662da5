/// The order in which yaml.v3 writes the keys of a Go map (sorter.go, keyList.Less): numbers and bools
/// by value before strings; strings compared rune by rune, letters after non-letters, and runs of digits
/// compared by their numeric value so `node2` sorts before `node10`.
public enum GoMapKeySort {
    /// Whether key `a` is written before key `b`.
    public static func areInIncreasingOrder(_ a: YAMLNode, _ b: YAMLNode) -> Bool {
        let ak = rank(a), bk = rank(b)
        if let af = numericValue(a), let bf = numericValue(b) {
            if af != bf { return af < bf }
            return ak < bk
        }
        guard let aText = stringKey(a), let bText = stringKey(b) else { return ak < bk }
        return less(aText, bText)
    }

    /// Go's reflect.Kind order for the key types YAML produces: Bool < Int < Float64 < String.
    private static func rank(_ node: YAMLNode) -> Int {
        switch node.scalar?.kind {
        case .bool: return 1
        case .int: return 2
        case .float: return 14
        case .string: return 24
        case .null, .none: return 0
        }
    }

    private static func numericValue(_ node: YAMLNode) -> Double? {
        guard let scalar = node.scalar else { return nil }
        switch scalar.kind {
        case .bool: return scalar.text.lowercased() == "true" ? 1 : 0
        case .int: return GoInteger.parse(scalar.text).map(Double.init)
        case .float: return try? YAMLValue(node).double()
        default: return nil
        }
    }

    private static func stringKey(_ node: YAMLNode) -> String? {
        guard let scalar = node.scalar, scalar.kind == .string else { return nil }
        return scalar.text
    }

    /// Whether string key `a` is written before `b`.
    public static func less(_ a: String, _ b: String) -> Bool {
        let ar = Array(a.unicodeScalars), br = Array(b.unicodeScalars)
        var digits = false
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] {
                digits = isDigit(ar[i])
                i += 1
                continue
            }
            let al = isLetter(ar[i]), bl = isLetter(br[i])
            if al && bl { return ar[i].value < br[i].value }
            if al || bl { return digits ? al : bl }
            var an: Int64 = 0, bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i
            while ai < ar.count && isDigit(ar[ai]) {
                an = an &* 10 &+ Int64(ar[ai].value) &- 48
                ai += 1
            }
            var bi = i
            while bi < br.count && isDigit(br[bi]) {
                bn = bn &* 10 &+ Int64(br[bi].value) &- 48
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    /// unicode.IsLetter: general category L.
    private static func isLetter(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    /// unicode.IsDigit: general category Nd.
    private static func isDigit(_ s: Unicode.Scalar) -> Bool {
        s.properties.generalCategory == .decimalNumber
    }
}

extension YAMLNode {
    /// This node with mapping keys in Go map order (what yaml.v3 writes for a `map[string]…`);
    /// `recursive` sorts nested mappings too. Sequences keep their order.
    public func sortedLikeGoMap(recursive: Bool = true) -> YAMLNode {
        var copy = self
        switch content {
        case .scalar:
            return self
        case .sequence(let items):
            guard recursive else { return self }
            copy.content = .sequence(items.map { $0.sortedLikeGoMap(recursive: true) })
        case .mapping(let pairs):
            var sorted = pairs.enumerated().sorted { lhs, rhs in
                if GoMapKeySort.areInIncreasingOrder(lhs.element.key, rhs.element.key) { return true }
                if GoMapKeySort.areInIncreasingOrder(rhs.element.key, lhs.element.key) { return false }
                return lhs.offset < rhs.offset
            }.map(\.element)
            if recursive {
                sorted = sorted.map { YAMLPair(key: $0.key, value: $0.value.sortedLikeGoMap(recursive: true)) }
            }
            copy.content = .mapping(sorted)
        }
        return copy
    }
}
