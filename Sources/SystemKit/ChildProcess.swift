import Glibc

/// Runs a program and collects its standard output, with standard input from /dev/null and standard
/// error passed through: the one use the code had for Foundation's Process, on posix_spawn.
public enum ChildProcess {
    public struct Result: Sendable {
        public var output: [UInt8]
        /// The exit status, or the signal number when `exited` is false (as Process reports them).
        public var status: Int32
        public var exited: Bool
    }

    public struct SpawnError: Error, CustomStringConvertible, Sendable {
        public let code: Int32
        public var description: String { String(cString: strerror(code)) }
    }

    /// Runs `executable` (an absolute path) with `arguments` (argv[1...]) in this process's environment.
    public static func run(_ executable: String, arguments: [String]) throws -> Result {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw SpawnError(code: errno) }
        // Close-on-exec for both ends: the child gets the write end only as its standard output.
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        defer { close(pipeEnds[0]) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], STDOUT_FILENO)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        close(pipeEnds[1])
        guard spawned == 0 else { throw SpawnError(code: spawned) }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output += buffer[..<count]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS / WTERMSIG are C macros Swift does not import.
        let signal = status & 0x7f
        return signal == 0 ? Result(output: output, status: (status >> 8) & 0xff, exited: true)
                           : Result(output: output, status: signal, exited: false)
    }
}
