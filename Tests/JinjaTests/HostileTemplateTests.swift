// Templates built to crash or hang an engine: self-containing values, very deep nesting, looping
// inheritance. Each must end as Python's output or as a clear error with a position.
import Jinja
import Testing

@Suite struct HostileTemplateTests {
    func render(_ source: String, options: RenderOptions = RenderOptions(), loader: TemplateLoader? = nil) throws -> String {
        try Environment(options: options, loader: loader).template(source: source, name: "t.j2").render([:])
    }

    @Test func selfContainingValuesPrintLikePython() throws {
        #expect(try render("{% set l = [] %}{% set _ = l.append(l) %}{{ l }} {{ l|string }} {{ l == l }} {{ [l] == [l] }}")
                == "[[...]] [[...]] True True")
        #expect(try render("{% set d = {} %}{% set _ = d.update({'a': d, 'b': [d]}) %}{{ d }}") == "{'a': {...}, 'b': [{...}]}")
        #expect(try render("{% set l = [] %}{% set _ = l.append(l) %}{{ l|pprint }}") == "[<Recursion on list with id=0>]")
        #expect(try render("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}") == "<Namespace {'me': <Namespace {...}>}>")
        let json = try #require(throws: TemplateError.self) { try render("{% set l = [] %}{% set _ = l.append(l) %}{{ l|tojson }}") }
        #expect(json.message == "Circular reference detected")
        #expect(json.position != nil)
        // Two distinct lists holding themselves never end comparing in Python either (RecursionError).
        let compare = try #require(throws: TemplateError.self) {
            try render("{% set a = [] %}{% set b = [] %}{% set _ = a.append(a) %}{% set _ = b.append(b) %}{{ a == b }}")
        }
        #expect(compare.kind == .limit)
    }

    @Test func deepNestingBuiltInALoopIsNoCrash() throws {
        func build(_ depth: Int) -> String {
            "{% set ns = namespace(l=[], d={}, t=()) %}{% for i in range(\(depth)) %}{% set ns.l = [ns.l] %}"
                + "{% set ns.d = {'k': ns.d} %}{% set ns.t = (ns.t,) %}{% endfor %}"
        }
        #expect(try render(build(100_000) + "{{ ns.t == ns.t }} {{ ns.l|length }}") == "True 1")
        for use in ["{{ ns.l }}", "{{ ns.d|tojson }}", "{{ ns.t|pprint }}", "{{ ns.l == [ns.l] }}"] {
            let error = try #require(throws: TemplateError.self) { try render(build(10_050) + use) }
            #expect(error.kind == .limit, "\(use)")
            #expect(error.message.contains("nested deeper than"))
            #expect(error.position?.line == 1)
        }
    }

    @Test func inheritanceLoopsFailAtOnce() throws {
        let loader = DictionaryLoader(["self.j2": "{% extends 'self.j2' %}", "a.j2": "{% extends 'b.j2' %}", "b.j2": "{% extends 'a.j2' %}"])
        for root in ["self.j2", "a.j2"] {
            let error = try #require(throws: TemplateError.self) {
                try Environment(loader: loader).template(named: root).render([:])
            }
            #expect(error.message.hasPrefix("template inheritance loops: "))
            #expect(error.position == Position(line: 1, column: 4))
        }
    }

    @Test func valuesDoublingInALoopStopAtTheLimit() throws {
        let cases = [
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
            "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
            "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set _ = ns.l.extend(ns.l) %}{% endfor %}",
            "{{ ('x' * 1000) * 1000000 }}",
            "{{ ('x' * 100000).replace('x', 'y' * 10000) }}",
        ]
        for source in cases {
            let error = try #require(throws: TemplateError.self) { try render(source) }
            #expect(error.kind == .limit, "\(source)")
            #expect(error.position != nil, "\(source)")
        }
    }

    @Test func limitErrorsCarryThePosition() throws {
        var options = RenderOptions()
        options.maxDepth = 20
        options.maxOutputBytes = 1000
        options.maxSteps = 5000
        let cases = [
            ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}", "recursion depth"),
            ("\n{% for i in range(1000) %}xxxxxxxxxx{% endfor %}", "output exceeds"),
            ("\n{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}", "work limit"),
        ]
        for (source, words) in cases {
            let error = try #require(throws: TemplateError.self) { try render(source, options: options) }
            #expect(error.kind == .limit)
            #expect(error.message.contains(words), "\(error.message)")
            #expect(error.position != nil, "\(source)")
        }
    }
}
