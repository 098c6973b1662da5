import Diagnostics

/// sops' flattened metadata keys (dotenv and INI): `age__list_0__map_enc` is `age[0].enc`. Rebuilt into a
/// tree as sops' unflatten does (map keys sorted, list items by index).
enum SOPSFlatMetadata {
    private indirect enum Node {
        case empty
        case value(SOPSValue)
        case map([String: Node])
        case list([Int: Node])
    }

    private enum Token {
        case key(String)
        case index(Int)
    }

    private static let mapSeparator = Array("__map_".utf8), listSeparator = Array("__list_".utf8)

    private static func tokens(_ path: String) -> [Token] {
        let bytes = Array(path.utf8)
        var tokens: [Token] = []
        var contentStart = 0, isList = false, index = 0
        func finish(at end: Int) {
            let text = String(decoding: bytes[contentStart..<end], as: UTF8.self)
            tokens.append(isList ? .index(Int(text) ?? 0) : .key(text))
        }
        while index < bytes.count {
            if bytes[index...].starts(with: mapSeparator) {
                finish(at: index)
                isList = false
                index += mapSeparator.count
                contentStart = index
            } else if bytes[index...].starts(with: listSeparator) {
                finish(at: index)
                isList = true
                index += listSeparator.count
                contentStart = index
            } else {
                index += 1
            }
        }
        finish(at: bytes.count)
        return tokens
    }

    private static func place(_ value: SOPSValue, at path: ArraySlice<Token>, in node: Node, file: String) throws -> Node {
        guard let token = path.first else {
            guard case .empty = node else { throw Diagnostic.error("\(file): duplicate sops metadata key") }
            return .value(value)
        }
        switch (token, node) {
        case (.key(let key), .empty):
            return .map([key: try place(value, at: path.dropFirst(), in: .empty, file: file)])
        case (.key(let key), .map(var children)):
            children[key] = try place(value, at: path.dropFirst(), in: children[key] ?? .empty, file: file)
            return .map(children)
        case (.index(let position), .empty):
            return .list([position: try place(value, at: path.dropFirst(), in: .empty, file: file)])
        case (.index(let position), .list(var children)):
            children[position] = try place(value, at: path.dropFirst(), in: children[position] ?? .empty, file: file)
            return .list(children)
        default:
            throw Diagnostic.error("\(file): inconsistent sops metadata keys (type mismatch)")
        }
    }

    private static func value(_ node: Node) -> SOPSValue {
        switch node {
        case .empty: return .branch([])
        case .value(let value): return value
        case .map(let children):
            return .branch(children.keys.sorted().map { .pair(SOPSPair(key: $0, value: value(children[$0]!), location: nil)) })
        case .list(let children):
            return .list(children.keys.sorted().map { .value(value(children[$0]!), nil) })
        }
    }

    /// The metadata tree from flattened `(key, value)` pairs (the `sops_` prefix already removed).
    static func unflatten(_ pairs: [SOPSPair], file: String) throws -> SOPSValue {
        var root = Node.empty
        for pair in pairs {
            root = try place(pair.value, at: tokens(pair.key)[...], in: root, file: file)
        }
        if case .empty = root { return .branch([]) }
        return value(root)
    }
}
