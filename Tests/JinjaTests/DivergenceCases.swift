// Differential cases for the divergences an adversarial corpus found (issue 15): each is rendered by
// Python Jinja2 and by the Swift engine and must agree byte for byte, or both fail.

private func C(_ template: String, _ data: String = "{}", trim: Bool = false, lstrip: Bool = false, keep: Bool = false,
               lenient: Bool = false, files: [String: String] = [:]) -> RenderCase {
    RenderCase(template: template, data: data, trimBlocks: trim, lstripBlocks: lstrip, keepTrailingNewline: keep,
               lenient: lenient, files: files)
}

enum DivergenceCases {
    /// Values that would crash or hang a naive engine.
    static let hostile: [RenderCase] = [
        C("{% set l = [] %}{% set _ = l.append(l) %}{{ l }} {{ l|string }} {{ l == l }} {{ [l] == [l] }} {{ l|length }}"),
        C("{% set d = {} %}{% set _ = d.update({'a': d, 'b': [d, (d,)]}) %}{{ d }} {{ d|string }}"),
        C("{% set l = [] %}{% set _ = l.append(l) %}{{ l|tojson }}"),
        C("{% set d = {} %}{% set _ = d.update({'a': [d]}) %}{{ d|tojson }}"),
        C("{% set ns = namespace() %}{% set ns.me = ns %}{{ ns }}"),
        C("{% set ns = namespace(l=[]) %}{% for i in range(60000) %}{% set ns.l = [ns.l] %}{% endfor %}ok {{ ns.l|length }}"),
        C("{% set ns = namespace(l=[]) %}{% for i in range(60000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l }}"),
        C("{% extends 'self.j2' %}", files: ["self.j2": "{% extends 'self.j2' %}"]),
        C("{% include 'self.j2' %}", files: ["self.j2": "{% extends 'self.j2' %}"]),
        C("{% extends 'a.j2' %}", files: ["a.j2": "{% extends 'b.j2' %}", "b.j2": "{% extends 'a.j2' %}"]),
        C("{% include 'a.j2' %}", files: ["a.j2": "{% include 'a.j2' %}"]),
    ]

    static var all: [RenderCase] { hostile }
}
