import ArgumentParser
import Cache

/// `talos-batch cache verify`
struct CacheVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-hash every blob, drop corrupt ones and records whose outputs are gone.",
        discussion: "Exits with status 1 when anything was wrong (after repairing what it could).")

    @OptionGroup var cache: CacheOptions

    func run() throws {
        let directory = try cache.open()
        let report = try CacheVerifier.verify(directory)
        for problem in report.databaseProblems {
            print("database: \(problem)")
        }
        for digest in report.corruptBlobs {
            print("corrupt blob \(digest.hex): removed")
        }
        for missing in report.missingOutputs {
            print("missing blob \(missing.digest.hex) for \(missing.path) (stage \(missing.stage), cluster \(missing.cluster)): record removed")
        }
        let records = Set(report.missingOutputs.map(\.record)).count
        print("checked \(report.checkedBlobs) blobs and \(report.checkedRecords) action records: "
              + (report.isClean ? "all good"
                 : "\(report.corruptBlobs.count) corrupt blobs, \(records) records with missing outputs, \(report.databaseProblems.count) database problems"))
        if !report.isClean { throw ExitCode(1) }
    }
}
