import Foundation

/// Where tests find the package, the built binary and the Python test oracles.
public enum TestPaths {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `shared/reference/` in the folder that holds the repository (CI lays it there): upstream goldens,
    /// schemas and vectors. Never copied into the repository.
    public static var sharedReference: URL {
        if let env = ProcessInfo.processInfo.environment["TALOS_BATCH_SHARED_REFERENCE"] {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference")
    }

    /// Whether `sharedReference` exists. Tests that read upstream data carry
    /// `.enabled(if: TestPaths.sharedReferenceAvailable)`; the first time this is asked and the folder is
    /// missing, one notice naming it is printed, so a clone without it sees one clear line instead of a
    /// failure per file read, and every other test still runs.
    public static let sharedReferenceAvailable: Bool = {
        var isDirectory: ObjCBool = false
        let path = sharedReference.path
        let available = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
        if !available {
            let notice = "NOTICE: upstream reference data not found at \(path) (set TALOS_BATCH_SHARED_REFERENCE or "
                + "place shared/reference beside the repository); the tests that need it are skipped.\n"
            FileHandle.standardError.write(Data(notice.utf8))
        }
        return available
    }()

    /// `shared/corpus/` (real public talconfigs, schematics, templates), beside the reference.
    public static var sharedCorpus: URL {
        sharedReference.deletingLastPathComponent().appendingPathComponent("corpus")
    }

    /// `sharedReference/<relativePath>`.
    public static func reference(_ relativePath: String) -> URL {
        sharedReference.appendingPathComponent(relativePath)
    }

    /// The test virtualenv made by scripts/test (Python Jinja2, jinja2-cli, sops, jsonschema).
    public static var venv: URL {
        if let env = ProcessInfo.processInfo.environment["TALOS_BATCH_TEST_VENV"] {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.appendingPathComponent(".venv-test")
    }

    public static func venvTool(_ name: String) -> URL {
        venv.appendingPathComponent("bin").appendingPathComponent(name)
    }

    /// The talos-batch binary built alongside the tests.
    public static var binary: URL {
        if let env = ProcessInfo.processInfo.environment["TALOS_BATCH_BIN"] {
            return URL(fileURLWithPath: env)
        }
        // The test bundle lives in the same products folder as the executable.
        let testBundleDir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [testBundleDir, testBundleDir.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()] {
            let candidate = dir.appendingPathComponent("talos-batch")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/talos-batch")
    }
}
