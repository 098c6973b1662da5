// Renders run on a thread of their own with a large stack. Recursion in a render is bounded (by
// the nesting and depth limits), but the bound must not depend on the caller's thread, whose stack
// may be 512 KiB (a secondary thread) or 8 MiB (the main thread).
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum RenderThread {
    /// Runs `body` on a thread with `Limits.renderStackBytes` of stack and waits for it; runs it on the
    /// calling thread if no such thread can be created. Each calling thread keeps one such helper for
    /// its lifetime (a regen renders twice per cluster: creating and unmapping a 512 MiB-stack thread per
    /// render showed in profiles, and its fresh stack pages faulted in every time).
    static func run<T>(_ body: () throws -> T) throws -> T {
        var outcome: Result<T, Error>?
        withoutActuallyEscaping(body) { body in
            let job = Job { outcome = Result { try body() } }
            if !Helper.perform(job) { job.work() }
        }
        return try outcome!.get()
    }

    /// The work handed to the thread; the caller waits for it before reading what it wrote.
    private final class Job: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// A big-stack thread serving one calling thread: the caller hands it a job and sleeps until it is
    /// done, so at most one job is in it at a time. Stopped when the calling thread exits.
    private final class Helper: @unchecked Sendable {  // @unchecked: every field is guarded by `mutex`
        private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        private var job: Job?
        private var finished = false
        private var stopping = false

        /// Runs `job` on the calling thread's helper (made on first use); false when no thread can be made.
        static func perform(_ job: Job) -> Bool {
            guard let key else {
                // No thread-local slot (the process ran out of keys): a helper for this job alone.
                guard let helper = Helper() else { return false }
                defer { helper.stop() }
                return helper.perform(job)
            }
            if let existing = pthread_getspecific(key) {
                return Unmanaged<Helper>.fromOpaque(existing).takeUnretainedValue().perform(job)
            }
            guard let helper = Helper() else { return false }
            // The thread-local slot owns one reference; `key`'s destructor stops the helper and drops it.
            guard pthread_setspecific(key, Unmanaged.passRetained(helper).toOpaque()) == 0 else {
                Unmanaged.passUnretained(helper).release()
                defer { helper.stop() }
                return helper.perform(job)
            }
            return helper.perform(job)
        }

        /// The thread-local slot of each calling thread's helper; nil when no key could be made.
        private static let key: pthread_key_t? = {
            var key = pthread_key_t()
            let created = pthread_key_create(&key) { raw in
                #if canImport(Darwin)
                Unmanaged<Helper>.fromOpaque(raw).takeRetainedValue().stop()
                #else
                if let raw { Unmanaged<Helper>.fromOpaque(raw).takeRetainedValue().stop() }
                #endif
            }
            return created == 0 ? key : nil
        }()

        private init?() {
            pthread_mutex_init(mutex, nil)
            pthread_cond_init(changed, nil)
            var attributes = pthread_attr_t()
            guard pthread_attr_init(&attributes) == 0 else { return nil }
            defer { pthread_attr_destroy(&attributes) }
            guard pthread_attr_setstacksize(&attributes, Limits.renderStackBytes) == 0,
                  pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED)) == 0 else { return nil }
            // The thread owns a reference of its own until its loop ends.
            let argument = Unmanaged.passRetained(self).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t?
            #else
            var thread = pthread_t()
            #endif
            let created = pthread_create(&thread, &attributes, { raw in
                #if canImport(Darwin)
                Unmanaged<Helper>.fromOpaque(raw).takeRetainedValue().serve()
                #else
                Unmanaged<Helper>.fromOpaque(raw!).takeRetainedValue().serve()
                #endif
                return nil
            }, argument)
            guard created == 0 else {
                Unmanaged<Helper>.fromOpaque(argument).release()
                return nil
            }
        }

        deinit {
            pthread_cond_destroy(changed)
            pthread_mutex_destroy(mutex)
            changed.deallocate()
            mutex.deallocate()
        }

        /// Runs `job` on the helper thread and waits for it; false when the helper has stopped.
        func perform(_ job: Job) -> Bool {
            pthread_mutex_lock(mutex)
            defer { pthread_mutex_unlock(mutex) }
            guard !stopping else { return false }
            self.job = job
            finished = false
            pthread_cond_broadcast(changed)
            while !finished { pthread_cond_wait(changed, mutex) }
            return true
        }

        /// Ends the helper thread once it is idle (its caller is gone, so no job can be waiting).
        func stop() {
            pthread_mutex_lock(mutex)
            stopping = true
            pthread_cond_broadcast(changed)
            pthread_mutex_unlock(mutex)
        }

        /// The helper thread's loop: a job at a time until stopped.
        private func serve() {
            pthread_mutex_lock(mutex)
            while true {
                while job == nil && !stopping { pthread_cond_wait(changed, mutex) }
                guard let next = job else { break }
                pthread_mutex_unlock(mutex)
                next.work()
                pthread_mutex_lock(mutex)
                job = nil
                finished = true
                pthread_cond_broadcast(changed)
            }
            pthread_mutex_unlock(mutex)
        }
    }
}
