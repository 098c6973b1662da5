import Foundation

/// The regular expressions of sops metadata and creation rules, compiled once per pattern: Foundation never
/// frees an NSRegularExpression's compiled pattern (~700 bytes each), and a fleet has one bundle per cluster,
/// nearly all with the same `encrypted_regex`. Bounded, so a fleet of distinct patterns cannot grow it past
/// what compiling each once would cost anyway.
enum SOPSPatterns {
    private static let cache = PatternCache()

    static func compiled(_ pattern: String) throws -> NSRegularExpression {
        if let known = cache.lookup(pattern) { return known }
        let expression = try NSRegularExpression(pattern: pattern)
        cache.store(pattern, expression)
        return expression
    }
}

private final class PatternCache: @unchecked Sendable {  // @unchecked: `compiled` is only touched under `lock`
    private static let limit = 256
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression] = [:]

    func lookup(_ pattern: String) -> NSRegularExpression? { lock.withLock { compiled[pattern] } }

    func store(_ pattern: String, _ expression: NSRegularExpression) {
        lock.withLock { if compiled.count < Self.limit { compiled[pattern] = expression } }
    }
}
