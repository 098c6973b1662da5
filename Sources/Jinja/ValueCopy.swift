// A deep copy of loaded data, for handing the same values to several renders.

extension Value {
    /// A copy that shares no list or dict with this value (Python's `copy.deepcopy` of loaded data), so a
    /// render that changes a list or dict (`do items.append(…)`) leaves the copy untouched. Strings and
    /// numbers are values already; other objects (namespaces, macros…) are not data and stay shared.
    /// For trees without shared containers, such as those `Value(yaml:)` builds, the copy is what loading
    /// the same data again would give, for far less work.
    public func deepCopy() -> Value {
        switch self {
        case .list(let list): return .list(ListStorage(list.items.map { $0.deepCopy() }))
        case .dict(let dict): return .dict(dict.mappingValues { $0.deepCopy() })
        case .tuple(let items): return .tuple(items.map { $0.deepCopy() })
        default: return self
        }
    }
}
