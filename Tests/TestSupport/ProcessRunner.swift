import Foundation

/// The outcome of running a command to completion.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data

    public var stdoutString: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrString: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs an executable with arguments, optional stdin and environment overrides; reads both pipes fully.
///
/// Standard output and error are drained on their own threads while standard input is written, so a
/// child that writes a lot before reading all its input can never deadlock against us on a full pipe.
public func runProcess(_ executable: URL, _ arguments: [String], stdin: Data? = nil,
                       environment: [String: String] = [:], currentDirectory: URL? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = inPipe
    try process.run()

    let out = PipeDrain(outPipe.fileHandleForReading)
    let err = PipeDrain(errPipe.fileHandleForReading)
    if let stdin {
        // A child that exits without reading its input closes the pipe; ignore SIGPIPE's EPIPE then.
        signal(SIGPIPE, SIG_IGN)
        try? inPipe.fileHandleForWriting.write(contentsOf: stdin)
    }
    try? inPipe.fileHandleForWriting.close()
    let stdout = out.wait()
    let stderr = err.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeDrain: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()  // written by the reader thread before `done` is signalled, read after

    init(_ handle: FileHandle) {
        let thread = Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
        thread.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

/// Runs several commands at the same time (each on its own thread) and returns their outcomes in order:
/// for concurrency batteries (several `regen`s on one tree).
public func runProcessesTogether(_ commands: [(executable: URL, arguments: [String])], environment: [String: String] = [:],
                                 currentDirectory: URL? = nil) -> [Result<ProcessResult, any Error>] {
    final class Results: @unchecked Sendable {  // each slot written by one thread, read after all finished
        var values: [Result<ProcessResult, any Error>]
        init(count: Int) { values = Array(repeating: .failure(CancellationError()), count: count) }
    }
    let results = Results(count: commands.count)
    DispatchQueue.concurrentPerform(iterations: commands.count) { index in
        let command = commands[index]
        results.values[index] = Result {
            try runProcess(command.executable, command.arguments, environment: environment, currentDirectory: currentDirectory)
        }
    }
    return results.values
}
