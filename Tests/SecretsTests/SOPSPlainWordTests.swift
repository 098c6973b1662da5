// sops files' plain keys and metadata words are read without a YAML parse per scalar; the result must be
// the one the parse gives.
@testable import Secrets
import Testing

@Suite struct SOPSPlainWordTests {
    static let words = ["cluster", "id", "secret", "certs", "etcd", "crt", "key", "k8s", "k8saggregator", "os", "sops", "age",
                        "recipient", "enc", "lastmodified", "mac", "unencrypted_suffix", "version", "trustdinfo", "token",
                        "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "fALSE", "null", "Null", "NULL", "nULL",
                        "yes", "Yes", "no", "No", "on", "off", "y", "n", "t", "f", "o", "e1", "e", "E5", "x-y", "a_b", "a-",
                        "inf", "nan", "Infinity", "NaN", "bootstraptoken", "secretboxencryptionsecret", "k8sserviceaccount"]

    @Test(arguments: words) func readsAWordAsItsParseDoes(_ text: String) throws {
        let fast = try #require(SOPSYAMLReader.plainWordValue(text))
        #expect(fast == SOPSYAMLReader.resolvedPlainValue(text, file: "f.yaml"))
    }

    @Test(arguments: ["", "1", "0x10", "1.5", ".inf", "-", "---", "~", "_a", "a b", "a:b", "a#b", "a.b", "é", "2024-01-01", "-1", "+1"])
    func leavesOtherTextToTheParse(_ text: String) {
        #expect(SOPSYAMLReader.plainWordValue(text) == nil)
    }
}
