import Diagnostics
@testable import Secrets
import Testing

/// The pieces of sops' stores that are pure functions: Shamir over GF(2^8), Go's JSON float spelling,
/// the --extract path syntax, flattened metadata keys.
@Suite struct SOPSStoreUnitTests {
    @Test func shamirAnyThresholdSubsetRebuildsTheSecret() throws {
        let secret = (0..<32).map { UInt8($0 * 7 + 3) }
        let shares = try ShamirSecretSharing.split(secret, parts: 4, threshold: 3)
        #expect(shares.count == 4 && shares.allSatisfy { $0.count == 33 })
        for subset in [[0, 1, 2], [1, 2, 3], [0, 2, 3], [0, 1, 2, 3]] {
            #expect(try ShamirSecretSharing.combine(subset.map { shares[$0] }) == secret)
        }
        // Two shares of a threshold-3 split give some other bytes, not the secret.
        #expect(try ShamirSecretSharing.combine([shares[0], shares[1]]) != secret)
        #expect(throws: ShamirSecretSharing.Failure.duplicatePart) { try ShamirSecretSharing.combine([shares[0], shares[0]]) }
        // AES's field: 0x57 · 0x83 = 0xC1 (FIPS-197's worked example), and inverses multiply to 1.
        #expect(ShamirSecretSharing.multiply(0x57, 0x83) == 0xC1)
        for a in 1...255 { #expect(ShamirSecretSharing.multiply(UInt8(a), ShamirSecretSharing.inverse(UInt8(a))) == 1) }
    }

    @Test func jsonFloatsAreSpelledAsGoSpellsThem() {
        let cases: [(Double, String)] = [(5, "5"), (1.5, "1.5"), (1e21, "1e+21"), (1e-7, "1e-7"), (0.000001, "0.000001"),
                                         (12345678901234567168, "12345678901234567000"), (-0.0001, "-0.0001"), (1e20, "100000000000000000000")]
        for (value, text) in cases { #expect(SOPSJSONWriter.float(value) == text) }
        #expect(SOPSJSONWriter.quoted("a<b>&\"\\\n\u{1}\u{2028}é") == #""a\u003cb\u003e\u0026\"\\\n\u0001\u2028é""#)
    }

    @Test func extractPathsParseAsSopsParsesThem() throws {
        let path = try SOPSTreePath(parsing: #"["a"]['b'][0]"#)
        #expect(path.steps.count == 3)
        #expect(throws: Diagnostic.self) { try SOPSTreePath(parsing: "[x]") }
        #expect(throws: Diagnostic.self) { try SOPSTreePath(parsing: "a.b") }
    }

    @Test func flattenedMetadataKeysBuildTheTree() throws {
        let pairs = [("age__list_1__map_recipient", "r2"), ("age__list_0__map_recipient", "r1"), ("mac", "m")]
            .map { SOPSPair(key: $0.0, value: .string($0.1), location: nil) }
        let tree = try SOPSFlatMetadata.unflatten(pairs, file: "f")
        guard case .list(let entries)? = tree["age"] else { Issue.record("no age list"); return }
        let recipients = entries.compactMap { item -> String? in
            if case .value(let value, _) = item, case .string(let text)? = value["recipient"] { return text }
            return nil
        }
        #expect(recipients == ["r1", "r2"])
        #expect(tree["mac"] == .string("m"))
    }
}
