import CYAML
import Diagnostics
import YAML

/// Reads YAML into SOPS trees, keeping comments in order, as sops' YAML store does (libyaml reports no
/// comments, so they are found in the text between consecutive events).
struct SOPSYAMLReader {
    struct Event {
        var type: yaml_event_type_t
        var start: Int
        var end: Int
        var line: Int
        var column: Int
        var endLine: Int
        var value: String = ""
        var style: yaml_scalar_style_t = YAML_ANY_SCALAR_STYLE
        var tag: String?
        var anchor: String?
    }

    struct PendingComment {
        var comment: SOPSComment
        var column: Int
    }

    let bytes: [UInt8]
    let file: String
    private var events: [Event] = []
    private var index = 0
    private var pending: [PendingComment] = []
    private var anchors: [String: SOPSValue] = [:]

    /// Every document of the stream as a branch (an empty document is an empty branch).
    static func read(_ bytes: [UInt8], file: String) throws -> [[SOPSBranchItem]] {
        // sops' own output, read from its bytes; anything else (nil) goes through libyaml below.
        if isPlainBlockYAML(bytes), let documents = SOPSYAMLFastReader.read(bytes, file: file) { return documents }
        return try readWithLibYAML(bytes, file: file)
    }

    /// `read` without the byte-level fast path (the differential tests compare the two).
    static func readWithLibYAML(_ bytes: [UInt8], file: String) throws -> [[SOPSBranchItem]] {
        // The YAML module's parser gives precise syntax and duplicate-key errors, and bounds nesting and
        // alias expansion. A file shaped as sops writes it (no anchors, aliases, tags, directives or flow
        // mappings, shallow indentation) needs it only when something is wrong: then it runs first, as it
        // always did, so every error is the one it gives.
        if isPlainBlockYAML(bytes) {
            var reader = SOPSYAMLReader(bytes: bytes, file: file)
            do {
                try reader.collectEvents()
                return try reader.stream()
            } catch {
                _ = try YAML.parseStream(bytes, file: file)
                if error is DuplicateKey { throw Diagnostic.error("\(file): duplicate mapping key") }
                throw error
            }
        }
        _ = try YAML.parseStream(bytes, file: file)
        var reader = SOPSYAMLReader(bytes: bytes, file: file)
        try reader.collectEvents()
        return try reader.stream()
    }

    /// A key seen twice in one mapping (the YAML module then reports it precisely).
    private struct DuplicateKey: Error {}

    /// No `&`, `*`, `!`, `%`, `{`, no `[` other than sops' `ENC[`, and no line indented 64 columns or more.
    static func isPlainBlockYAML(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isPlainBlockYAML($0) }
    }

    /// The scan by pointer (every decryption asks, over the whole file).
    private static func isPlainBlockYAML(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var indent = 0
        var atLineStart = true
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: "\n"):
                atLineStart = true
                indent = 0
                continue
            case UInt8(ascii: " ") where atLineStart:
                indent += 1
                if indent >= 64 { return false }
                continue
            case UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "%"), UInt8(ascii: "{"):
                return false
            case UInt8(ascii: "["):
                guard index >= 3, bytes[index - 3] == UInt8(ascii: "E"), bytes[index - 2] == UInt8(ascii: "N"),
                      bytes[index - 1] == UInt8(ascii: "C") else { return false }
            default:
                break
            }
            atLineStart = false
        }
        return true
    }

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(file: file, line: line + 1, column: column + 1)
    }

    private mutating func collectEvents() throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw Diagnostic.error("\(file): cannot initialise libyaml") }
        defer { yaml_parser_delete(&parser) }
        try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    let problem = parser.problem.map { String(cString: $0) } ?? "invalid YAML"
                    throw Diagnostic.error(problem, at: location(line: Int(parser.problem_mark.line), column: Int(parser.problem_mark.column)))
                }
                var item = Event(type: event.type, start: Int(event.start_mark.index), end: Int(event.end_mark.index),
                                 line: Int(event.start_mark.line), column: Int(event.start_mark.column),
                                 endLine: Int(event.end_mark.line))
                func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                    pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
                }
                switch event.type {
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    item.value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    item.style = scalar.style
                    item.tag = string(scalar.tag)
                    item.anchor = string(scalar.anchor)
                case YAML_ALIAS_EVENT:
                    item.anchor = string(event.data.alias.anchor)
                case YAML_SEQUENCE_START_EVENT:
                    item.anchor = string(event.data.sequence_start.anchor)
                    item.tag = string(event.data.sequence_start.tag)
                case YAML_MAPPING_START_EVENT:
                    item.anchor = string(event.data.mapping_start.anchor)
                    item.tag = string(event.data.mapping_start.tag)
                default:
                    break
                }
                let done = event.type == YAML_STREAM_END_EVENT
                yaml_event_delete(&event)
                events.append(item)
                if done { break }
            }
        }
    }

    /// The next event, after noting the comments written between it and the previous one.
    private mutating func next() -> Event {
        let event = events[index]
        let gapStart = index > 0 ? events[index - 1].end : 0
        let previousLine = index > 0 && events[index - 1].type == YAML_SCALAR_EVENT ? events[index - 1].endLine : -1
        index += 1
        scanComments(from: gapStart, to: max(gapStart, event.start), previousLine: previousLine)
        return event
    }

    private mutating func scanComments(from start: Int, to end: Int, previousLine: Int) {
        guard start < end, bytes[start..<end].contains(UInt8(ascii: "#")) else { return }
        // Line and column of `start`, counted from the text itself.
        var line = 0, lineStart = 0
        for i in 0..<start where bytes[i] == 10 { line += 1; lineStart = i + 1 }
        var i = start
        while i < end {
            let byte = bytes[i]
            if byte == 10 { line += 1; lineStart = i + 1; i += 1; continue }
            if byte == UInt8(ascii: "#"), i == lineStart || bytes[i - 1] == 32 || bytes[i - 1] == 9 {
                var stop = i
                while stop < bytes.count, bytes[stop] != 10, bytes[stop] != 13 { stop += 1 }
                let text = String(decoding: bytes[(i + 1)..<stop], as: UTF8.self)
                let inline = line == previousLine
                pending.append(PendingComment(comment: SOPSComment(text: text, inline: inline, location: location(line: line, column: i - lineStart)),
                                              column: i - lineStart))
                i = stop
                continue
            }
            i += 1
        }
    }

    private mutating func stream() throws -> [[SOPSBranchItem]] {
        var documents: [[SOPSBranchItem]] = []
        while true {
            let event = next()
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                anchors.removeAll()
                let root = next()
                var items: [SOPSBranchItem]
                switch root.type {
                case YAML_MAPPING_START_EVENT:
                    items = try mapping(root)
                case YAML_SCALAR_EVENT where root.value.isEmpty && root.style == YAML_PLAIN_SCALAR_STYLE:
                    items = []
                default:
                    throw Diagnostic.error("SOPS YAML documents must be mappings", at: location(line: root.line, column: root.column))
                }
                let end = next()   // DOCUMENT_END: comments after the last node belong to the root mapping
                _ = end
                items += pending.map { .comment($0.comment) }
                pending.removeAll()
                documents.append(items)
            default:
                continue
            }
        }
    }

    /// Moves pending comments into a container; at its end only those indented at least as far as its entries.
    private mutating func flush(column: Int?, into append: (SOPSComment) -> Void) {
        guard let column else {
            pending.forEach { append($0.comment) }
            pending.removeAll()
            return
        }
        let (inner, outer) = (pending.filter { $0.column >= column }, pending.filter { $0.column < column })
        inner.forEach { append($0.comment) }
        pending = outer
    }

    private mutating func mapping(_ start: Event) throws -> [SOPSBranchItem] {
        var items: [SOPSBranchItem] = []
        var seenKeys: Set<String> = []
        let column = start.column
        func insert(_ comment: SOPSComment, into items: inout [SOPSBranchItem]) {
            if comment.inline, let last = items.indices.last {
                items.insert(.comment(comment), at: last)
            } else {
                items.append(.comment(comment))
            }
        }
        while true {
            let keyEvent = next()
            if keyEvent.type == YAML_MAPPING_END_EVENT {
                flush(column: column) { insert($0, into: &items) }
                return items
            }
            flush(column: nil) { insert($0, into: &items) }
            let keyLocation = location(line: keyEvent.line, column: keyEvent.column)
            if keyEvent.type == YAML_SCALAR_EVENT, !seenKeys.insert(keyEvent.value).inserted { throw DuplicateKey() }
            let keyValue = try node(keyEvent)
            let key: String
            switch keyValue {
            case .string(let text): key = text
            case .int(let n): key = String(n)
            case .bool(let b): key = b ? "true" : "false"
            case .float, .null, .branch, .list, .bytes, .time:
                throw Diagnostic.error("SOPS supports only string keys", at: keyLocation)
            }
            let valueEvent = next()
            if valueEvent.type == YAML_SCALAR_EVENT || valueEvent.type == YAML_ALIAS_EVENT {
                flush(column: nil) { insert($0, into: &items) }
            }
            let value = try node(valueEvent)
            items.append(.pair(SOPSPair(key: key, value: value, location: location(line: valueEvent.line, column: valueEvent.column),
                                        keyLocation: keyLocation)))
        }
    }

    private mutating func sequence(_ start: Event) throws -> [SOPSListItem] {
        var items: [SOPSListItem] = []
        let column = start.column
        func insert(_ comment: SOPSComment, into items: inout [SOPSListItem]) {
            if comment.inline, let last = items.indices.last {
                items.insert(.comment(comment), at: last)
            } else {
                items.append(.comment(comment))
            }
        }
        while true {
            let event = next()
            if event.type == YAML_SEQUENCE_END_EVENT {
                flush(column: column) { insert($0, into: &items) }
                return items
            }
            flush(column: nil) { insert($0, into: &items) }
            let value = try node(event)
            items.append(.value(value, location(line: event.line, column: event.column)))
        }
    }

    private mutating func node(_ event: Event) throws -> SOPSValue {
        let value: SOPSValue
        switch event.type {
        case YAML_SCALAR_EVENT:
            value = try scalar(event)
        case YAML_ALIAS_EVENT:
            guard let anchor = event.anchor, let target = anchors[anchor] else {
                throw Diagnostic.error("unknown anchor", at: location(line: event.line, column: event.column))
            }
            return target
        case YAML_MAPPING_START_EVENT:
            value = .branch(try mapping(event))
        case YAML_SEQUENCE_START_EVENT:
            value = .list(try sequence(event))
        default:
            throw Diagnostic.error("unexpected YAML structure", at: location(line: event.line, column: event.column))
        }
        if let anchor = event.anchor { anchors[anchor] = value }
        return value
    }

    /// The value yaml.v3 decodes a scalar to when the target is an interface{}.
    private func scalar(_ event: Event) throws -> SOPSValue {
        let text = event.value
        if event.tag == "tag:yaml.org,2002:binary" || event.tag == "!!binary" {
            let compact = text.filter { !$0.isWhitespace }
            guard let bytes = Base64.decode(compact, padded: true) else {
                throw Diagnostic.error("invalid !!binary value", at: location(line: event.line, column: event.column))
            }
            return .string(String(decoding: bytes, as: UTF8.self))
        }
        guard event.style == YAML_PLAIN_SCALAR_STYLE, !text.hasPrefix("ENC[") else { return .string(text) }
        if let tag = event.tag, tag == "tag:yaml.org,2002:str" || tag == "!!str" { return .string(text) }
        if event.tag == nil, let word = Self.plainWordValue(text) { return word }
        return Self.resolvedPlainValue(text, file: file)
    }

    /// What yaml.v3 makes of a plain word (an ASCII letter, then letters, digits, `_` and `-`: nearly every
    /// key and metadata value of a sops file) without parsing it as a document: a bool or null for its exact
    /// spellings, otherwise a string — no number, float or timestamp starts with a letter. nil for other text.
    static func plainWordValue(_ text: String) -> SOPSValue? {
        var utf8 = text.utf8.makeIterator()
        guard let first = utf8.next(), (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z") else { return nil }
        while let byte = utf8.next() {
            let isLetter = (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
            let isDigit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard isLetter || isDigit || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") else { return nil }
        }
        switch text {
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case "null", "Null", "NULL": return .null
        default: return .string(text)
        }
    }

    /// A plain scalar's value by the YAML module's resolution of the text parsed on its own.
    static func resolvedPlainValue(_ text: String, file: String) -> SOPSValue {
        guard let resolved = try? YAML.parseDocument(text, file: file).scalar else { return .string(text) }
        switch resolved.kind {
        case .null: return .null
        case .bool: return .bool(resolved.text.lowercased() == "true")
        case .int:
            if let n = GoNumbers.parseInt(resolved.text) { return .int(n) }
            return .string(text)
        case .float:
            if let f = GoNumbers.parseFloat(resolved.text) { return .float(f) }
            return .string(text)
        case .string:
            return .string(resolved.text)
        }
    }
}
