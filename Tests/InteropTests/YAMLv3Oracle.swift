import Foundation
import TestSupport
import YAML

/// The real gopkg.in/yaml.v3 (Debian's golang-gopkg-yaml.v3-dev), through the small Go program in
/// Tests/Oracles/yaml-v3, built once per test process.
enum YAMLv3Oracle {
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static let binary: Result<URL, Failure> = {
        let source = TestPaths.packageRoot.appendingPathComponent("Tests/Oracles/yaml-v3")
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("talos-batch-yaml-v3-\(ProcessInfo.processInfo.processIdentifier)")
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("talos-batch-go-cache")
        do {
            let result = try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["go", "build", "-o", output.path, "."],
                                        environment: ["GO111MODULE": "off", "GOPATH": "/usr/share/gocode",
                                                      "GOCACHE": cache.path, "GOFLAGS": ""],
                                        currentDirectory: source)
            guard result.status == 0 else {
                return .failure(Failure(message: "go build failed (apt-get install golang-go golang-gopkg-yaml.v3-dev): \(result.stderrString)"))
            }
            return .success(output)
        } catch {
            return .failure(Failure(message: "cannot run go (apt-get install golang-go golang-gopkg-yaml.v3-dev): \(error)"))
        }
    }()

    /// The documents as one yaml.v3 stream at `indent` (mappings as Go maps: keys in Go map order).
    static func encode(_ documents: [YAMLNode], indent: Int) throws -> String {
        let json = Data(("[" + documents.map(JSONText.of).joined(separator: ",") + "]").utf8)
        let result = try runProcess(try binary.get(), ["encode", String(indent)], stdin: json)
        guard result.status == 0 else { throw Failure(message: "yaml-v3 encode: \(result.stderrString)") }
        return result.stdoutString
    }

    /// yaml.v3's tag for each string written as a plain mapping value (`!!int`, `!!timestamp`, …, or `ERR`).
    static func resolve(_ scalars: [String]) throws -> [String] {
        let json = Data(("[" + scalars.map(JSONText.string).joined(separator: ",") + "]").utf8)
        let result = try runProcess(try binary.get(), ["resolve"], stdin: json)
        guard result.status == 0 else { throw Failure(message: "yaml-v3 resolve: \(result.stderrString)") }
        return try JSONDecoder().decode([String].self, from: result.stdout)
    }
}
