/// Writes YAML exactly as Go's gopkg.in/yaml.v3 encoder does: block style, sequences indented under
/// their key, `{}`/`[]` for empty collections, yaml.v3's quoting and literal-block choices, no line folding.
///
/// By default it writes nodes the way yaml.v3 writes Go values: a string is quoted only when it must be,
/// whatever style it was parsed with, and comments are not written (Go values have none). Set
/// `preserveScalarStyles` and `writeComments` to re-encode parsed files the way yaml.v3 re-encodes its
/// own `yaml.Node` trees.
public struct YAMLEmitter: Sendable {
    /// Spaces per nesting level (yaml.v3 accepts 2…9; others fall back to 2 as yaml.v3 does).
    public var indent: Int
    public var preserveScalarStyles: Bool
    /// Whether documents' head comments (`YAMLNode.headComment`) are written.
    public var writeComments: Bool

    public init(indent: Int = 4, preserveScalarStyles: Bool = false, writeComments: Bool = false) {
        self.indent = (2...9).contains(indent) ? indent : 2
        self.preserveScalarStyles = preserveScalarStyles
        self.writeComments = writeComments
    }

    /// One document, ending with "\n", without "---".
    public func emit(_ node: YAMLNode) -> String {
        emitDocuments([node])
    }

    /// Documents separated by "---\n", as successive yaml.v3 `Encoder.Encode` calls write them.
    public func emitDocuments(_ nodes: [YAMLNode]) -> String {
        String(decoding: emitBytes(nodes), as: UTF8.self)
    }

    public func emitBytes(_ nodes: [YAMLNode]) -> [UInt8] {
        var writer = YAMLWriter(bestIndent: indent, preserveScalarStyles: preserveScalarStyles, writeComments: writeComments)
        for (index, node) in nodes.enumerated() {
            writer.document(node, first: index == 0)
        }
        return writer.out
    }
}

/// The emitter's state: the column and whitespace bookkeeping of yaml.v3's emitterc.go, driven by a
/// recursive walk of the tree instead of an event queue.
struct YAMLWriter {
    /// The emitter state that is on top of yaml.v3's state stack while a child node is written;
    /// only "inside a block sequence item" changes how indentation grows.
    enum Parent {
        case document, blockSequenceItem, blockMappingKey, blockMappingValue, flow
    }

    enum Style {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    let bestIndent: Int
    let preserveScalarStyles: Bool
    let writeComments: Bool
    var out: [UInt8] = []
    var column = 0
    var whitespace = true
    var indention = true
    var indent = -1
    var indents: [Int] = []
    var flowLevel = 0

    init(bestIndent: Int, preserveScalarStyles: Bool, writeComments: Bool) {
        self.bestIndent = bestIndent
        self.preserveScalarStyles = preserveScalarStyles
        self.writeComments = writeComments
        out.reserveCapacity(4096)
    }

    // MARK: Structure

    mutating func document(_ node: YAMLNode, first: Bool) {
        if !first {
            writeIndent()
            writeIndicator("---", needWhitespace: true, isWhitespace: false, isIndention: false)
            writeIndent()
        }
        if writeComments, let comment = node.headComment, !comment.isEmpty {
            writeComment(comment)
        }
        self.node(node, simpleKey: false, parent: .document)
        writeIndent()
    }

    mutating func node(_ node: YAMLNode, simpleKey: Bool, parent: Parent) {
        switch node.content {
        case .scalar(let scalar):
            self.scalar(prepare(scalar, tag: node.tag), tag: node.tag, simpleKey: simpleKey, parent: parent)
        case .sequence(let items):
            writeTag(emittedTag(node.tag, kind: nil))
            if items.isEmpty || flowLevel > 0 {
                flowCollection(open: "[", close: "]", parent: parent)
            } else {
                blockSequence(items, parent: parent)
            }
        case .mapping(let pairs):
            writeTag(emittedTag(node.tag, kind: nil))
            if pairs.isEmpty || flowLevel > 0 {
                flowCollection(open: "{", close: "}", parent: parent)
            } else {
                blockMapping(pairs, parent: parent)
            }
        }
    }

    /// Only empty collections are written in flow style (yaml.v3 never chooses flow for the others).
    mutating func flowCollection(open: String, close: String, parent: Parent) {
        writeIndicator(open, needWhitespace: true, isWhitespace: true, isIndention: false)
        increaseIndent(flow: true, parent: parent)
        flowLevel += 1
        flowLevel -= 1
        popIndent()
        if column == 0 { writeIndent() }
        writeIndicator(close, needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    mutating func blockSequence(_ items: [YAMLNode], parent: Parent) {
        increaseIndent(flow: false, parent: parent)
        for item in items {
            writeIndent()
            writeIndicator("-", needWhitespace: true, isWhitespace: false, isIndention: true)
            node(item, simpleKey: false, parent: .blockSequenceItem)
        }
        popIndent()
    }

    mutating func blockMapping(_ pairs: [YAMLPair], parent: Parent) {
        increaseIndent(flow: false, parent: parent)
        for pair in pairs {
            writeIndent()
            let prepared = pair.key.scalar.map { prepare($0, tag: pair.key.tag) }
            if isSimpleKey(pair.key, prepared: prepared) {
                if let prepared {
                    scalar(prepared, tag: pair.key.tag, simpleKey: true, parent: .blockMappingValue)
                } else {
                    node(pair.key, simpleKey: true, parent: .blockMappingValue)
                }
                writeIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false)
            } else {
                writeIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true)
                node(pair.key, simpleKey: false, parent: .blockMappingValue)
                writeIndent()
                writeIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: true)
            }
            node(pair.value, simpleKey: false, parent: .blockMappingKey)
        }
        popIndent()
    }

    /// yaml_emitter_check_simple_key: single-line scalars and empty collections up to 128 bytes.
    func isSimpleKey(_ key: YAMLNode, prepared: PreparedScalar?) -> Bool {
        let tagLength = emittedTag(key.tag, kind: key.scalar?.kind).map { $0.utf8.count } ?? 0
        switch key.content {
        case .scalar:
            guard let prepared else { return false }
            if prepared.analysis.multiline { return false }
            return tagLength + prepared.bytes.count <= 128
        case .sequence(let items):
            return items.isEmpty && tagLength <= 128
        case .mapping(let pairs):
            return pairs.isEmpty && tagLength <= 128
        }
    }

    /// yaml_emitter_increase_indent: the first level inside a sequence item only skips the "- ";
    /// every other level goes to the next multiple of the indent.
    mutating func increaseIndent(flow: Bool, parent: Parent) {
        indents.append(indent)
        if indent < 0 {
            indent = flow ? bestIndent : 0
        } else if parent == .blockSequenceItem {
            indent += 2
        } else {
            indent = bestIndent * ((indent + bestIndent) / bestIndent)
        }
    }

    mutating func popIndent() {
        indent = indents.removeLast()
    }

    // MARK: Scalars

    /// The text to write and the style yaml.v3's encoder asks for (encode.go: stringv, intv, boolv, nilv).
    func scalarText(_ scalar: YAMLScalar, tag: String?) -> (value: String, style: Style) {
        switch scalar.kind {
        case .null:
            if preserveScalarStyles, scalar.style == .plain { return (scalar.text, .plain) }
            return ("null", .plain)
        case .bool, .int, .float:
            return (scalar.text, .plain)
        case .string:
            let text = scalar.text
            if preserveScalarStyles {
                switch scalar.style {
                case .singleQuoted: return (text, .singleQuoted)
                case .doubleQuoted: return (text, .doubleQuoted)
                case .literal: return (text, .literal)
                case .folded: return (text, .folded)
                case .plain:
                    // yaml.v3 re-encoding a yaml.Node keeps a plain scalar plain while it still resolves
                    // to the tag it was read with (encode.go, node); only YAML 1.1 forms are not re-quoted.
                    let resolved = ScalarResolver.resolve(text)
                    if resolved == .string || resolved == .timestamp {
                        if Self.hasNewline(text) { return (text, flowLevel > 0 ? .doubleQuoted : .literal) }
                        return (text, .plain)
                    }
                }
            }
            let canUsePlain: Bool
            if emittedTag(tag, kind: .string) != nil {
                canUsePlain = true
            } else {
                canUsePlain = ScalarResolver.resolve(text) == .string
                    && !ScalarResolver.isBase60Float(text) && !ScalarResolver.isOldBool(text)
            }
            if Self.hasNewline(text) { return (text, flowLevel > 0 ? .doubleQuoted : .literal) }
            return (text, canUsePlain ? .plain : .doubleQuoted)
        }
    }

    static func hasNewline(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.contains(UInt8(ascii: "\n")) } ?? text.utf8.contains(UInt8(ascii: "\n"))
    }

    /// The tag to write, if any: tags that only restate what the text resolves to are left out.
    func emittedTag(_ tag: String?, kind: YAMLScalar.Kind?) -> String? {
        guard let tag, !tag.isEmpty, tag != "!" else { return nil }
        switch tag {
        case "!!str", "!!map", "!!seq", "!!merge": return nil
        case "!!int": return kind == .int ? nil : tag
        case "!!float": return kind == .float ? nil : tag
        case "!!bool": return kind == .bool ? nil : tag
        case "!!null": return kind == .null ? nil : tag
        default: return tag
        }
    }

    /// A scalar's bytes, the style yaml.v3's encoder asks for, and what the emitter's analysis allows.
    struct PreparedScalar {
        var bytes: [UInt8]
        var requested: Style
        var analysis: ScalarAnalysis
        var kind: YAMLScalar.Kind
    }

    func prepare(_ scalar: YAMLScalar, tag: String?) -> PreparedScalar {
        let (text, requested) = scalarText(scalar, tag: tag)
        let bytes = Array(text.utf8)
        return PreparedScalar(bytes: bytes, requested: requested, analysis: ScalarAnalysis(bytes), kind: scalar.kind)
    }

    mutating func scalar(_ prepared: PreparedScalar, tag: String?, simpleKey: Bool, parent: Parent) {
        let value = prepared.bytes
        let style = selectStyle(prepared.requested, analysis: prepared.analysis, isEmpty: value.isEmpty, simpleKey: simpleKey)
        writeTag(emittedTag(tag, kind: prepared.kind))
        increaseIndent(flow: true, parent: parent)
        switch style {
        case .plain: writePlain(value, allowBreaks: !simpleKey)
        case .singleQuoted: writeSingleQuoted(value, allowBreaks: !simpleKey)
        case .doubleQuoted: writeDoubleQuoted(value)
        case .literal: writeLiteral(value)
        case .folded: writeFolded(value)
        }
        popIndent()
    }

    /// yaml_emitter_select_scalar_style.
    func selectStyle(_ requested: Style, analysis: ScalarAnalysis, isEmpty: Bool, simpleKey: Bool) -> Style {
        var style = requested
        if simpleKey && analysis.multiline { style = .doubleQuoted }
        if style == .plain {
            if (flowLevel > 0 && !analysis.flowPlainAllowed) || (flowLevel == 0 && !analysis.blockPlainAllowed) {
                style = .singleQuoted
            }
            if isEmpty && (flowLevel > 0 || simpleKey) { style = .singleQuoted }
        }
        if style == .singleQuoted && !analysis.singleQuotedAllowed { style = .doubleQuoted }
        if style == .literal || style == .folded {
            if !analysis.blockAllowed || flowLevel > 0 || simpleKey { style = .doubleQuoted }
        }
        return style
    }

    // MARK: Low-level writing (column counts characters, as yaml.v3 counts them)

    mutating func put(_ c: UInt8) {
        out.append(c)
        column += 1
    }

    mutating func putBreak() {
        out.append(UInt8(ascii: "\n"))
        column = 0
        indention = true
    }

    /// Copies one character (1–4 bytes) and advances `i`.
    mutating func write(_ value: [UInt8], _ i: inout Int) {
        let w = min(YAMLChars.width(value[i]), value.count - i)
        for k in i..<(i + w) { out.append(value[k]) }
        column += 1
        i += w
    }

    mutating func writeBreak(_ value: [UInt8], _ i: inout Int) {
        if value[i] == UInt8(ascii: "\n") {
            putBreak()
            i += 1
        } else {
            write(value, &i)
            column = 0
            indention = true
        }
    }

    mutating func writeIndent() {
        let target = max(indent, 0)
        if !indention || column > target || (column == target && !whitespace) {
            putBreak()
        }
        while column < target { put(UInt8(ascii: " ")) }
        whitespace = true
    }

    mutating func writeIndicator(_ indicator: String, needWhitespace: Bool, isWhitespace: Bool, isIndention: Bool) {
        if needWhitespace && !whitespace { put(UInt8(ascii: " ")) }
        let bytes = Array(indicator.utf8)
        var i = 0
        while i < bytes.count { write(bytes, &i) }
        whitespace = isWhitespace
        indention = indention && isIndention
    }

    /// Tags as yaml.v3 writes them with its default `!`/`!!` handles.
    mutating func writeTag(_ tag: String?) {
        guard let tag else { return }
        if !whitespace { put(UInt8(ascii: " ")) }
        let bytes = Array(tag.utf8)
        var i = 0
        while i < bytes.count { write(bytes, &i) }
        whitespace = false
        indention = false
    }

    mutating func writeComment(_ comment: String) {
        for line in comment.split(separator: "\n", omittingEmptySubsequences: false) {
            writeIndent()
            var text = Array(line.utf8)
            if text.first != UInt8(ascii: "#") { text = Array("# ".utf8) + text }
            var i = 0
            while i < text.count { write(text, &i) }
            putBreak()
        }
        whitespace = true
    }

    mutating func writePlain(_ value: [UInt8], allowBreaks: Bool) {
        if !value.isEmpty && !whitespace { put(UInt8(ascii: " ")) }
        if !value.contains(where: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") || $0 >= 0x80 }) {
            // Fast path: one line of ASCII, one column per byte.
            out.append(contentsOf: value)
            column += value.count
        } else {
            var breaks = false
            var i = 0
            while i < value.count {
                if value[i] == UInt8(ascii: " ") {
                    write(value, &i)
                } else if YAMLChars.isBreak(value, i) {
                    if !breaks && value[i] == UInt8(ascii: "\n") { putBreak() }
                    writeBreak(value, &i)
                    breaks = true
                } else {
                    if breaks { writeIndent() }
                    write(value, &i)
                    indention = false
                    breaks = false
                }
            }
        }
        if !value.isEmpty { whitespace = false }
        indention = false
    }

    mutating func writeSingleQuoted(_ value: [UInt8], allowBreaks: Bool) {
        writeIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false)
        var breaks = false
        var i = 0
        while i < value.count {
            if value[i] == UInt8(ascii: " ") {
                write(value, &i)
            } else if YAMLChars.isBreak(value, i) {
                if !breaks && value[i] == UInt8(ascii: "\n") { putBreak() }
                writeBreak(value, &i)
                breaks = true
            } else {
                if breaks { writeIndent() }
                if value[i] == UInt8(ascii: "'") { put(UInt8(ascii: "'")) }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
        writeIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    mutating func writeDoubleQuoted(_ value: [UInt8]) {
        writeIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false)
        var i = 0
        while i < value.count {
            let c = value[i]
            if !YAMLChars.isPrintable(value, i) || YAMLChars.isBOM(value, i) || YAMLChars.isBreak(value, i)
                || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
                let w = min(YAMLChars.width(c), value.count - i)
                var v: UInt32
                switch w {
                case 2: v = UInt32(c & 0x1F)
                case 3: v = UInt32(c & 0x0F)
                case 4: v = UInt32(c & 0x07)
                default: v = UInt32(c & 0x7F)
                }
                for k in 1..<max(w, 1) { v = (v << 6) + UInt32(value[i + k] & 0x3F) }
                i += w
                put(UInt8(ascii: "\\"))
                switch v {
                case 0x00: put(UInt8(ascii: "0"))
                case 0x07: put(UInt8(ascii: "a"))
                case 0x08: put(UInt8(ascii: "b"))
                case 0x09: put(UInt8(ascii: "t"))
                case 0x0A: put(UInt8(ascii: "n"))
                case 0x0B: put(UInt8(ascii: "v"))
                case 0x0C: put(UInt8(ascii: "f"))
                case 0x0D: put(UInt8(ascii: "r"))
                case 0x1B: put(UInt8(ascii: "e"))
                case 0x22: put(UInt8(ascii: "\""))
                case 0x5C: put(UInt8(ascii: "\\"))
                case 0x85: put(UInt8(ascii: "N"))
                case 0xA0: put(UInt8(ascii: "_"))
                case 0x2028: put(UInt8(ascii: "L"))
                case 0x2029: put(UInt8(ascii: "P"))
                default:
                    let digits: Int
                    if v <= 0xFF {
                        put(UInt8(ascii: "x")); digits = 2
                    } else if v <= 0xFFFF {
                        put(UInt8(ascii: "u")); digits = 4
                    } else {
                        put(UInt8(ascii: "U")); digits = 8
                    }
                    for k in stride(from: (digits - 1) * 4, through: 0, by: -4) {
                        let digit = UInt8((v >> UInt32(k)) & 0x0F)
                        put(digit < 10 ? digit + UInt8(ascii: "0") : digit - 10 + UInt8(ascii: "A"))
                    }
                }
            } else {
                write(value, &i)
            }
        }
        writeIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false)
        whitespace = false
        indention = false
    }

    /// yaml_emitter_write_block_scalar_hints: an indentation digit when the text starts with a space or
    /// break, `-` without a final break, `+` with more than one.
    mutating func writeBlockScalarHints(_ value: [UInt8]) {
        if value.first == UInt8(ascii: " ") || YAMLChars.isBreak(value, 0) {
            writeIndicator(String(bestIndent), needWhitespace: false, isWhitespace: false, isIndention: false)
        }
        var chomp: String?
        if value.isEmpty {
            chomp = "-"
        } else {
            var i = value.count - 1
            while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
            if !YAMLChars.isBreak(value, i) {
                chomp = "-"
            } else if i == 0 {
                chomp = "+"
            } else {
                i -= 1
                while i > 0 && value[i] & 0xC0 == 0x80 { i -= 1 }
                if YAMLChars.isBreak(value, i) { chomp = "+" }
            }
        }
        if let chomp { writeIndicator(chomp, needWhitespace: false, isWhitespace: false, isIndention: false) }
    }

    mutating func writeLiteral(_ value: [UInt8]) {
        writeIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false)
        writeBlockScalarHints(value)
        whitespace = true
        var breaks = true
        var i = 0
        while i < value.count {
            if YAMLChars.isBreak(value, i) {
                writeBreak(value, &i)
                breaks = true
            } else {
                if breaks { writeIndent() }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
    }

    mutating func writeFolded(_ value: [UInt8]) {
        writeIndicator(">", needWhitespace: true, isWhitespace: false, isIndention: false)
        writeBlockScalarHints(value)
        whitespace = true
        var breaks = true
        var leadingSpaces = true
        var i = 0
        while i < value.count {
            if YAMLChars.isBreak(value, i) {
                if !breaks && !leadingSpaces && value[i] == UInt8(ascii: "\n") {
                    var k = 0
                    while YAMLChars.isBreak(value, k) { k += YAMLChars.width(value[k]) }
                    if !YAMLChars.isBlankOrBreakOrNul(value, k) { putBreak() }
                }
                writeBreak(value, &i)
                breaks = true
            } else {
                if breaks {
                    writeIndent()
                    leadingSpaces = YAMLChars.isBlank(value, i)
                }
                write(value, &i)
                indention = false
                breaks = false
            }
        }
    }
}
