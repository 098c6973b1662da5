import Testing
@testable import Talos

/// talhelper's `filenameTemplate` fields, substituted in one pass (it runs once per node).
@Suite struct OutputFileNameTests {
    let values = ["ClusterName": "home", "Hostname": "cp-1", "IPAddress": "10.0.0.5", "Role": "controlplane"]

    @Test func everyAcceptedSpellingIsReplaced() {
        #expect(TalhelperGenerator.substituteFields(in: "{{ .ClusterName }}-{{ .Hostname }}.yaml", values) == "home-cp-1.yaml")
        #expect(TalhelperGenerator.substituteFields(in: "{{.ClusterName}}_{{ .IPAddress}}_{{.Role }}", values)
                == "home_10.0.0.5_controlplane")
    }

    @Test func anythingElseIsKeptAsWritten() {
        for kept in ["{{  .Hostname }}", "{{ .Unknown }}", "{{ Hostname }}", "{{ .Hostname", "{ .Hostname }", "plain.yaml", "{{", "}}"] {
            #expect(TalhelperGenerator.substituteFields(in: kept, values) == kept, "\(kept)")
        }
        #expect(TalhelperGenerator.substituteFields(in: "a{{ .Role }}{{ .Nope }}b", values) == "acontrolplane{{ .Nope }}b")
    }
}
