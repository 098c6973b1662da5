// Errors a template raises, with where they happened.
import Diagnostics

/// A template failed to parse or render. Always names the template, line and column.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case syntax, undefined, type, runtime, notFound, security, limit
    }

    public var kind: Kind
    public var message: String
    public var template: String
    public var position: Position?
    /// The offending source line with a caret under the column (syntax errors).
    public var excerpt: String?

    public init(_ kind: Kind, _ message: String, template: String, position: Position?, excerpt: String? = nil) {
        self.kind = kind
        self.message = message
        self.template = template
        self.position = position
        self.excerpt = excerpt
    }

    public var diagnostic: Diagnostic {
        let location = position.map { SourceLocation(file: template, line: $0.line, column: $0.column) }
        var text = message
        if let excerpt { text += "\n" + excerpt }
        return Diagnostic(.error, at: location, text)
    }

    public var description: String { diagnostic.description }
}

/// Raised while evaluating, before the interpreter knows the position; it adds template/line/column.
enum EvalError: Error {
    case type(String)
    /// The position is where the undefined name was written, when known.
    case undefined(String, Position?)
    case runtime(String)
    case limit(String)
    case notFound(String)
    case security(String)

    var kind: TemplateError.Kind {
        switch self {
        case .type: return .type
        case .undefined: return .undefined
        case .runtime: return .runtime
        case .limit: return .limit
        case .notFound: return .notFound
        case .security: return .security
        }
    }

    var message: String {
        switch self {
        case .type(let m), .undefined(let m, _), .runtime(let m), .limit(let m), .notFound(let m), .security(let m): return m
        }
    }
}

/// A source text with line starts, to turn byte offsets into line/column and excerpts.
struct SourceText {
    let bytes: [UInt8]
    let lineStarts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        lineStarts = starts
    }

    func position(of offset: Int) -> Position {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        var column = 1
        var i = lineStarts[lo]
        while i < min(offset, bytes.count) {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return Position(line: lo + 1, column: column)
    }

    /// `  source line` and `  ^` under the column.
    func excerpt(at position: Position) -> String? {
        guard position.line >= 1, position.line <= lineStarts.count else { return nil }
        let start = lineStarts[position.line - 1]
        var end = start
        while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
        let line = String(decoding: bytes[start..<end], as: UTF8.self)
        let caretPad = String(line.prefix(max(0, position.column - 1)).map { $0 == "\t" ? "\t" : " " })
        return "    " + line + "\n    " + caretPad + "^"
    }
}
