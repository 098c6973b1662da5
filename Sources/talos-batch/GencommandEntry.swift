/// One line of `gencommand --format json`, and what `mark-applied --plan` reads back.
struct GencommandEntry: Codable, Equatable {
    /// The cluster id ("101").
    var cluster: String
    /// The node's hostname.
    var node: String
    /// The `--nodes` value.
    var address: String
    /// The `talosctl` subcommand (`apply-config`, `upgrade`, …).
    var command: String
    /// The argument vector, `talosctl` first.
    var argv: [String]
    /// The line as talhelper prints it.
    var line: String
    /// `apply`: the node's config file as the line names it.
    var config: String?
    /// `apply`: the hex SHA-256 of that file when the line was generated (what `mark-applied --plan` records).
    var sha256: String?
}

/// The whole `--format json` document.
struct GencommandDocument: Codable {
    var commands: [GencommandEntry]
}
