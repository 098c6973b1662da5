/// Decides which lines of a config diff may not be shown. A line is secret when its YAML key is one Talos
/// machine configs, talosconfig or talhelper's secrets use for key material (whatever its value), or when
/// it contains any value of the cluster's decrypted secrets bundle (however it got there: patches,
/// templates, extra manifests). Such a line is printed as its key and `<redacted: changed>` or
/// `<redacted: unchanged>`, never its value.
struct SecretLineRedactor {
    /// Key names whose values are secret in Talos configs, talosconfig and talsecret files.
    static let secretKeys: Set<String> = [
        "crt", "key", "ca", "token", "secret", "id", "bootstraptoken", "secretboxencryptionsecret",
        "aescbcencryptionsecret", "trustdinfo", "password", "privatekey", "private_key", "client-certificate-data",
        "client-key-data", "certificate-authority-data", "acceptedcas",
    ]
    /// Bundle values shorter than this are not looked for inside lines (a 4-character value would redact
    /// half the file); the key list covers where such values go.
    static let shortestSearchedValue = 8

    let values: [String]

    init(bundleValues: some Sequence<String>) {
        values = Set(bundleValues.filter { $0.count >= Self.shortestSearchedValue }).sorted()
    }

    func isSecret(_ line: Substring) -> Bool {
        if let key = Self.key(of: line), Self.secretKeys.contains(key.name.lowercased()) { return true }
        return values.contains { line.contains($0) }
    }

    /// The line as printed: unchanged unless secret; a secret line keeps its indentation and key.
    func shown(_ line: Substring, changed: Bool) -> String {
        guard isSecret(line) else { return String(line) }
        let marker = changed ? "<redacted: changed>" : "<redacted: unchanged>"
        if let key = Self.key(of: line), !values.contains(where: { key.prefix.contains($0) }) {
            return key.prefix + " " + marker
        }
        return String(line.prefix { $0 == " " }) + marker
    }

    /// `  - name: value` → ("  - name:", "name"); nil for a line that is not a `key:` line.
    static func key(of line: Substring) -> (prefix: String, name: String)? {
        var rest = line.drop { $0 == " " }
        while rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop { $0 == " " } }
        var name = rest.prefix { $0 != ":" }
        guard name.count < rest.count, !name.isEmpty, !name.contains(" ") || name.first == "\"" else { return nil }
        let afterColon = rest.dropFirst(name.count + 1)
        guard afterColon.isEmpty || afterColon.first == " " else { return nil }
        let prefixEnd = line.index(line.startIndex, offsetBy: line.count - afterColon.count)
        name = name.trimmingCharacters(in: ["\"", "'"])
        return (String(line[..<prefixEnd]), String(name))
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> Substring {
        var result = self
        while let first = result.first, set.contains(first) { result = result.dropFirst() }
        while let last = result.last, set.contains(last) { result = result.dropLast() }
        return result
    }
}
