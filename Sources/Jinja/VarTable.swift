// The variables of one scope. Scopes are small (a loop variable, a few sets), so a linear scan
// over short names beats hashing them; large scopes (a big render context) switch to a dictionary.

struct VarTable: Sequence {
    private var keys: [String] = []
    private var values: [Value] = []
    private var index: [String: Int]?
    private static let indexThreshold = 12

    init(_ dictionary: [String: Value] = [:]) {
        keys.reserveCapacity(dictionary.count)
        values.reserveCapacity(dictionary.count)
        for (k, v) in dictionary.sorted(by: { $0.key < $1.key }) {
            keys.append(k)
            values.append(v)
        }
        if keys.count > Self.indexThreshold { rebuildIndex() }
    }

    /// The values, leaving the table empty (for releasing them without recursion).
    mutating func takeValues() -> [Value] {
        var taken: [Value] = []
        swap(&taken, &values)
        keys = []
        index = nil
        return taken
    }

    private mutating func rebuildIndex() {
        var d = [String: Int](minimumCapacity: keys.count)
        for (i, k) in keys.enumerated() { d[k] = i }
        index = d
    }

    @inline(__always) private func position(of name: String) -> Int? {
        if let index { return index[name] }
        // Comparing lengths first skips most non-matching names without a string comparison.
        let length = name.utf8.count
        for i in keys.indices where keys[i].utf8.count == length && keys[i] == name { return i }
        return nil
    }

    subscript(name: String) -> Value? {
        get {
            guard let i = position(of: name) else { return nil }
            return values[i]
        }
        set {
            if let i = position(of: name) {
                if let newValue {
                    values[i] = newValue
                } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                    if index != nil { rebuildIndex() }
                }
            } else if let newValue {
                keys.append(name)
                values.append(newValue)
                if index != nil { index![name] = keys.count - 1 } else if keys.count > Self.indexThreshold { rebuildIndex() }
            }
        }
    }

    mutating func removeAll(keepingCapacity: Bool) {
        keys.removeAll(keepingCapacity: keepingCapacity)
        values.removeAll(keepingCapacity: keepingCapacity)
        index = nil
    }

    func makeIterator() -> Zip2Sequence<[String], [Value]>.Iterator {
        zip(keys, values).makeIterator()
    }
}
