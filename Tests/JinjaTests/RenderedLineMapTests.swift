import Jinja
import Testing

/// `Template.renderTracingLines`: the same bytes as `render`, and each output position mapped to the
/// template line that wrote it.
@Suite struct RenderedLineMapTests {
    static let source = """
    cluster: {{ name }}
    nodes:
    {% for node in nodes -%}
      - hostname: {{ node }}
        patches:
          - "@patches/{{ node }}.yaml"
    {% endfor -%}
    {% set block %}captured
    text{% endset -%}
    {{ block }}
    {% include 'tail.j2' %}
    end

    """

    @Test func everyOutputLineNamesTheTemplateLineThatWroteIt() throws {
        let environment = Environment(loader: DictionaryLoader(["tail.j2": "tail line one\n{{ 'tail two' }}\n"]))
        let template = try environment.template(source: Self.source, name: "talconfig.j2")
        let context: [String: Value] = ["name": "demo", "nodes": .list(["cp-1", "w-1"])]
        let traced = try template.renderTracingLines(context)
        #expect(traced.text == (try template.render(context)))
        let lines = traced.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "cluster: demo")
        func origin(_ line: Int, _ column: Int) -> RenderedLineMap.Origin? { traced.lines.origin(line: line, column: column) }
        #expect(origin(1, 1) == .init(template: "talconfig.j2", line: 1, value: nil))
        #expect(origin(1, 10) == .init(template: "talconfig.j2", line: 1, value: "demo"))
        #expect(origin(2, 1)?.line == 2)
        // Loop bodies: each iteration's lines map to the loop body's lines.
        #expect(lines[2] == "- hostname: cp-1" && origin(3, 1)?.line == 4 && origin(4, 5)?.line == 5)
        #expect(lines[4] == "      - \"@patches/cp-1.yaml\"" && origin(5, 9)?.line == 6)
        #expect(origin(5, 19) == .init(template: "talconfig.j2", line: 6, value: "cp-1"))
        #expect(lines[7] == "      - \"@patches/w-1.yaml\"" && origin(8, 9)?.line == 6)
        // A captured block is written by the expression that prints it.
        #expect(lines[8] == "captured" && origin(9, 1) == .init(template: "talconfig.j2", line: 10, value: "captured\ntext"))
        #expect(origin(10, 1)?.line == 10)
        // An included template's lines name that template.
        let tail = try #require(lines.firstIndex(of: "tail line one"))
        #expect(origin(tail + 1, 1) == .init(template: "tail.j2", line: 1, value: nil))
        #expect(origin(tail + 2, 1) == .init(template: "tail.j2", line: 2, value: "tail two"))
        #expect(origin(tail + 3, 1)?.line == 12)
        #expect(origin(lines.count + 5, 1) == nil)
    }
}
