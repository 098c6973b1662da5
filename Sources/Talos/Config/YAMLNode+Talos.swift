import YAML

extension YAMLNode {
    var isNull: Bool {
        if case .scalar(let scalar) = content { return scalar.kind == .null }
        return false
    }

    /// The same value with positions dropped, for comparing values written in different places.
    var withoutLocations: YAMLNode {
        var copy = self
        copy.location = nil
        switch content {
        case .scalar: break
        case .sequence(let items): copy.content = .sequence(items.map(\.withoutLocations))
        case .mapping(let pairs):
            copy.content = .mapping(pairs.map { YAMLPair(key: $0.key.withoutLocations, value: $0.value.withoutLocations) })
        }
        return copy
    }

    /// Replaces (or appends) the value of a string key in a mapping.
    mutating func set(_ key: String, _ value: YAMLNode) {
        guard case .mapping(var pairs) = content else { return }
        // The node lets go of its pairs first, so an unshared array is edited in place, not copied per key.
        content = .sequence([])
        if let index = pairs.firstIndex(where: { $0.key.scalar?.text == key }) {
            pairs[index].value = value
        } else {
            pairs.append(YAMLPair(key, value))
        }
        content = .mapping(pairs)
    }

    mutating func remove(_ key: String) {
        guard case .mapping(var pairs) = content else { return }
        content = .sequence([])
        pairs.removeAll { $0.key.scalar?.text == key }
        content = .mapping(pairs)
    }

    /// The text of a string-ish scalar value under `key`.
    func string(_ key: String) -> String? {
        guard let scalar = self[key]?.scalar, scalar.kind != .null else { return nil }
        return scalar.text
    }

    static func strings(_ values: [String]) -> YAMLNode { .sequence(values.map { .string($0) }) }
}
