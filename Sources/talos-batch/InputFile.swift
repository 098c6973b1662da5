import FileAccess
import FoundationEssentials
import Glibc

/// The bytes of a file a command reads, through the checked reader (issue 19): a FIFO, a device, a link
/// to /dev/zero or a folder is an error naming the file instead of a hang; nil when nothing is there.
func readInputFile(_ path: String) throws -> Data? {
    try RegularFile.readIfPresent(path).map { Data($0) }
}
