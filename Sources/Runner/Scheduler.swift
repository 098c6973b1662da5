import Dispatch
import FoundationEssentials
import Glibc
import SystemKit

/// Runs the tasks of a DAG on at most `jobs` threads at once, each as soon as its dependencies are done.
///
/// A task reports success or failure; the dependents of a failed task never run. With `failFast`, no new
/// task starts after the first failure. Tasks get a worker slot (0..<jobs) for trace output.
final class Scheduler: @unchecked Sendable {  // @unchecked: all task state is only touched under `lock`
    enum Outcome: Sendable { case succeeded, failed, notRun }

    private let dependents: [[Int]]
    private var waitingOn: [Int]
    private var outcomes: [Outcome?]
    /// Ready tasks, lowest index first (a binary min-heap: the order is deterministic, and taking or adding
    /// one is O(log n) — a sorted array re-sorted on every finish made large runs quadratic).
    private var ready = IndexHeap()
    private var freeSlots: [Int]
    private var stopping = false
    private let failFast: Bool
    /// Set by a signal: no new task starts (running ones finish).
    private let cancellation: RunCancellation?
    private let lock = Lock()
    private let group = DispatchGroup()
    private let queue = DispatchQueue(label: "talos-batch.scheduler", attributes: .concurrent)

    init(dependencies: [[Int]], jobs: Int, failFast: Bool, cancellation: RunCancellation? = nil) {
        var dependents = [[Int]](repeating: [], count: dependencies.count)
        for (task, deps) in dependencies.enumerated() {
            for dep in deps { dependents[dep].append(task) }
        }
        self.dependents = dependents
        self.waitingOn = dependencies.map(\.count)
        self.outcomes = [Outcome?](repeating: nil, count: dependencies.count)
        self.freeSlots = Array((0..<max(1, jobs)).reversed())
        self.failFast = failFast
        self.cancellation = cancellation
    }

    /// Runs every task that can run; `body(task, slot)` returns whether it succeeded. Returns each task's outcome.
    func run(_ body: @escaping @Sendable (_ task: Int, _ slot: Int) -> Bool) -> [Outcome] {
        lock.lock()
        for task in waitingOn.indices where waitingOn[task] == 0 { ready.insert(task) }
        launchReady(body)
        lock.unlock()
        group.wait()
        return outcomes.map { $0 ?? .notRun }
    }

    /// Starts ready tasks while slots are free; called with the lock held.
    private func launchReady(_ body: @escaping @Sendable (Int, Int) -> Bool) {
        while !stopping, cancellation?.isCancelled != true, !ready.isEmpty, let slot = freeSlots.popLast() {
            let task = ready.removeMin()
            group.enter()
            queue.async {
                let ok = body(task, slot)
                self.lock.lock()
                self.finish(task, ok: ok, slot: slot)
                self.launchReady(body)
                self.lock.unlock()
                self.group.leave()
            }
        }
    }

    private func finish(_ task: Int, ok: Bool, slot: Int) {
        outcomes[task] = ok ? .succeeded : .failed
        freeSlots.append(slot)
        if !ok {
            if failFast { stopping = true }
            markNotRun(dependentsOf: task)
            return
        }
        for dependent in dependents[task] where outcomes[dependent] == nil {
            waitingOn[dependent] -= 1
            if waitingOn[dependent] == 0 { ready.insert(dependent) }
        }
    }

    private func markNotRun(dependentsOf task: Int) {
        for dependent in dependents[task] where outcomes[dependent] == nil {
            outcomes[dependent] = .notRun
            markNotRun(dependentsOf: dependent)
        }
    }
}

/// A binary min-heap of task indices.
struct IndexHeap {
    private var items: [Int] = []

    var isEmpty: Bool { items.isEmpty }

    mutating func insert(_ value: Int) {
        items.append(value)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child] < items[parent] else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest index; the heap must not be empty.
    mutating func removeMin() -> Int {
        let minimum = items[0]
        let last = items.removeLast()
        guard !items.isEmpty else { return minimum }
        items[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < items.count && items[left] < items[smallest] { smallest = left }
            if right < items.count && items[right] < items[smallest] { smallest = right }
            if smallest == parent { break }
            items.swapAt(parent, smallest)
            parent = smallest
        }
        return minimum
    }
}
