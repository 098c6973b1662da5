import Diagnostics
import Testing

@Test func diagnosticPrintsFileLineColumn() {
    let d = Diagnostic.error("expected a string, found a mapping",
                             at: SourceLocation(file: "talenv.yaml", line: 14, column: 17))
    #expect(d.description == "talenv.yaml:14:17: error: expected a string, found a mapping")
}

@Test func diagnosticWithoutLocation() {
    #expect(Diagnostic.warning("no nodes").description == "warning: no nodes")
}

@Test func listKeepsOrderAndFiltersErrors() {
    let list = DiagnosticList([.warning("w"), .error("e1"), .error("e2")])
    #expect(list.errors.map(\.message) == ["e1", "e2"])
    #expect(list.description == "warning: w\nerror: e1\nerror: e2")
}
