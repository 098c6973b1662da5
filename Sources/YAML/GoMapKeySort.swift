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
        // Keys are nearly always ASCII (field names, labels): compared on their UTF-8 in place, where a
        // byte is a rune and letters and digits are plain ranges, instead of via Unicode properties.
        var a = a, b = b
        let ascii: Bool? = a.withUTF8 { ab in
            b.withUTF8 { bb in
                guard isASCII(ab), isASCII(bb) else { return nil }
                return less(ab, bb, value: { UInt32($0) },
                            isLetter: { ($0 | 0x20) &- UInt8(ascii: "a") < 26 },
                            isDigit: { $0 &- UInt8(ascii: "0") < 10 })
            }
        }
        if let ascii { return ascii }
        return less(Array(a.unicodeScalars), Array(b.unicodeScalars), value: \.value, isLetter: isLetter, isDigit: isDigit)
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.allSatisfy { $0 < 0x80 }
    }

    /// keyList.Less over runes (`value` gives a rune's code point).
    private static func less<Runes: RandomAccessCollection>(_ ar: Runes, _ br: Runes, value: (Runes.Element) -> UInt32,
                                                           isLetter: (Runes.Element) -> Bool,
                                                           isDigit: (Runes.Element) -> Bool) -> Bool
        where Runes.Index == Int, Runes.Element: Equatable {
        let zero = UInt32(48)
        var digits = false
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] {
                digits = isDigit(ar[i])
                i += 1
                continue
            }
            let al = isLetter(ar[i]), bl = isLetter(br[i])
            if al && bl { return value(ar[i]) < value(br[i]) }
            if al || bl { return digits ? al : bl }
            var an: Int64 = 0, bn: Int64 = 0
            if value(ar[i]) == zero || value(br[i]) == zero {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if value(ar[j]) != zero {
                        an = 1
                        bn = 1
                        break
                    }
                    j -= 1
                }
            }
            var ai = i
            while ai < ar.count && isDigit(ar[ai]) {
                an = an &* 10 &+ Int64(value(ar[ai])) &- 48
                ai += 1
            }
            var bi = i
            while bi < br.count && isDigit(br[bi]) {
                bn = bn &* 10 &+ Int64(value(br[bi])) &- 48
                bi += 1
            }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return value(ar[i]) < value(br[i])
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
