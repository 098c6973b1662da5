// The regex-free reading of plain ASCII words and digit strings must agree with PyYAML's resolver patterns.
@testable import Jinja
import Testing

@Suite struct PlainScalarKindTests {
    /// Every word and digit string a talenv holds, the bool words in every case, and the edges of the int patterns.
    static let samples: [String] = {
        var samples = ["yes", "Yes", "YES", "yEs", "no", "No", "NO", "nO", "true", "True", "TRUE", "tRUE", "false", "False",
                       "FALSE", "on", "On", "ON", "oN", "off", "Off", "OFF", "oFF", "y", "Y", "n", "N", "t", "f", "o", "yesno",
                       "truee", "nul", "Null", "NULL", "null", "nan", "inf", "NaN", "e", "E", "x", "b", "abc", "Ab",
                       "0", "1", "7", "8", "9", "00", "07", "08", "09", "010", "0777", "0778", "0800", "10", "19", "99",
                       "1500", "9000", "65535", "007", "000", "0000000000008", "12345678901234567890"]
        for first in ["0", "1", "7", "8"] {
            for second in ["0", "1", "7", "8", "9"] {
                for third in ["", "0", "7", "8", "9"] { samples.append(first + second + third) }
            }
        }
        return samples
    }()

    @Test(arguments: samples) func agreesWithThePatterns(_ text: String) throws {
        if let fast = YAMLResolver.plainASCIIKind(text) {
            #expect(fast == YAMLResolver.patternKind(text))
        } else {
            #expect(Bool(false), "\(text) should take the fast path")
        }
        #expect(YAMLResolver.pyyamlKind(text) == YAMLResolver.patternKind(text))
    }

    @Test(arguments: ["1.5", "1e3", "-1", "+1", "0x1f", "0b101", "1_000", "1:30", ".inf", "yes!", "t rue", "é", "١٢", "2024-01-01"])
    func leavesEverythingElseToThePatterns(_ text: String) {
        #expect(YAMLResolver.plainASCIIKind(text) == nil)
        #expect(YAMLResolver.pyyamlKind(text) == YAMLResolver.patternKind(text))
    }

    @Test func readsAsPyYAMLDoes() {
        #expect(YAMLResolver.pyyamlKind("On") == .bool)
        #expect(YAMLResolver.pyyamlKind("oN") == .string)
        #expect(YAMLResolver.pyyamlKind("0777") == .int)
        #expect(YAMLResolver.pyyamlKind("0778") == .string)
        #expect(YAMLResolver.pyyamlKind("1500") == .int)
    }
}
