// swift-tools-version:6.0
// talos-batch: regenerate a fleet of Talos clusters' machine configs as hashed DAG stages.
import PackageDescription

let package = Package(
    name: "talos-batch",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "talos-batch", targets: ["TalosBatchCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C libraries from the system (Debian -dev packages), found through pkg-config.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Sources/COpenSSL", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // Positions and error reports shared by every parser and stage.
        .target(name: "Diagnostics"),
        // The one SHA-256 entry point: `Digest` (32 bytes inline, hex) and the streaming `SHA256Hasher`.
        .target(name: "Hashing", dependencies: ["COpenSSL"]),
        // Small stand-ins for full Foundation's conveniences (locks, standard streams, printf formatting,
        // trimming, path text): modules use FoundationEssentials only, so the dynamically linked binary
        // does not load libFoundation, libFoundationInternationalization and lib_FoundationICU at start.
        .target(name: "SystemKit"),
        // The one checked way to read an input file: regular files only, within a size limit (no hangs).
        .target(name: "FileAccess"),
        // SQLite action cache, content-addressed blob store, file states and stamps (re-exports Hashing).
        // Knows nothing about Talos.
        .target(name: "Cache", dependencies: ["SystemKit", "Hashing", "FileAccess", "CSQLite", "COpenSSL"]),
        // libyaml parsing with positions; a yaml.v3-faithful emitter.
        .target(name: "YAML", dependencies: ["CYAML", "Diagnostics"]),
        // A Jinja2-compatible template engine.
        .target(name: "Jinja", dependencies: ["SystemKit", "YAML", "FileAccess", "Diagnostics"]),
        // age, SOPS, X.509 and the Talos secrets bundle, over libcrypto.
        .target(name: "Secrets", dependencies: ["SystemKit", "Hashing", "FileAccess", "COpenSSL", "CYAML", "YAML", "Diagnostics"]),
        // Talos machine-config generation and talhelper's talconfig semantics.
        .target(name: "Talos", dependencies: ["SystemKit", "Hashing", "FileAccess", "YAML", "Secrets", "Diagnostics"]),
        // The stages of a cluster's regeneration (validate, render, genconfig, admin certificate, talosconfig),
        // each a `Stage`: a plan of its inputs and a pure run from their bytes. Knows nothing about the cache.
        .target(name: "Stages", dependencies: ["SystemKit", "Hashing", "FileAccess", "YAML", "Jinja", "Secrets", "Talos", "Diagnostics"]),
        // The DAG, scheduling and execution; what each stage may restore from the cache.
        .target(name: "Runner", dependencies: ["SystemKit", "Stages", "Cache", "FileAccess", "Diagnostics"]),
        .executableTarget(
            name: "TalosBatchCLI",
            dependencies: [
                "Runner", "Stages", "Cache", "FileAccess", "SystemKit", "YAML", "Jinja", "Secrets", "Talos", "Diagnostics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/talos-batch"),
        // In-process micro-benchmarks (YAML parsing, template rendering, stages) driven by the scripts in bench/.
        .executableTarget(name: "TalosBatchBench", dependencies: ["YAML", "Jinja", "Cache", "Secrets", "Talos", "Stages", "SystemKit"], path: "bench/swift"),

        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "SystemKitTests", dependencies: ["SystemKit", "TestSupport"]),
        .testTarget(name: "CacheTests", dependencies: ["Cache", "TestSupport"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML", "TestSupport"]),
        .testTarget(name: "JinjaTests", dependencies: ["Jinja", "YAML", "TestSupport"]),
        .testTarget(name: "SecretsTests", dependencies: ["Secrets", "YAML", "TestSupport"]),
        .testTarget(name: "TalosTests", dependencies: ["Talos", "Secrets", "YAML", "TestSupport"]),
        .testTarget(name: "StagesTests", dependencies: ["Stages", "TestSupport"]),
        .testTarget(name: "RunnerTests", dependencies: ["Runner", "Stages", "Cache", "Secrets", "YAML", "TestSupport"]),
        // Run the built talos-batch binary on temporary trees.
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
        // Compare against the real tools (Python Jinja2, sops, age, JSON-schema validator) from the test venv.
        .testTarget(name: "InteropTests", dependencies: ["Jinja", "YAML", "Secrets", "Talos", "TestSupport"]),
    ]
)
