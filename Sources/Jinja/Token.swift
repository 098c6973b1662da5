// Lexer output: what the parser consumes.

enum TokenKind: Equatable {
    case data(String)
    case variableBegin, variableEnd
    case blockBegin, blockEnd
    case name(String)
    case string(String)
    case integer(Int)
    /// An integer literal past 64 bits (Python ints have no bound).
    case bigInteger(BigInt)
    case float(Double)
    case op(String)
    case eof

    var description: String {
        switch self {
        case .data: return "template data"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name(let n): return n
        case .string: return "string"
        case .integer, .bigInteger: return "integer"
        case .float: return "float"
        case .op(let o): return o
        case .eof: return "end of template"
        }
    }
}

/// A source position: 1-based line and column (in characters) plus the byte offset.
public struct Position: Sendable, Hashable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

struct Token {
    var kind: TokenKind
    var position: Position

    func isName(_ n: String) -> Bool { if case .name(n) = kind { return true }; return false }
    func isOp(_ o: String) -> Bool { if case .op(o) = kind { return true }; return false }
}
