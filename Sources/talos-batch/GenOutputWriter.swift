import FoundationEssentials
import Glibc
import Runner
import Talos

/// Writes generated files into an output folder: the folder is created 0700, and the files are written
/// by the one atomic writer (`AtomicFile`: temp files, synced, renamed), so a reader never sees half a file.
/// Everything is generated before this is called, so an error in the inputs writes nothing.
enum GenOutputWriter {
    static func write(_ files: [GeneratedFile], to directory: URL) throws {
        let manager = FileManager.default
        var isDirectory = false
        if manager.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            guard isDirectory else { throw CLIError("\(directory.path) exists and is not a directory") }
        } else {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        do {
            try AtomicFile.write(files.map { file in
                (directory.appendingPathComponent(file.name).path, file.contents, file.mode)
            })
        } catch {
            throw CLIError("cannot write into \(directory.path): \(ErrorMessage.text(error))")
        }
    }
}
