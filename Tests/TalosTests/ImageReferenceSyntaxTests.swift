import Foundation
import Testing
import TestSupport
@testable import Talos

/// The byte-level matcher against the regular expression it replaced (distribution/reference's grammar
/// under ICU, as NSRegularExpression runs it): the same verdict on every string tried.
@Suite struct ImageReferenceSyntaxTests {
    static let domain = "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?"
    static let component = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
    static let pattern = "^(?:(\(domain))/)?(\(component)(?:/\(component))*)(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
        + "(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,})?$"

    static func matches(_ oracle: NSRegularExpression, _ text: String) -> Bool {
        oracle.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    static let hex32 = "0123456789abcdef0123456789ABCDEF"

    @Test(arguments: [
        "ghcr.io/siderolabs/installer", "registry.example:5000/talos/installer", "localhost/installer", "siderolabs/installer",
        "ghcr.io/siderolabs/installer:v1.11.5", "ghcr.io/siderolabs/installer@sha256:" + hex32 + hex32, "ghcr.io/SideroLabs/installer",
        "ghcr.io/siderolabs/inst aller", "[::1]:5000/a/b", "[::1]/a", "[]/a", "[g]/a", "a__b/c--d/e.f_g", "a___b", "a._b", "a-/b", "-a",
        "a:", "a:_tag", "a:.tag", "a:" + String(repeating: "t", count: 128), "a:" + String(repeating: "t", count: 129),
        "a@sha256:" + hex32, "a@sha256:" + hex32.dropLast(), "a@sha256+x.y_z-w:" + hex32, "a@1sha:" + hex32, "a@sha-:" + hex32,
        "a:tag@sha256:" + hex32, "host:/a", "host:x/a", "host:5000", "a/b\n", "a/b\r\n", "a/b\n\n", "a/b\r", "a/b\u{0B}", "a/b\u{0C}",
        "a/b\u{85}", "a/b\u{2028}", "a/b\u{2029}", "\n", "", "/", "a//b", "a/", "ä/b", "a/bé", "ex-ample.com/a", "-ex.com/a",
        "ex.-com/a", "a.b.c:1/d:e", "a@b@sha256:" + hex32,
    ])
    func agreesWithTheRegularExpressionOn(reference: String) throws {
        let oracle = try NSRegularExpression(pattern: Self.pattern)
        #expect(ImageReferenceSyntax.matches(reference) == Self.matches(oracle, reference), "\(reference.debugDescription)")
    }

    /// Random strings over the grammar's interesting pieces, seeded so a failure reproduces.
    @Test func agreesWithTheRegularExpressionOnRandomReferences() throws {
        let oracle = try NSRegularExpression(pattern: Self.pattern)
        let pieces = ["a", "z", "0", "9", "A", "Q", "f", ".", "_", "__", "-", "--", "/", ":", "@", "[", "]", "::1", "localhost",
                      "sha256", ":5000", "example.com", "v1.2", "+", " ", "\n", "\r\n", "é", "\u{2028}", Self.hex32, "~"]
        var generator = SeededGenerator(seed: 13)
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...9, using: &generator)
            let text = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            if ImageReferenceSyntax.matches(text) != Self.matches(oracle, text) { disagreements.append(text) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10).map(\.debugDescription))")
    }
}
