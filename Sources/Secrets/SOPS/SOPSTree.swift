import Diagnostics

/// A SOPS document tree as sops holds it: mappings keep comments as items between their keys, sequences
/// keep them between their elements. Values are typed the way sops' YAML store types them.
indirect enum SOPSValue: Equatable {
    case string(String)
    /// A decrypted string that is not valid UTF-8 (a binary file's data), kept byte for byte.
    case bytes([UInt8])
    /// A decrypted `type:time` value (a YAML timestamp), its RFC 3339 text.
    case time(String)
    case int(Int)
    case float(Double)
    case bool(Bool)
    case null
    case branch([SOPSBranchItem])
    case list([SOPSListItem])
}

struct SOPSComment: Equatable {
    /// The text after `#`.
    var text: String
    /// A comment that followed a value on its line (only kept for comments sops left unencrypted).
    var inline: Bool
    var location: SourceLocation?
}

struct SOPSPair: Equatable {
    var key: String
    var value: SOPSValue
    /// Where the value starts.
    var location: SourceLocation?
    /// Where the key starts (when read from a file).
    var keyLocation: SourceLocation? = nil
}

enum SOPSBranchItem: Equatable {
    case comment(SOPSComment)
    case pair(SOPSPair)
}

enum SOPSListItem: Equatable {
    case comment(SOPSComment)
    case value(SOPSValue, SourceLocation?)
}

extension SOPSValue {
    var branchItems: [SOPSBranchItem]? {
        if case .branch(let items) = self { return items }
        return nil
    }

    /// The first pair with this key in a branch.
    subscript(key: String) -> SOPSValue? {
        for case .pair(let pair) in branchItems ?? [] where pair.key == key { return pair.value }
        return nil
    }
}
