import Cache
import Foundation

/// Collects cache warnings so tests can assert on them.
final class Warnings: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []

    var handler: CacheWarningHandler { { message in self.lock.withLock { self.collected.append(message) } } }
    var messages: [String] { lock.withLock { collected } }
}
