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
    /// Runs `body` on a new thread with `Limits.renderStackBytes` of stack and waits for it; runs
    /// it on the calling thread if no such thread can be created.
    static func run<T>(_ body: () throws -> T) throws -> T {
        var outcome: Result<T, Error>?
        withoutActuallyEscaping(body) { body in
            let job = Job { outcome = Result { try body() } }
            if !start(job) { job.work() }
        }
        return try outcome!.get()
    }

    /// The work handed to the thread; the caller waits for it before reading what it wrote.
    private final class Job: @unchecked Sendable {
        let work: () -> Void
        init(_ work: @escaping () -> Void) { self.work = work }
    }

    /// Runs `job` on a big-stack thread and joins it; false if the thread could not be made.
    private static func start(_ job: Job) -> Bool {
        var attributes = pthread_attr_t()
        guard pthread_attr_init(&attributes) == 0 else { return false }
        defer { pthread_attr_destroy(&attributes) }
        guard pthread_attr_setstacksize(&attributes, Limits.renderStackBytes) == 0 else { return false }
        let argument = Unmanaged.passRetained(job).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let created = pthread_create(&thread, &attributes, { raw in
            #if canImport(Darwin)
            let job = Unmanaged<Job>.fromOpaque(raw).takeRetainedValue()
            #else
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            #endif
            job.work()
            return nil
        }, argument)
        guard created == 0 else {
            Unmanaged<Job>.fromOpaque(argument).release()
            return false
        }
        #if canImport(Darwin)
        pthread_join(thread!, nil)
        #else
        pthread_join(thread, nil)
        #endif
        return true
    }
}
