/// The cache database's tables, as an ordered list of migrations. `PRAGMA user_version` holds how
/// many have been applied; `PRAGMA application_id` marks the file as ours, so a foreign SQLite
/// database is recognized and never altered.
enum CacheSchema {
    /// "TBCH" — talos-batch cache.
    static let applicationID: Int64 = 0x5442_4348

    /// Migration `i` takes the schema from version `i` to `i + 1`. Append only; never edit a shipped one.
    static let migrations: [String] = [
        // 1: action records with their outputs and inputs, hit/miss counters, file states.
        """
        CREATE TABLE actions (
            key BLOB PRIMARY KEY NOT NULL,
            stage TEXT NOT NULL,
            cluster TEXT NOT NULL,
            created REAL NOT NULL,
            last_used REAL NOT NULL,
            duration REAL NOT NULL,
            output_bytes INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX actions_by_stage_cluster ON actions(stage, cluster, created);
        CREATE INDEX actions_by_last_used ON actions(last_used);
        CREATE TABLE action_outputs (
            key BLOB NOT NULL,
            position INTEGER NOT NULL,
            path TEXT NOT NULL,
            digest BLOB NOT NULL,
            mode INTEGER NOT NULL,
            size INTEGER NOT NULL,
            PRIMARY KEY (key, position)
        ) WITHOUT ROWID;
        CREATE INDEX action_outputs_by_digest ON action_outputs(digest);
        CREATE TABLE action_inputs (
            key BLOB NOT NULL,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            digest BLOB NOT NULL,
            PRIMARY KEY (key, position)
        ) WITHOUT ROWID;
        CREATE TABLE counters (
            name TEXT PRIMARY KEY NOT NULL,
            value INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE file_states (
            path TEXT PRIMARY KEY NOT NULL,
            device INTEGER NOT NULL,
            inode INTEGER NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            ctime_ns INTEGER NOT NULL,
            digest BLOB NOT NULL,
            hashed_ns INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        // 2: times as seconds since 2001-01-01 (Foundation's reference date), which a Date
        // round-trips exactly; Unix seconds lost the last bits of fractional times.
        """
        ALTER TABLE actions RENAME COLUMN created TO created_since_2001;
        ALTER TABLE actions RENAME COLUMN last_used TO last_used_since_2001;
        UPDATE actions SET created_since_2001 = created_since_2001 - 978307200,
                           last_used_since_2001 = last_used_since_2001 - 978307200;
        """,
        // 3: every record carries its output count (a deleted output row makes it damaged) and an
        // HMAC under the cache key (see RecordIntegrity). Older records have neither, so they are
        // dropped: the first run after the upgrade is a cold one.
        """
        DELETE FROM actions;
        DELETE FROM action_outputs;
        DELETE FROM action_inputs;
        ALTER TABLE actions ADD COLUMN output_count INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE actions ADD COLUMN mac BLOB;
        """,
    ]

    static var currentVersion: Int64 { Int64(migrations.count) }
}
