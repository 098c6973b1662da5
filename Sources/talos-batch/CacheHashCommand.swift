import ArgumentParser
import Cache
import FoundationEssentials
import Glibc
import Runner
import SystemKit

/// `talos-batch cache hash FILE…`: the digests talos-batch uses for input files, from the
/// file-state cache when a file is unchanged.
struct CacheHashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hash",
        abstract: "Print files' SHA-256 digests as talos-batch sees them (sha256sum format).",
        discussion: "Unchanged files are answered from the cache's file-state records without being read." + "\n\n" + helpExamples("talos-batch cache hash talos/clusters/cluster-101/talenv.yaml", "talos-batch cache hash talos/templates/*"))

    @OptionGroup var cache: CacheOptions

    @Argument(help: ArgumentHelp("Files to hash.", valueName: "file"))
    var files: [String]

    func run() throws {
        let directory = try cache.open()
        var failed = false
        for file in files {
            do {
                let digest = try directory.fileStates.digest(ofFileAtPath: file)
                print("\(digest.hex)  \(file)")
            } catch {
                StandardStream.standardError.write(Data("talos-batch: error: \(ErrorMessage.text(error))\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
