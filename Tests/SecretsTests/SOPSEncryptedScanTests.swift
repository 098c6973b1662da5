// The byte scan that tells a SOPS-encrypted file from a plain one, at its edges.
import Secrets
import Testing

@Suite struct SOPSEncryptedScanTests {
    @Test(arguments: ["sops:\n    mac: ENC[x]\n", "sops:\n    mac: x", "a: 1\r\nsops:\r\n    mac: x\r\n", "sops:  \n\tmac: x\n",
                      "sops:\n\n    # note\n    age: []\n    mac: x\n", "x: 1\nsops: \r\n  lastmodified: y\n  mac: z\n"])
    func encrypted(_ text: String) {
        #expect(SOPSFile.isEncrypted(Array(text.utf8)))
    }

    @Test(arguments: ["", "sops:\n", "sops:\nmac: x\n", "  mac: x\nsops:\n", "sops:x\n    mac: y\n", "sops: {}\n    mac: y\n",
                      "#sops:\n    mac: y\n", "sops:\nb:\n    mac: y\n", "sops:\n    ma: y\n", "sop:\n    mac: y\n", "sops\n  mac: y"])
    func plain(_ text: String) {
        #expect(!SOPSFile.isEncrypted(Array(text.utf8)))
    }
}
