import Foundation
import Testing
@testable import Stages

/// `RecentResults` is what lets the stages of one cluster share a parse: a hit must be the same input,
/// a second asker must wait for a computation under way rather than repeat it, and failures are not kept.
@Suite struct RecentResultsTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func increment() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    struct Failure: Error {}

    @Test func askersAtTheSameTimeShareOneComputation() {
        let results = RecentResults<Int>(capacity: 4)
        let computations = Counter()
        let answers = Counter()
        // The first asker's computation stays open until the three others are waiting for it (no sleep:
        // the overlap is made, not hoped for).
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        @Sendable func ask() {
            let value = results.value(for: "ctx", Array("same bytes".utf8)) {
                computations.increment()
                started.signal()
                release.wait()
                return 42
            }
            if value == 42 { answers.increment() }
        }
        // Threads of their own: a dispatch queue may run blocked askers one after another.
        let finished = DispatchSemaphore(value: 0)
        func spawn() { Thread.detachNewThread { ask(); finished.signal() } }
        spawn()
        started.wait()
        for _ in 0..<3 { spawn() }
        results.waitUntilWaiting(3)
        release.signal()
        for _ in 0..<4 { finished.wait() }
        #expect(computations.count == 1)
        #expect(answers.count == 4)
    }

    @Test func otherBytesOrContextAreAnotherEntry() {
        let results = RecentResults<String>(capacity: 4)
        #expect(results.value(for: "a", [1]) { "first" } == "first")
        #expect(results.value(for: "a", [1]) { "again" } == "first")
        #expect(results.value(for: "a", [2]) { "other bytes" } == "other bytes")
        #expect(results.value(for: "b", [1]) { "other context" } == "other context")
    }

    @Test func aFailureIsNotKept() throws {
        let results = RecentResults<Int>(capacity: 4)
        #expect(throws: Failure.self) { try results.value(for: "", [7]) { throw Failure() } }
        #expect(results.value(for: "", [7]) { 7 } == 7)
    }

    @Test func theOldestEntryGoesFirst() {
        let results = RecentResults<Int>(capacity: 2)
        _ = results.value(for: "", [1]) { 1 }
        _ = results.value(for: "", [2]) { 2 }
        _ = results.value(for: "", [3]) { 3 }
        #expect(results.value(for: "", [1]) { -1 } == -1)
        #expect(results.value(for: "", [3]) { -3 } == 3)
    }
}
