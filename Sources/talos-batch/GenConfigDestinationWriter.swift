import FoundationEssentials
import Glibc
import Runner
import SystemKit
import Talos

/// Writes `gen config`'s files where talosctl would put them, but safer: every destination is checked before
/// anything is written (an existing file without `--force` is an error naming it, and nothing is written),
/// files are 0600 and written atomically. "Created PATH" goes to standard error, as talosctl says it.
enum GenConfigDestinationWriter {
    /// `companions` (the fresh secrets bundle) go into the folder, or beside the one file; standard output
    /// takes the asked type alone.
    static func write(_ files: [GeneratedFile], to destination: TalosctlGenConfigCommand.Destination, force: Bool,
                      companions: [GeneratedFile] = []) throws {
        switch destination {
        case .standardOutput:
            for file in files { StandardStream.standardOutput.write(Data(file.contents)) }
        case .folder(let folder):
            let all = files + companions
            let paths = all.map { folder.appendingPathComponent($0.name).path }
            try refuseExisting(paths, force: force)
            try GenOutputWriter.write(all, to: folder)
            for path in paths { StandardStream.standardError.write(Data("Created \(path)\n".utf8)) }
        case .file(let url):
            guard let file = files.first, files.count == 1 else { return }
            let parent = url.deletingLastPathComponent()
            try refuseExisting([url.path] + companions.map { parent.appendingPathComponent($0.name).path }, force: force)
            if !FileManager.default.fileExists(atPath: parent.path) {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            do {
                try AtomicFile.write(file.contents, to: url.path, mode: file.mode)
            } catch {
                throw CLIError("cannot write \(url.path): \(ErrorMessage.text(error))")
            }
            if !companions.isEmpty {
                try GenOutputWriter.write(companions, to: parent)
                for companion in companions {
                    StandardStream.standardError.write(Data("Created \(parent.appendingPathComponent(companion.name).path)\n".utf8))
                }
            }
            StandardStream.standardError.write(Data("Created \(url.path)\n".utf8))
        }
    }

    /// talosctl refuses to overwrite without --force; so do we, but for every file before writing any.
    static func refuseExisting(_ paths: [String], force: Bool) throws {
        for path in paths {
            var isDirectory = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            if isDirectory { throw CLIError("\(path) is a folder; -o names a file when one output type is asked for") }
            if !force { throw CLIError("\(path) already exists; pass --force to overwrite it (nothing was written)") }
        }
    }
}
