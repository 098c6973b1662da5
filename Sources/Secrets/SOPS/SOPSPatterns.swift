import SystemKit

/// The regular expressions of sops metadata and creation rules, compiled once per pattern: a fleet has one
/// bundle per cluster, nearly all with the same `encrypted_regex`, and compiling a pattern costs far more
/// than matching it. Bounded, so a fleet of distinct patterns cannot grow it past what compiling each once
/// would cost anyway.
enum SOPSPatterns {
    private static let cache = PatternCache()

    static func compiled(_ pattern: String) throws -> GoRegexp {
        if let known = cache.lookup(pattern) { return known }
        let expression = try GoRegexp(pattern)
        cache.store(pattern, expression)
        return expression
    }
}

private final class PatternCache: @unchecked Sendable {  // @unchecked: `compiled` is only touched under `lock`
    private static let limit = 256
    private let lock = Lock()
    private var compiled: [String: GoRegexp] = [:]

    func lookup(_ pattern: String) -> GoRegexp? { lock.withLock { compiled[pattern] } }

    func store(_ pattern: String, _ expression: GoRegexp) {
        lock.withLock { if compiled.count < Self.limit { compiled[pattern] = expression } }
    }
}
