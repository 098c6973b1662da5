import Foundation
import Talos

/// Writes generated files into an output folder: the folder is created 0700, each file goes to a
/// temporary name, is synced and renamed into place, so a reader never sees half a file.
/// Everything is generated before this is called, so an error in the inputs writes nothing.
enum GenOutputWriter {
    static func write(_ files: [GeneratedFile], to directory: URL) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError("\(directory.path) exists and is not a directory") }
        } else {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        for file in files {
            let target = directory.appendingPathComponent(file.name)
            let temporary = directory.appendingPathComponent(".\(file.name).tmp-\(getpid())")
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(file.mode))
            guard descriptor >= 0 else { throw CLIError("cannot write \(temporary.path): \(String(cString: strerror(errno)))") }
            var ok = fchmod(descriptor, mode_t(file.mode)) == 0
            ok = ok && file.contents.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written <= 0 { return false }
                    offset += written
                }
                return true
            }
            ok = ok && fsync(descriptor) == 0
            close(descriptor)
            guard ok, rename(temporary.path, target.path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary.path)
                throw CLIError("cannot write \(target.path): \(reason)")
            }
        }
    }
}
