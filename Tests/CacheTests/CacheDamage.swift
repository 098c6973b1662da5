import Cache
import Foundation
import Testing
import TestSupport

/// Ways to damage a cache folder from outside, as an attacker or a broken disk would.
enum CacheDamage {
    /// Runs SQL on a cache database with Python's sqlite3 (an independent writer, as an attacker would be).
    static func sql(_ database: URL, _ script: String) throws {
        let result = try runProcess(TestPaths.venvTool("python"),
                                    ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
                                     database.path, script])
        #expect(result.status == 0, "\(result.stderrString)")
    }

    /// Flips one bit of a file at `offset` (negative: from the end).
    static func flip(_ path: String, at offset: Int) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[offset >= 0 ? offset : data.count + offset] ^= 0x01
        try data.write(to: URL(fileURLWithPath: path))
    }

    static func truncate(_ path: String, to fraction: Double) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: path))
    }

    static func files(in folder: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
            .map { folder + "/" + $0 }
    }

    /// Every file under `folder`, recursively, as bytes.
    static func everyFile(under folder: URL) -> [(String, [UInt8])] {
        var result: [(String, [UInt8])] = []
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            result.append((url.path, [UInt8](data)))
        }
        return result
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
