import FoundationEssentials
import Glibc

/// Standard input, output and error as raw file descriptors, with the two FileHandle calls the commands
/// use (`write`, `readDataToEndOfFile`), so no module needs full Foundation for them.
public struct StandardStream: Sendable {
    public let descriptor: Int32

    public init(descriptor: Int32) { self.descriptor = descriptor }

    public static let standardInput = StandardStream(descriptor: STDIN_FILENO)
    public static let standardOutput = StandardStream(descriptor: STDOUT_FILENO)
    public static let standardError = StandardStream(descriptor: STDERR_FILENO)

    /// Writes all the bytes, retrying short writes and interrupts; stops quietly at an error (a closed pipe),
    /// as a diagnostic has nowhere better to go.
    public func write(_ bytes: some DataProtocol) {
        let contiguous = Array(bytes)
        contiguous.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }

    /// Reads until end of file (or an error other than an interrupt).
    public func readDataToEndOfFile() -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                break
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[..<count])
        }
        return data
    }
}
