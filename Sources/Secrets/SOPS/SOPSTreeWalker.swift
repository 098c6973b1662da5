import Diagnostics
import FoundationEssentials
import Glibc
import SystemKit

/// Which values sops encrypts (suffix and regex rules on every key of the path, comment regexes on the
/// comments above), and the MAC sops computes over the plaintext values in document order.
struct SOPSEncryptionRules {
    var unencryptedSuffix: String?
    var encryptedSuffix: String?
    var unencryptedRegex: GoRegexp?
    var encryptedRegex: GoRegexp?
    var unencryptedCommentRegex: GoRegexp?
    var encryptedCommentRegex: GoRegexp?
    var macOnlyEncrypted = false

    init(metadata: SOPSMetadata, file: String) throws {
        func regex(_ pattern: String?) throws -> GoRegexp? {
            guard let pattern, !pattern.isEmpty else { return nil }
            do { return try SOPSPatterns.compiled(pattern) } catch {
                throw Diagnostic.error("\(file): invalid regular expression in the sops metadata")
            }
        }
        unencryptedSuffix = metadata.unencryptedSuffix.flatMap { $0.isEmpty ? nil : $0 }
        encryptedSuffix = metadata.encryptedSuffix.flatMap { $0.isEmpty ? nil : $0 }
        unencryptedRegex = try regex(metadata.unencryptedRegex)
        encryptedRegex = try regex(metadata.encryptedRegex)
        unencryptedCommentRegex = try regex(metadata.unencryptedCommentRegex)
        encryptedCommentRegex = try regex(metadata.encryptedCommentRegex)
        macOnlyEncrypted = metadata.macOnlyEncrypted
    }

    /// The rules a `.sops.yaml` creation rule sets for encryption.
    init(_ rule: SOPSCreationRule) throws {
        func regex(_ pattern: String?) throws -> GoRegexp? {
            guard let pattern, !pattern.isEmpty else { return nil }
            do { return try SOPSPatterns.compiled(pattern) } catch {
                throw Diagnostic.error("invalid regular expression '\(pattern)' in the creation rule", at: rule.origin)
            }
        }
        unencryptedSuffix = rule.unencryptedSuffix.flatMap { $0.isEmpty ? nil : $0 }
        encryptedSuffix = rule.encryptedSuffix.flatMap { $0.isEmpty ? nil : $0 }
        unencryptedRegex = try regex(rule.unencryptedRegex)
        encryptedRegex = try regex(rule.encryptedRegex)
    }

    private static func matches(_ regex: GoRegexp, _ text: String) -> Bool {
        regex.matches(text)
    }

    /// sops.Tree.shouldBeEncrypted, rule for rule.
    func shouldEncrypt(path: [String], comments: [[String]], isComment: Bool) -> Bool {
        var encrypted = true
        if let suffix = unencryptedSuffix, path.contains(where: { $0.hasSuffix(suffix) }) { encrypted = false }
        if let suffix = encryptedSuffix { encrypted = path.contains { $0.hasSuffix(suffix) } }
        if let regex = unencryptedRegex, path.contains(where: { Self.matches(regex, $0) }) { encrypted = false }
        if let regex = encryptedRegex { encrypted = path.contains { Self.matches(regex, $0) } }
        if let regex = unencryptedCommentRegex, comments.joined().contains(where: { Self.matches(regex, $0) }) {
            encrypted = false
        }
        if let regex = encryptedCommentRegex {
            encrypted = false
            outer: for (i, level) in comments.enumerated() {
                for (j, comment) in level.enumerated() {
                    // The matching comment line itself stays plain; only what follows it is encrypted.
                    if isComment && i == comments.count - 1 && j == level.count - 1 { continue }
                    if Self.matches(regex, comment) { encrypted = true; break outer }
                }
            }
        }
        return encrypted
    }
}

/// A leaf as sops' walk sees it: a scalar or a comment, with the mapping keys above it.
enum SOPSLeaf {
    case value(SOPSValue, SourceLocation?)
    case comment(SOPSComment)
}

/// sops' tree walk: visits every scalar and comment in document order with its key path and the comments
/// seen so far at each level, replacing each with what `transform` returns.
struct SOPSTreeWalker {
    var transform: (SOPSLeaf, [String], [[String]]) throws -> SOPSLeaf

    func walk(_ items: [SOPSBranchItem]) throws -> [SOPSBranchItem] {
        try branch(items, path: [], comments: [])
    }

    private func branch(_ items: [SOPSBranchItem], path: [String], comments: [[String]]) throws -> [SOPSBranchItem] {
        var stack = comments + [[]]
        var out: [SOPSBranchItem] = []
        out.reserveCapacity(items.count)
        for item in items {
            switch item {
            case .comment(let comment):
                stack[stack.count - 1].append(comment.text)
                guard case .comment(let result) = try transform(.comment(comment), path, stack) else { continue }
                out.append(.comment(result))
            case .pair(var pair):
                pair.value = try value(pair.value, path: path + [pair.key], comments: stack, location: pair.location)
                out.append(.pair(pair))
                stack[stack.count - 1] = []
            }
        }
        return out
    }

    private func list(_ items: [SOPSListItem], path: [String], comments: [[String]]) throws -> [SOPSListItem] {
        var stack = comments + [[]]
        var out: [SOPSListItem] = []
        for item in items {
            switch item {
            case .comment(let comment):
                stack[stack.count - 1].append(comment.text)
                guard case .comment(let result) = try transform(.comment(comment), path, stack) else { continue }
                out.append(.comment(result))
            case .value(.branch(let entries), let location):
                out.append(.value(.branch(try branch(entries, path: path, comments: stack)), location))
                stack[stack.count - 1] = []
            case .value(.list(let entries), let location):
                out.append(.value(.list(try list(entries, path: path, comments: stack)), location))
                stack[stack.count - 1] = []
            case .value(.null, let location):
                out.append(.value(.null, location))
                stack[stack.count - 1] = []
            case .value(let v, let location):
                // sops writes a sequence's comments as encrypted items; they decrypt back to comments.
                switch try transform(.value(v, location), path, stack) {
                case .value(let result, _): out.append(.value(result, location))
                case .comment(let comment): out.append(.comment(comment))
                }
                stack[stack.count - 1] = []
            }
        }
        return out
    }

    private func value(_ value: SOPSValue, path: [String], comments: [[String]], location: SourceLocation?) throws -> SOPSValue {
        switch value {
        case .branch(let items): return .branch(try branch(items, path: path, comments: comments))
        case .list(let items): return .list(try list(items, path: path, comments: comments))
        case .null: return .null
        default:
            guard case .value(let result, _) = try transform(.value(value, location), path, comments) else { return value }
            return result
        }
    }
}

extension SOPSValue {
    /// sops.ToBytes: what the MAC hashes for a plaintext value.
    var macBytes: [UInt8] {
        switch self {
        case .string(let s): return Array(s.utf8)
        case .bytes(let bytes): return bytes
        case .time(let text): return Array(text.utf8)
        case .int(let n): return Array(String(n).utf8)
        case .float(let f): return Array(GoNumbers.fixedFloat(f).utf8)
        case .bool(let b): return Array((b ? "True" : "False").utf8)
        default: return []
        }
    }
}
