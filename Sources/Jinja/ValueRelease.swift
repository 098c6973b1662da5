// Releasing a deeply nested value without recursion: Swift frees a list holding a list holding a
// list… one stack frame per level, so a 100,000-deep value built in a loop would overflow the stack
// when it is dropped. Containers hand their contents to a work list instead.

enum ValueRelease {
    /// Empties `values`, releasing everything only it kept alive one container at a time.
    static func drain(_ values: inout [Value]) {
        var pending: [Value] = []
        swap(&pending, &values)
        while var value = pending.popLast() {
            switch value {
            case .list(var list):
                value = .none
                if isKnownUniquelyReferenced(&list) { pending.append(contentsOf: list.takeItems()) }
            case .dict(var dict):
                value = .none
                if isKnownUniquelyReferenced(&dict) { pending.append(contentsOf: dict.takeContents()) }
            case .tuple(let items):
                value = .none
                pending.append(contentsOf: items)
            default:
                break
            }
        }
    }
}

extension Value {
    /// The identity of a list or dict, which Python's repr and json track to spot self-containing
    /// values; nil for everything else.
    var containerIdentity: ObjectIdentifier? {
        switch self {
        case .list(let l): return ObjectIdentifier(l)
        case .dict(let d): return ObjectIdentifier(d)
        default: return nil
        }
    }
}
