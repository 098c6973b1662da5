import Diagnostics
import Foundation

/// Writes secret files atomically (temp file, fsync, rename) with mode 0600; a missing parent directory is
/// created 0700. On failure the destination is untouched and the temp file removed.
public enum SecretFileWriter {
    public static func write(_ bytes: [UInt8], to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: directory.path) {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw Diagnostic.error("\(directory.path): cannot create directory")
            }
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString)")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw Diagnostic.error("\(url.path): cannot create a temporary file beside it") }
        var ok = true
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { ok = false; return }
                offset += written
            }
        }
        ok = ok && fchmod(fd, 0o600) == 0 && fsync(fd) == 0
        ok = close(fd) == 0 && ok
        guard ok, rename(temporary.path, url.path) == 0 else {
            unlink(temporary.path)
            throw Diagnostic.error("\(url.path): writing failed")
        }
    }
}
