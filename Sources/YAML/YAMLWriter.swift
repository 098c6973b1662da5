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
    let preserveStyles: Bool
    let writeComments: Bool
    /// Mappings written before, by an earlier writer of the same configuration.
    var memo: YAMLEmitMemo?
    var out: [UInt8] = []
    var column = 0
    var whitespace = true
    var indention = true
    var indent = -1
    var indents: [Int] = []
    var flowLevel = 0

    init(bestIndent: Int, preserveStyles: Bool, writeComments: Bool) {
        self.bestIndent = bestIndent
        self.preserveStyles = preserveStyles
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
            if items.isEmpty || flowLevel > 0 || (preserveStyles && node.flowStyle) {
                flowSequence(items, parent: parent)
            } else {
                blockSequence(items, parent: parent)
            }
        case .mapping(let pairs):
            writeTag(emittedTag(node.tag, kind: nil))
            if pairs.isEmpty || flowLevel > 0 || (preserveStyles && node.flowStyle) {
                flowMapping(pairs, parent: parent)
            } else {
                blockMapping(pairs, parent: parent)
            }
        }
    }

    /// yaml_emitter_emit_flow_sequence_item: `[a, b]`. yaml.v3 writes Go values in flow style only when
    /// they are empty; collections parsed in flow style keep it when styles are preserved.
    mutating func flowSequence(_ items: [YAMLNode], parent: Parent) {
        writeIndicator("[", needWhitespace: true, isWhitespace: true, isIndention: false)
        increaseIndent(flow: true, parent: parent)
        flowLevel += 1
        for (index, item) in items.enumerated() {
            if index > 0 { writeIndicator(",", needWhitespace: false, isWhitespace: false, isIndention: false) }
            if column == 0 { writeIndent() }
            node(item, simpleKey: false, parent: .flow)
        }
        flowLevel -= 1
        popIndent()
        if column == 0 { writeIndent() }
        writeIndicator("]", needWhitespace: false, isWhitespace: false, isIndention: false)
    }

    /// yaml_emitter_emit_flow_mapping_key/value: `{x: 1, y: 2}`.
    mutating func flowMapping(_ pairs: [YAMLPair], parent: Parent) {
        writeIndicator("{", needWhitespace: true, isWhitespace: true, isIndention: false)
        increaseIndent(flow: true, parent: parent)
        flowLevel += 1
        for (index, pair) in pairs.enumerated() {
            if index > 0 { writeIndicator(",", needWhitespace: false, isWhitespace: false, isIndention: false) }
            if column == 0 { writeIndent() }
            let prepared = pair.key.scalar.map { prepare($0, tag: pair.key.tag) }
            if isSimpleKey(pair.key, prepared: prepared) {
                if let prepared {
                    scalar(prepared, tag: pair.key.tag, simpleKey: true, parent: .flow)
                } else {
                    node(pair.key, simpleKey: true, parent: .flow)
                }
                writeIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false)
            } else {
                writeIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: false)
                node(pair.key, simpleKey: false, parent: .flow)
                writeIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: false)
            }
            node(pair.value, simpleKey: false, parent: .flow)
        }
        flowLevel -= 1
        popIndent()
        writeIndicator("}", needWhitespace: false, isWhitespace: false, isIndention: false)
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
        guard let memo, flowLevel == 0 else { return writeBlockMapping(pairs, parent: parent) }
        let entry = memoState
        if let (bytes, exit) = memo.lookup(pairs, parent: parent, state: entry) {
            out.append(contentsOf: bytes)
            (column, whitespace, indention) = (exit.column, exit.whitespace, exit.indention)
            return
        }
        let start = out.count
        writeBlockMapping(pairs, parent: parent)
        memo.record(pairs, parent: parent, entry: entry, exit: memoState, range: start..<out.count)
    }

    /// What a block mapping's bytes depend on besides the mapping (flow level is 0 in block context).
    private var memoState: YAMLEmitMemo.State {
        YAMLEmitMemo.State(indent: indent, column: column, whitespace: whitespace, indention: indention)
    }

    private mutating func writeBlockMapping(_ pairs: [YAMLPair], parent: Parent) {
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
            return tagLength + prepared.count <= 128
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

    /// The text to write and the style yaml.v3's encoder asks for (encode.go: stringv, intv, boolv, nilv);
    /// `hasNewline` tells whether a string's text holds a "\n" (unused for other kinds).
    func scalarText(_ scalar: YAMLScalar, tag: String?, hasNewline: Bool) -> (value: String, style: Style) {
        switch scalar.kind {
        case .null:
            if preserveStyles, scalar.style == .plain { return (scalar.text, .plain) }
            return ("null", .plain)
        case .bool, .int, .float:
            return (scalar.text, .plain)
        case .string:
            let text = scalar.text
            if preserveStyles {
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
                        if hasNewline { return (text, flowLevel > 0 ? .doubleQuoted : .literal) }
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
            if hasNewline { return (text, flowLevel > 0 ? .doubleQuoted : .literal) }
            return (text, canUsePlain ? .plain : .doubleQuoted)
        }
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

    /// A scalar's text, the style yaml.v3's encoder asks for, and what the emitter's analysis allows.
    /// The text stays a `String` (its UTF-8 is read in place): most scalars are written plain as one line
    /// of ASCII, straight from it, so no byte array is made per scalar.
    struct PreparedScalar {
        var text: String
        /// UTF-8 bytes of `text`.
        var count: Int
        var requested: Style
        var analysis: ScalarAnalysis
        var kind: YAMLScalar.Kind
    }

    func prepare(_ scalar: YAMLScalar, tag: String?) -> PreparedScalar {
        guard scalar.kind == .string else {
            let (text, requested) = scalarText(scalar, tag: tag, hasNewline: false)
            return PreparedScalar(text: text, count: text.utf8.count, requested: requested, analysis: ScalarAnalysis(text), kind: scalar.kind)
        }
        // A string is written as its text: analysed first, so printable ASCII (most scalars, every
        // certificate) is scanned once instead of again for a newline.
        let text = scalar.text
        let analysis = ScalarAnalysis(text)
        let hasNewline = !analysis.isPrintableASCII && text.utf8.contains(UInt8(ascii: "\n"))
        let requested = scalarText(scalar, tag: tag, hasNewline: hasNewline).style
        return PreparedScalar(text: text, count: text.utf8.count, requested: requested, analysis: analysis, kind: .string)
    }

    mutating func scalar(_ prepared: PreparedScalar, tag: String?, simpleKey: Bool, parent: Parent) {
        let style = selectStyle(prepared.requested, analysis: prepared.analysis, isEmpty: prepared.count == 0, simpleKey: simpleKey)
        writeTag(emittedTag(tag, kind: prepared.kind))
        increaseIndent(flow: true, parent: parent)
        if style == .plain && prepared.analysis.isPrintableASCII {
            writePlainASCII(prepared.text)
        } else {
            let value = Array(prepared.text.utf8)
            switch style {
            case .plain: writePlain(value, allowBreaks: !simpleKey, printableASCII: prepared.analysis.isPrintableASCII)
            case .singleQuoted: writeSingleQuoted(value, allowBreaks: !simpleKey)
            case .doubleQuoted: writeDoubleQuoted(value)
            case .literal: writeLiteral(value)
            case .folded: writeFolded(value)
            }
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
}
