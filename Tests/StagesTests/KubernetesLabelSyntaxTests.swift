import Testing
@testable import Stages

/// Label keys and taints are split by bytes when ASCII and by characters otherwise, with the same answers.
@Suite struct KubernetesLabelSyntaxTests {
    @Test(arguments: [
        ("topology.kubernetes.io/zone", nil),
        ("zone", nil),
        ("a/b/c", "a key has at most one `/` (prefix/name)"),
        ("/zone", "the prefix before `/` must be a DNS subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters)"),
        ("Example.com/zone", "the prefix before `/` must be a DNS subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters)"),
        ("example..com/zone", "the prefix before `/` must be a DNS subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters)"),
        ("example.com/", "the name part is empty"),
        ("example.com/-zone", "the name part must be letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"),
        ("example.com/" + String(repeating: "z", count: 64), "the name part has more than 63 characters"),
        // "/" and a combining mark are one character: no prefix, and the whole key is the (invalid) name.
        ("a/\u{301}b", "the name part must be letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit"),
        ("é/zone", "the prefix before `/` must be a DNS subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters)"),
    ] as [(String, String?)])
    func keys(_ key: String, _ problem: String?) {
        #expect(KubernetesLabelSyntax.problem(withKey: key) == problem)
    }

    @Test func taints() {
        #expect(KubernetesLabelSyntax.problem(withTaint: ":NoSchedule") == nil)
        #expect(KubernetesLabelSyntax.problem(withTaint: "gpu:NoExecute") == nil)
        #expect(KubernetesLabelSyntax.problem(withTaint: "a:b:NoExecute") != nil)
        #expect(KubernetesLabelSyntax.problem(withTaint: "NoSchedule")?.hasPrefix("expected `value:Effect`") == true)
        #expect(KubernetesLabelSyntax.problem(withTaint: "x:Never") == "unknown taint effect \"Never\"; expected one of NoSchedule, PreferNoSchedule, NoExecute")
        #expect(KubernetesLabelSyntax.problem(withTaint: "é:NoSchedule") != nil)
    }
}
