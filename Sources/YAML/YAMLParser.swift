import CYAML
import Diagnostics

/// Parses a YAML stream with libyaml's event API and builds `YAMLNode` trees directly from the events:
/// no intermediate document model, one String per scalar, positions from libyaml's marks.
struct YAMLParser {
    let file: String
    let options: YAMLParseOptions

    /// A collection being built: its children so far and what to attach it with when it ends.
    private struct Frame {
        var isMapping: Bool
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        var pendingKey: YAMLNode?
        var tag: String?
        var anchor: String?
        var location: SourceLocation
        /// Nodes in this subtree counting alias expansions, for the alias budget.
        var weight: Int = 1
        /// Levels of collections below and including this one, counting aliased subtrees.
        var height: Int = 1
        var hasMergeKey = false
        var flowStyle = false
        /// Key text → position, built once a mapping grows past a few keys (small ones scan linearly).
        var keyIndex: [String: SourceLocation]?
    }

    private struct Anchored {
        var node: YAMLNode
        var weight: Int
        var height: Int
    }

    func parse(_ bytes: [UInt8]) throws(Diagnostic) -> [YAMLNode] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            throw Diagnostic.error("cannot initialise the YAML parser (out of memory)", at: SourceLocation(file: file, line: 1, column: 1))
        }
        defer { yaml_parser_delete(&parser) }
        // libyaml needs a non-null pointer even for an empty stream.
        let input = bytes.isEmpty ? [0] : bytes
        let result: Result<[YAMLNode], Diagnostic> = input.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, bytes.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            var state = BuildState(file: file, options: options, source: UnsafeBufferPointer(rebasing: buffer[0..<bytes.count]))
            do throws(Diagnostic) {
                try state.run(&parser)
                return .success(state.documents)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private struct BuildState {
        let file: String
        let options: YAMLParseOptions
        let source: UnsafeBufferPointer<UInt8>
        var documents: [YAMLNode] = []
        var stack: [Frame] = []
        var anchors: [String: Anchored] = [:]
        var root: YAMLNode?
        var physicalNodes = 0
        var expandedNodes = 0
        /// Where the text that may hold the next document's leading comments starts, as libyaml's
        /// character index: turned into a byte offset only when a next document has content (walking a
        /// single document's whole text to its end for nothing showed in profiles).
        var commentRegionStartCharacter = 0
        /// libyaml's mark.index counts characters; this cursor turns them into byte offsets in one
        /// forward pass over the stream.
        var cursorCharacter = 0
        var cursorByte = 0
        var documentHeadComment: String?
        var sawDocumentContent = false

        init(file: String, options: YAMLParseOptions, source: UnsafeBufferPointer<UInt8>) {
            self.file = file
            self.options = options
            self.source = source
            stack.reserveCapacity(32)
        }

        func location(_ mark: yaml_mark_t) -> SourceLocation {
            SourceLocation(file: file, line: Int(mark.line) + 1, column: Int(mark.column) + 1)
        }

        mutating func run(_ parser: inout yaml_parser_t) throws(Diagnostic) {
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    throw libyamlError(parser)
                }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return
                case YAML_DOCUMENT_START_EVENT:
                    anchors.removeAll(keepingCapacity: true)
                    root = nil
                    sawDocumentContent = false
                    documentHeadComment = nil
                case YAML_DOCUMENT_END_EVENT:
                    var node = root ?? YAMLNode(.scalar(YAMLScalar(text: "", kind: .null)))
                    if let documentHeadComment { node.headComment = documentHeadComment }
                    documents.append(node)
                    commentRegionStartCharacter = Int(event.end_mark.index)
                case YAML_SCALAR_EVENT:
                    noteContentStart(event.start_mark)
                    try scalar(event)
                case YAML_ALIAS_EVENT:
                    noteContentStart(event.start_mark)
                    try alias(event)
                case YAML_SEQUENCE_START_EVENT:
                    noteContentStart(event.start_mark)
                    try open(isMapping: false, anchor: event.data.sequence_start.anchor,
                             tag: event.data.sequence_start.tag, mark: event.start_mark,
                             flow: event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE)
                case YAML_MAPPING_START_EVENT:
                    noteContentStart(event.start_mark)
                    try open(isMapping: true, anchor: event.data.mapping_start.anchor,
                             tag: event.data.mapping_start.tag, mark: event.start_mark,
                             flow: event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE)
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    try close()
                default:
                    break
                }
            }
        }

        mutating func byteOffset(ofCharacter index: Int) -> Int {
            if index < cursorCharacter {
                cursorCharacter = 0
                cursorByte = 0
            }
            while cursorCharacter < index && cursorByte < source.count {
                cursorByte += 1
                while cursorByte < source.count && source[cursorByte] & 0xC0 == 0x80 { cursorByte += 1 }
                cursorCharacter += 1
            }
            return cursorByte
        }

        /// Keeps the comment lines written just above a document's first node (libyaml drops comments).
        mutating func noteContentStart(_ mark: yaml_mark_t) {
            guard !sawDocumentContent else { return }
            sawDocumentContent = true
            let commentRegionStart = byteOffset(ofCharacter: commentRegionStartCharacter)
            let end = min(byteOffset(ofCharacter: Int(mark.index)), source.count)
            guard commentRegionStart < end else { return }
            let region = UnsafeBufferPointer(rebasing: source[commentRegionStart..<end])
            guard region.contains(UInt8(ascii: "#")) else { return }
            var lines: [String] = []
            for rawLine in region.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
                let line = rawLine.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
                if line.first == UInt8(ascii: "#") {
                    var text = String(decoding: line, as: UTF8.self)
                    while text.hasSuffix(" ") || text.hasSuffix("\r") { text.removeLast() }
                    lines.append(text)
                } else if line.starts(with: "---".utf8) || line.first == UInt8(ascii: "%") {
                    lines.removeAll()
                }
            }
            if !lines.isEmpty { documentHeadComment = lines.joined(separator: "\n") }
        }

        func libyamlError(_ parser: yaml_parser_t) -> Diagnostic {
            let problem = parser.problem.map { String(cString: $0) } ?? "unknown error"
            if parser.error == YAML_READER_ERROR {
                var hexValue = ""
                if parser.problem_value >= 0 {
                    let hex = String(parser.problem_value, radix: 16, uppercase: true)
                    hexValue = " #x" + (hex.count < 2 ? "0" + hex : hex)
                }
                let message: String
                let position: SourceLocation
                if let invalid = firstInvalidUTF8Offset() {
                    // libyaml's offset may point inside the broken sequence; name where that character starts.
                    message = "input is not valid UTF-8 (\(problem)\(hexValue) at byte \(invalid))"
                    position = positionOfByte(invalid)
                } else {
                    let offset = Int(parser.problem_offset)
                    message = "\(problem)\(hexValue) at byte \(offset)"
                    position = positionOfByte(offset)
                }
                return Diagnostic.error(message, at: position)
            }
            var message = problem
            if let context = parser.context {
                let contextLocation = location(parser.context_mark)
                message += " (\(String(cString: context)) at line \(contextLocation.line), column \(contextLocation.column))"
            }
            return Diagnostic.error(message, at: location(parser.problem_mark))
        }

        func firstInvalidUTF8Offset() -> Int? {
            var parser = Unicode.UTF8.ForwardParser()
            var iterator = source.makeIterator()
            var offset = 0
            while true {
                switch parser.parseScalar(from: &iterator) {
                case .valid(let encoded): offset += encoded.count
                case .error: return offset
                case .emptyInput: return nil
                }
            }
        }

        /// libyaml reports reader errors as byte offsets; count lines and characters up to it.
        func positionOfByte(_ offset: Int) -> SourceLocation {
            var line = 1
            var column = 1
            for byte in source.prefix(offset) {
                if byte == UInt8(ascii: "\n") {
                    line += 1; column = 1
                } else if byte & 0xC0 != 0x80 {
                    column += 1
                }
            }
            return SourceLocation(file: file, line: line, column: column)
        }

        static func tagName(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            guard let pointer else { return nil }
            let tag = String(cString: pointer)
            let prefix = "tag:yaml.org,2002:"
            if tag.hasPrefix(prefix) { return "!!" + tag.dropFirst(prefix.count) }
            return tag
        }

        mutating func scalar(_ event: yaml_event_t) throws(Diagnostic) {
            let data = event.data.scalar
            let bytes = UnsafeBufferPointer(start: data.value, count: data.length)
            let tag = Self.tagName(data.tag)
            let style: YAMLScalar.Style
            switch data.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let at = location(event.start_mark)
            var kind = YAMLScalar.Kind.string
            var isMerge = false
            if let tag {
                kind = options.checkCoreTags ? try Self.kind(forTag: tag, bytes: bytes, at: at) : .string
                isMerge = tag == "!!merge"
            } else if style == .plain {
                switch ScalarResolver.resolve(bytes) {
                case .string, .timestamp: kind = .string
                case .null: kind = .null
                case .bool: kind = .bool
                case .int: kind = .int
                case .float: kind = .float
                }
                isMerge = bytes.count == 2 && bytes[0] == UInt8(ascii: "<") && bytes[1] == UInt8(ascii: "<")
            }
            let text = String(decoding: bytes, as: UTF8.self)
            let node = YAMLNode(.scalar(YAMLScalar(text: text, kind: kind, style: style)), tag: tag, location: at)
            physicalNodes += 1
            try attach(node, weight: 1, height: 0, anchor: data.anchor.map { String(cString: $0) }, isMergeKey: isMerge)
        }

        /// An explicit core tag decides the type; its value must fit it, as yaml.v3 demands.
        static func kind(forTag tag: String, bytes: UnsafeBufferPointer<UInt8>, at: SourceLocation) throws(Diagnostic) -> YAMLScalar.Kind {
            let resolved = ScalarResolver.resolve(bytes)
            let expected: YAMLScalar.Kind
            switch tag {
            case "!!int": expected = .int
            case "!!float": expected = .float
            case "!!bool": expected = .bool
            case "!!null": expected = .null
            default: return .string
            }
            let fits: Bool
            switch expected {
            case .int: fits = resolved == .int
            case .float: fits = resolved == .float || resolved == .int
            case .bool: fits = resolved == .bool
            default: fits = resolved == .null
            }
            guard fits else {
                let text = String(decoding: bytes, as: UTF8.self)
                throw Diagnostic.error("cannot decode `\(text)` as a \(tag)", at: at)
            }
            return expected
        }

        mutating func alias(_ event: yaml_event_t) throws(Diagnostic) {
            let name = String(cString: event.data.alias.anchor)
            let at = location(event.start_mark)
            guard let target = anchors[name] else {
                throw Diagnostic.error("unknown anchor '\(name)' referenced", at: at)
            }
            physicalNodes += 1
            expandedNodes += target.weight
            if options.aliasRatioApplies {
                let total = physicalNodes + expandedNodes
                if expandedNodes > 100 && total > 1000 && Double(expandedNodes) / Double(total) > Self.allowedAliasRatio(total) {
                    throw Diagnostic.error(
                        "document contains excessive aliasing: alias '*\(name)' brings the document to \(total) nodes, "
                            + "\(expandedNodes) of them copies made by aliases", at: at)
                }
            }
            // An alias pastes a whole subtree here: chained aliases must not nest deeper than the limit.
            if stack.count + target.height > options.maxDepth {
                throw Diagnostic.error("nesting is deeper than \(options.maxDepth) levels once alias '*\(name)' is expanded", at: at)
            }
            var node = target.node
            node.aliasedFrom = target.node.aliasedFrom ?? target.node.location
            node.location = at
            try attach(node, weight: target.weight, height: target.height, anchor: nil, isMergeKey: false)
        }

        /// yaml.v3 (decode.go, allowedAliasRatio): 99 % of nodes may come from aliases up to 400 000 nodes,
        /// falling linearly to 10 % at 4 000 000.
        static func allowedAliasRatio(_ count: Int) -> Double {
            if count <= 400_000 { return 0.99 }
            if count >= 4_000_000 { return 0.10 }
            return 0.99 - 0.89 * (Double(count - 400_000) / 3_600_000)
        }

        mutating func open(isMapping: Bool, anchor: UnsafeMutablePointer<yaml_char_t>?,
                           tag: UnsafeMutablePointer<yaml_char_t>?, mark: yaml_mark_t, flow: Bool) throws(Diagnostic) {
            let at = location(mark)
            if stack.count >= options.maxDepth {
                throw Diagnostic.error("nesting is deeper than \(options.maxDepth) levels", at: at)
            }
            physicalNodes += 1
            stack.append(Frame(isMapping: isMapping, tag: Self.tagName(tag), anchor: anchor.map { String(cString: $0) },
                               location: at, flowStyle: flow))
        }

        mutating func close() throws(Diagnostic) {
            var frame = stack.removeLast()
            let node: YAMLNode
            if frame.isMapping {
                if frame.hasMergeKey { frame.pairs = try Self.applyMerges(frame.pairs) }
                node = YAMLNode(.mapping(frame.pairs), tag: frame.tag, location: frame.location, flowStyle: frame.flowStyle)
            } else {
                node = YAMLNode(.sequence(frame.items), tag: frame.tag, location: frame.location, flowStyle: frame.flowStyle)
            }
            try attach(node, weight: frame.weight, height: frame.height, anchor: frame.anchor, isMergeKey: false)
        }

        mutating func attach(_ node: YAMLNode, weight: Int, height: Int, anchor: String?, isMergeKey: Bool) throws(Diagnostic) {
            if let anchor { anchors[anchor] = Anchored(node: node, weight: weight, height: height) }
            guard !stack.isEmpty else {
                root = node
                return
            }
            let top = stack.count - 1
            stack[top].weight += weight
            if height + 1 > stack[top].height { stack[top].height = height + 1 }
            if !stack[top].isMapping {
                stack[top].items.append(node)
                return
            }
            // take() moves the key out instead of copying it and then clearing the slot.
            guard let key = stack[top].pendingKey.take() else {
                if isMergeKey { stack[top].hasMergeKey = true }
                if options.rejectDuplicateKeys { try checkDuplicate(key: node, in: top) }
                stack[top].pendingKey = node
                return
            }
            stack[top].pairs.append(YAMLPair(key: key, value: node))
        }

        /// yaml.v3 rejects a mapping that names the same key twice; name both places.
        mutating func checkDuplicate(key: YAMLNode, in index: Int) throws(Diagnostic) {
            guard case .scalar(let scalar) = key.content else { return }
            let text = scalar.text
            if stack[index].keyIndex == nil {
                for pair in stack[index].pairs {
                    if case .scalar(let other) = pair.key.content, other.text == text {
                        throw duplicate(text, first: pair.key.location, second: key.location)
                    }
                }
                // Comparing a key with up to a few dozen earlier ones costs less than hashing them into an
                // index (a rendered node's mapping has about ten keys).
                if stack[index].pairs.count >= Self.linearKeyCheckLimit {
                    var keyIndex: [String: SourceLocation] = [:]
                    for pair in stack[index].pairs {
                        if case .scalar(let other) = pair.key.content {
                            keyIndex[other.text] = pair.key.location ?? stack[index].location
                        }
                    }
                    keyIndex[text] = key.location ?? stack[index].location
                    stack[index].keyIndex = keyIndex
                }
                return
            }
            let here = key.location ?? stack[index].location
            if let first = stack[index].keyIndex?.updateValue(here, forKey: text) {
                throw duplicate(text, first: first, second: key.location)
            }
        }

        /// Keys a mapping may have before duplicates are looked up in a key index instead of by comparison.
        static let linearKeyCheckLimit = 24

        func duplicate(_ text: String, first: SourceLocation?, second: SourceLocation?) -> Diagnostic {
            let firstText = first.map { "line \($0.line), column \($0.column)" } ?? "an earlier line"
            return Diagnostic.error("mapping key \"\(text)\" already defined at \(firstText)", at: second)
        }

        /// `<<: *base` and `<<: [*a, *b]`: keys written in the mapping win, then earlier merge sources win
        /// (yaml.v3's decode.go, merge); merged keys take the place of the `<<` entry.
        static func applyMerges(_ pairs: [YAMLPair]) throws(Diagnostic) -> [YAMLPair] {
            func isMerge(_ key: YAMLNode) -> Bool {
                guard case .scalar(let s) = key.content, s.text == "<<" else { return false }
                return key.tag == "!!merge" || (key.tag == nil && s.style == .plain)
            }
            var taken = Set<String>()
            for pair in pairs where !isMerge(pair.key) {
                if case .scalar(let s) = pair.key.content { taken.insert(s.text) }
            }
            var result: [YAMLPair] = []
            result.reserveCapacity(pairs.count)
            for pair in pairs {
                guard isMerge(pair.key) else {
                    result.append(pair)
                    continue
                }
                let sources: [YAMLNode]
                switch pair.value.content {
                case .mapping: sources = [pair.value]
                case .sequence(let items): sources = items
                case .scalar: sources = [pair.value]
                }
                for source in sources {
                    guard case .mapping(let merged) = source.content else {
                        throw Diagnostic.error("map merge requires a mapping or a sequence of mappings as the value",
                                               at: source.location ?? pair.value.location)
                    }
                    for mergedPair in merged {
                        if case .scalar(let s) = mergedPair.key.content {
                            if taken.contains(s.text) { continue }
                            taken.insert(s.text)
                        }
                        result.append(mergedPair)
                    }
                }
            }
            return result
        }
    }
}
