import Dispatch
import Foundation
import Testing
@testable import Runner

@Suite struct SchedulerTests {
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var order: [Int] = []
        var running = 0
        var maxRunning = 0
        func start(_ task: Int) { lock.withLock { order.append(task); running += 1; maxRunning = max(maxRunning, running) } }
        func end() { lock.withLock { running -= 1 } }
    }

    @Test func runsDependenciesFirstAndRespectsTheJobLimit() {
        // Two chains 0→1→2 and 3→4→5, plus 6 after 2 and 5.
        let deps: [[Int]] = [[], [0], [1], [], [3], [4], [2, 5]]
        let log = Log()
        // The two chains' first tasks meet: each waits until the other has started, which only a scheduler
        // running two tasks at once allows (a serial one would time out here and fail).
        let started = (first: DispatchSemaphore(value: 0), second: DispatchSemaphore(value: 0))
        let met = Log()
        let outcomes = Scheduler(dependencies: deps, jobs: 2, failFast: false).run { task, slot in
            log.start(task)
            #expect((0..<2).contains(slot))
            if task == 0 || task == 3 {
                (task == 0 ? started.first : started.second).signal()
                if (task == 0 ? started.second : started.first).wait(timeout: .now() + 60) == .success {
                    met.start(task)
                }
            }
            log.end()
            return true
        }
        #expect(outcomes.allSatisfy { $0 == .succeeded })
        #expect(met.order.sorted() == [0, 3])
        #expect(log.maxRunning == 2)
        for (task, taskDeps) in deps.enumerated() {
            for dep in taskDeps {
                #expect(log.order.firstIndex(of: dep)! < log.order.firstIndex(of: task)!)
            }
        }
    }

    @Test func aFailureSkipsOnlyItsDependents() {
        let deps: [[Int]] = [[], [0], [1], [], [3]]
        let outcomes = Scheduler(dependencies: deps, jobs: 3, failFast: false).run { task, _ in task != 0 }
        #expect(outcomes[0] == .failed)
        #expect(outcomes[1] == .notRun)
        #expect(outcomes[2] == .notRun)
        #expect(outcomes[3] == .succeeded)
        #expect(outcomes[4] == .succeeded)
    }

    @Test func failFastStartsNothingAfterAFailure() {
        let deps: [[Int]] = (0..<20).map { _ in [] }
        let log = Log()
        let outcomes = Scheduler(dependencies: deps, jobs: 1, failFast: true).run { task, _ in
            log.start(task)
            log.end()
            return task != 2
        }
        #expect(log.order == [0, 1, 2])
        #expect(outcomes[2] == .failed)
        #expect(outcomes[3...].allSatisfy { $0 == .notRun })
    }
}
