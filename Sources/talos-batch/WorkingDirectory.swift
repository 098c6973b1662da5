import ArgumentParser
import FoundationEssentials
import Glibc

/// The current folder, from getcwd(2). Run from a folder that was deleted, getcwd fails and Foundation's
/// `currentDirectoryPath` answers "" instead; walking up from a relative "" never reaches "/", so the
/// project-root search spun forever. Every command that looks for the project starts here instead.
enum WorkingDirectory {
    static func url() throws -> URL {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else {
            let reason = String(cString: strerror(errno))
            throw ValidationError("cannot use the current folder (\(reason)): it was probably deleted; "
                                  + "cd into the project, or pass --root and --cache-dir as absolute paths")
        }
        let path = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path, isDirectory: true)
    }
}
