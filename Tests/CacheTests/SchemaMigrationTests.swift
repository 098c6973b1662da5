import Cache
import Foundation
import Testing
import TestSupport

@Suite struct SchemaMigrationTests {
    /// A cache database as the first talos-batch schema (version 1) wrote it: Unix-second times.
    static let version1 = """
        PRAGMA application_id = 1413628744;
        CREATE TABLE actions (key BLOB PRIMARY KEY NOT NULL, stage TEXT NOT NULL, cluster TEXT NOT NULL,
            created REAL NOT NULL, last_used REAL NOT NULL, duration REAL NOT NULL, output_bytes INTEGER NOT NULL) WITHOUT ROWID;
        CREATE INDEX actions_by_stage_cluster ON actions(stage, cluster, created);
        CREATE INDEX actions_by_last_used ON actions(last_used);
        CREATE TABLE action_outputs (key BLOB NOT NULL, position INTEGER NOT NULL, path TEXT NOT NULL, digest BLOB NOT NULL,
            mode INTEGER NOT NULL, size INTEGER NOT NULL, PRIMARY KEY (key, position)) WITHOUT ROWID;
        CREATE INDEX action_outputs_by_digest ON action_outputs(digest);
        CREATE TABLE action_inputs (key BLOB NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, digest BLOB NOT NULL,
            PRIMARY KEY (key, position)) WITHOUT ROWID;
        CREATE TABLE counters (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE file_states (path TEXT PRIMARY KEY NOT NULL, device INTEGER NOT NULL, inode INTEGER NOT NULL,
            size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, digest BLOB NOT NULL,
            hashed_ns INTEGER NOT NULL) WITHOUT ROWID;
        INSERT INTO actions VALUES (X'\(Digest.of("k").hex)', 'render', 'home', 1700000000.0, 1700000500.0, 0.5, 12);
        INSERT INTO action_outputs VALUES (X'\(Digest.of("k").hex)', 0, 'talconfig.yaml', X'\(Digest.of("o").hex)', 420, 12);
        INSERT INTO counters VALUES ('hits', 7);
        PRAGMA user_version = 1;
        """

    /// Migrated step by step to the current schema; version 3 drops the records (they carry no output
    /// count nor integrity code), so the first run after the upgrade is cold. Counters stay.
    @Test func version1DatabaseIsMigratedInPlace() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("cache.db")
        let made = try runProcess(TestPaths.venvTool("python"),
                                  ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()",
                                   path.path, Self.version1])
        #expect(made.status == 0, "\(made.stderrString)")

        let warnings = Warnings()
        let cache = try ActionCache(path: path, warn: warnings.handler)
        #expect(warnings.messages.isEmpty)
        #expect(cache.database.movedAsideTo == nil)
        #expect(try cache.lookup(Digest.of("k")) == nil)
        #expect(try cache.statistics().records == 0)
        #expect(try cache.statistics().hits == 7)
        #expect(try cache.database.integrityProblems().isEmpty)
    }

    @Test func fractionalTimesRoundTripExactly() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let cache = try ActionCache(path: directory.url.appendingPathComponent("cache.db"), warn: CacheWarning.ignore)
        for index in 0..<50 {
            let when = Date(timeIntervalSinceReferenceDate: 800_000_000 + Double(index) * 0.123_456_789)
            let record = ActionRecord(key: Digest.of("\(index)"), stage: "s", cluster: "c", outputs: [], inputs: [],
                                      created: when, lastUsed: when, duration: 0.001 * Double(index))
            try cache.record(record)
            #expect(try cache.lookup(record.key) == record)
        }
    }
}
