import FoundationEssentials
import Glibc
import SystemKit

/// Which Kubernetes releases each Talos minor release runs, as Talos's `compatibility` package
/// (`pkg/machinery/compatibility`, `KubernetesVersion.SupportedWith`) enforces it and talhelper's validator
/// applies it to `kubernetesVersion`: the minimum is inclusive, the maximum (`1.N.99`) exclusive, and only
/// MAJOR.MINOR.PATCH is compared (pre-release and build parts are ignored).
///
/// Facts from siderolabs/talos `pkg/machinery/compatibility/talos1*/` (as of ad8823176, August 2026).
public enum KubernetesCompatibility {
    /// Talos minor → (minimum supported Kubernetes minor, maximum supported Kubernetes minor), Kubernetes 1.x.
    static let kubernetesMinors: [Int: (min: Int, max: Int)] = [
        2: (23, 25), 3: (24, 26), 4: (25, 27), 5: (26, 28), 6: (24, 29), 7: (25, 30), 8: (26, 31),
        9: (27, 32), 10: (28, 33), 11: (29, 34), 12: (30, 35), 13: (31, 36), 14: (32, 37), 15: (33, 38),
    ]

    /// A parsed semantic version the tolerant way Talos parses both versions (blang/semver `ParseTolerant`:
    /// surrounding spaces and a leading `v` dropped, a missing minor or patch read as 0, leading zeros dropped).
    struct Version {
        var major: Int, minor: Int, patch: Int
        /// The core plus pre-release and build suffixes as written (Talos prints the whole version).
        var full: String

        init?(tolerant input: String) {
            // Trimmed only when an end can be trimmed (this runs for every talconfig read).
            func isSpace(_ byte: UInt8?) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A }
            let trimmable = isSpace(input.utf8.first) || isSpace(input.utf8.last)
            var text = Substring(trimmable ? input.trimming(TrimmedCharacters(charactersIn: " \t\n")) : input)
            if text.hasPrefix("v") { text = text.dropFirst() }
            let coreEnd = text.firstIndex { $0 == "-" || $0 == "+" } ?? text.endIndex
            let suffix = text[coreEnd...]
            let parts = text[..<coreEnd].split(separator: ".", omittingEmptySubsequences: false)
            guard (1...3).contains(parts.count),
                  parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }),
                  suffix != "-", suffix != "+" else { return nil }
            let numbers = parts.compactMap { Int($0) } + Array(repeating: 0, count: 3 - parts.count)
            guard numbers.count == 3 else { return nil }
            (major, minor, patch) = (numbers[0], numbers[1], numbers[2])
            full = "\(major).\(minor).\(patch)" + suffix
        }
    }

    /// Why `kubernetes` cannot run with Talos `talos`, worded as Talos words it, or nil when it can.
    public static func problem(kubernetes: String, talos: String) -> String? {
        guard let talosVersion = Version(tolerant: talos) else { return "invalid Talos version \"\(talos)\"" }
        guard let kubernetesVersion = Version(tolerant: kubernetes) else {
            return "\"\(kubernetes)\" is not a valid Kubernetes version"
        }
        guard talosVersion.major == 1, let range = kubernetesMinors[talosVersion.minor] else {
            return "compatibility with version \(talosVersion.full) is not supported"
        }
        let core = (kubernetesVersion.major, kubernetesVersion.minor, kubernetesVersion.patch)
        if core < (1, range.min, 0) {
            return "version of Kubernetes \(kubernetesVersion.full) is too old to be used with Talos \(talosVersion.full)"
        }
        if core >= (1, range.max, 99) {
            return "version of Kubernetes \(kubernetesVersion.full) is too new to be used with Talos \(talosVersion.full)"
        }
        return nil
    }

    /// The Kubernetes releases Talos `v1.<minor>` supports, as text (`1.30.0 up to 1.35.x`), for help.
    public static func supportedRange(talosMinor minor: Int) -> String? {
        kubernetesMinors[minor].map { "1.\($0.min).0 to 1.\($0.max).x" }
    }
}
