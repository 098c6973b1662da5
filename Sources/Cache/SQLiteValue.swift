/// A value bound to or read from an SQLite statement.
enum SQLiteValue: Sendable, Hashable {
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    case null

    var integer: Int64 {
        switch self {
        case let .integer(value): return value
        case let .real(value): return Int64(value)
        default: return 0
        }
    }

    var real: Double {
        switch self {
        case let .real(value): return value
        case let .integer(value): return Double(value)
        default: return 0
        }
    }

    var text: String {
        switch self {
        case let .text(value): return value
        case let .blob(bytes): return String(decoding: bytes, as: UTF8.self)
        default: return ""
        }
    }

    var blob: [UInt8] {
        switch self {
        case let .blob(bytes): return bytes
        case let .text(value): return Array(value.utf8)
        default: return []
        }
    }

    /// A stored digest column; nil when the column does not hold 32 bytes.
    var digest: Digest? { Digest(bytes: blob) }
}

extension Digest {
    var sqlite: SQLiteValue { .blob(bytes) }
}
