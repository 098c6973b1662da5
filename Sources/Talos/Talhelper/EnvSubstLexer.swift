/// a8m/envsubst's lexer (`parse/lex.go`) over one line: the same states, the same tokens, the same
/// places it stops with "closing brace expected". Positions are unicode-scalar offsets in the line.
struct EnvSubstLexer {
    enum Kind: Int, Comparable {
        // Declared in upstream's order: an operator is any kind from `plus` on (its `>= itemPlus` test).
        case error, eof, text, plus, dash, equals, colonEquals, colonDash, colonPlus, variable, leftDelim, rightDelim

        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    struct Item {
        let kind: Kind
        let value: String
        let position: Int
    }

    private enum State { case text, variable, substitutionOperator, substitution }

    private let input: [Unicode.Scalar]
    private var position = 0
    private var start = 0
    private var lastPosition = 0
    private var width = 0
    private var substitutionDepth = 0
    private var items: [Item] = []

    init(_ input: [Unicode.Scalar]) {
        self.input = input
    }

    mutating func run() -> [Item] {
        var state: State? = .text
        while let current = state {
            switch current {
            case .text: state = lexText()
            case .variable: state = lexVariable()
            case .substitutionOperator: state = lexSubstitutionOperator()
            case .substitution: state = lexSubstitution()
            }
        }
        return items
    }

    private mutating func next() -> Unicode.Scalar? {
        guard position < input.count else {
            width = 0
            return nil
        }
        width = 1
        position += 1
        return input[position - 1]
    }

    private mutating func peek() -> Unicode.Scalar? {
        let scalar = next()
        position -= width
        return scalar
    }

    private mutating func emit(_ kind: Kind) {
        items.append(Item(kind: kind, value: String(String.UnicodeScalarView(input[start..<position])), position: start))
        lastPosition = start
        start = position
    }

    private mutating func fail(_ message: String) -> State? {
        items.append(Item(kind: .error, value: message, position: start))
        return nil
    }

    /// Upstream's `isAlphaNumeric`: `_`, a Unicode letter or a decimal digit.
    static func isAlphaNumeric(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else { return false }
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber: return true
        default: return false
        }
    }

    private var followsSubstitutionStart: Bool {
        lastPosition + 1 < input.count && input[lastPosition] == "$" && input[lastPosition + 1] == "{"
    }

    private mutating func lexText() -> State? {
        while true {
            guard let scalar = next() else { break }
            guard scalar == "$" else { continue }
            position -= 1
            if position > start { emit(.text) }
            position += 1
            let following = peek()
            if following == "$" {
                start = position
                _ = next()
                emit(.text)
            } else if following == "{" {
                _ = next()
                substitutionDepth += 1
                emit(.leftDelim)
                return .substitutionOperator
            } else if Self.isAlphaNumeric(following) {
                return .variable
            }
        }
        if position > start { emit(.text) }
        emit(.eof)
        return nil
    }

    private mutating func lexVariable() -> State? {
        while Self.isAlphaNumeric(next()) {}
        position -= width
        let name = String(String.UnicodeScalarView(input[start..<position]))
        if name == "_" || name == "$_" { return .text }
        emit(.variable)
        return substitutionDepth > 0 ? .substitutionOperator : .text
    }

    private mutating func lexSubstitutionOperator() -> State? {
        let scalar = next()
        switch scalar {
        case "}": return closeSubstitution()
        case nil, "\r", "\n": return fail("closing brace expected")
        case "+": emit(.plus)
        case "-": emit(.dash)
        case "=": emit(.equals)
        case ":":
            switch next() {
            case "-": emit(.colonDash)
            case "=": emit(.colonEquals)
            case "+": emit(.colonPlus)
            default: break
            }
        default:
            if Self.isAlphaNumeric(scalar) && followsSubstitutionStart { return .variable }
        }
        return .substitution
    }

    /// The `}` that ends a `${...}`: back to plain text.
    private mutating func closeSubstitution() -> State? {
        substitutionDepth -= 1
        emit(.rightDelim)
        return .text
    }

    private mutating func lexSubstitution() -> State? {
        let scalar = next()
        switch scalar {
        case "}": return closeSubstitution()
        case nil, "\r", "\n": return fail("closing brace expected")
        case "$":
            return .variable
        default:
            if Self.isAlphaNumeric(scalar) && followsSubstitutionStart { return .variable }
            emit(.text)
            return .substitution
        }
    }
}
