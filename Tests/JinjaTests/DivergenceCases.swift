// Differential cases for the divergences an adversarial corpus found (issue 15): each is rendered by
// Python Jinja2 and by the Swift engine and must agree byte for byte, or both fail.

private func C(_ template: String, _ data: String = "{}", trim: Bool = false, lstrip: Bool = false, keep: Bool = false,
               lenient: Bool = false, files: [String: String] = [:]) -> RenderCase {
    RenderCase(template: template, data: data, trimBlocks: trim, lstripBlocks: lstrip, keepTrailingNewline: keep,
               lenient: lenient, files: files)
}

private func Y(_ template: String, _ yaml: String) -> RenderCase {
    var c = RenderCase(template: template)
    c.yaml = yaml
    return c
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

    /// Compile-time scoping: what a block assigns stays inside it; names assigned later at top level.
    static let scoping: [RenderCase] = [
        C("{% filter upper %}{% set x = 1 %}{{ x }}{% endfilter %}[{{ x }}]", lenient: true),
        C("{% set y %}{% set x = 2 %}{{ x }}{% endset %}{{ y }}[{{ x }}]", lenient: true),
        C("{% set x = 0 %}{% filter upper %}{% set x = 1 %}{% endfilter %}{{ x }}"),
        C("{% set x = 0 %}{% set y %}{% set x = 2 %}{% endset %}{{ x }}{{ y }}"),
        C("{% for i in [1] %}[{{ x }}]{% endfor %}{% set x = 5 %}{{ x }}", lenient: true),
        C("{% for i in [1] %}[{{ x }}]{% endfor %}{% set x = 5 %}{{ x }}", #"{"x": "ctx"}"#),
        C("{% filter upper %}[{{ x }}]{% endfilter %}{% set x = 'late' %}{{ x }}", #"{"x": "ctx"}"#),
        C("{% filter upper %}[{{ x }}]{% endfilter %}{% set x = 'late' %}{{ x }}", lenient: true),
        C("{% macro m() %}[{{ x }}]{% endmacro %}{{ m() }}{% set x = 'late' %}{{ m() }}", #"{"x": "ctx"}"#),
        C("{% for i in [1, 2] %}{% include 'inc.j2' %}{% endfor %}", lenient: true, files: ["inc.j2": "[{{ loop }}{{ loop is defined }}{{ i }}]"]),
        C("{% for i in [1, 2] %}{% include 'inc.j2' %}{% endfor %}", files: ["inc.j2": "[{{ loop.index }}]"]),
        C("{% for i in [1, 2] %}{% include 'inc.j2' %}{{ loop.index }}{% endfor %}", files: ["inc.j2": "[{{ loop.index }}]"]),
        C("{% extends 'base.j2' %}{% include 'inc.j2' %}{{ 'dropped' }}", files: ["base.j2": "B", "inc.j2": "I"]),
        C("{% for j in 'ab' %}{% for i in [1, 2] %}{% include 'inc.j2' %}{% endfor %}{{ loop.index }}{% endfor %}", files: ["inc.j2": "[{{ loop.index }}]"]),
        C("{% extends 'base.j2' %}{{ 1|nosuchfilter }}{% if true %}{{ 2|nosuchfilter }}{% endif %}", files: ["base.j2": "B"]),
        C("{% extends 'base.j2' %}{% macro m() %}{{ 1|nosuchfilter }}{% endmacro %}", files: ["base.j2": "B"]),
        C("{% if true %}{% extends 'base.j2' %}{% endif %}{{ 1|nosuchfilter }}", files: ["base.j2": "B"]),
        C("{% with %}{% set x = 1 %}{% endwith %}[{{ x }}]", lenient: true),
        C("{% for i in [1] %}{% include 'inc.j2' %}{% endfor %}{% set x = 'late' %}", #"{"x": "ctx"}"#, files: ["inc.j2": "[{{ x }}]"]),
        C("{% block b %}[{{ x }}]{% for i in [1] %}({{ x }}){% endfor %}{% endblock %}{% set x = 'late' %}", #"{"x": "ctx"}"#),
        C("{% if true %}{% set x = 1 %}{% endif %}[{{ x }}]"),
    ]

    /// Python's str: code points, final sigma, its whitespace, find/count ranges, maxsplit.
    static let strings: [RenderCase] = [
        C("{{ 'e\u{301}' == '\u{e9}' }} {{ 'e\u{301}' in ['\u{e9}'] }} {{ '\u{e9}' in 'e\u{301}x' }} {{ {'e\u{301}': 1}['\u{e9}'] is defined }}", lenient: true),
        C("{{ ['e\u{301}', '\u{e9}', 'e\u{301}']|unique|list|length }} {{ {'e\u{301}': 1, '\u{e9}': 2}|length }} {{ 'e\u{301}' != '\u{e9}' }}"),
        C("{{ 'Å' == 'Å' }} {{ ['Å', 'Å']|unique|list|length }} {{ 'Å'|length }} {{ 'x\u{301}'.count('x') }}"),
        C("{{ 'ΑΣ ΟΔΟΣ'.title() }} {{ 'ΟΔΟΣ-ΑΣ (ΣΑΣ)'|title }} {{ 'ΑΣ'.capitalize() }} {{ 'ΑΣ1'.title() }}"),
        C("{{ 'ΑΣ'|lower }} {{ 'ΑΣ ΟΔΟΣ'.lower() }} {{ 'Σ'|lower }} {{ 'ΑΣΑ'|lower }} {{ 'ΑΣ.'|lower }} {{ 'ΑΣ'|title }} {{ 'ΑΣ'|capitalize }}"),
        C("[{{ '\u{a0}x\u{2003}\u{2028}'|trim }}] [{{ '\u{a0}a\u{2003}b\u{2028}c\u{85}d'.split()|join('|') }}] [{{ '\u{3000}y\u{a0}'.strip() }}]"),
        C("a\u{a0}\u{2003} {{- 'x' -}} \u{2028}\u{a0}b"),
        C("a\n\u{a0}\u{2003}{% if true %}x{% endif %}\n\u{3000}{% if true %}y{% endif %}", lstrip: true),
        C("{{ 'a\u{a0}b\u{2003}c'|regex_replace('\\s', '_') }} {{ 'é_ü9ß'|regex_replace('\\w', '.') }} {{ 'a\u{1c}b'|regex_replace('\\s', '_') }} {{ '١٢'|regex_replace('\\d', 'D') }}"),
        C("{{ 'abcabc'.find('b', 2) }} {{ 'abcabc'.find('b', 2, 4) }} {{ 'abcabc'.rfind('b', 0, 3) }} {{ 'abcabc'.index('c', 3) }} {{ 'abcabc'.count('a', 1) }} {{ 'abcabc'.count('', 2, 4) }} {{ 'abc'.find('', 5) }} {{ 'abcabc'.find('b', -3) }}"),
        C("{{ 'abc'.index('c', 0, 2) }}"),
        C("{{ 'a b  c d'.split(' ', 2) }} {{ 'a b  c d'.rsplit(' ', 2) }} {{ '  a b  c d '.split(None, 1) }} {{ '  a b  c d '.rsplit(None, 1) }} {{ 'a,b,c'.rsplit(',', 1) }} {{ 'a  b'.split(maxsplit=0) }} {{ ' a  b '.rsplit(maxsplit=0) }}"),
    ]

    /// str.format and % formatting edge cases.
    static let formatting: [RenderCase] = [
        C("[{{ '{:^6}'.format('abc') }}] [{{ '{:*^6}'.format('ab') }}] [{{ '%s' % '{:^4}'.format('a') }}] [{{ 'ab'|center(5) }}] [{{ 'abc'.center(6, '*') }}]"),
        C("{{ '{:d} {:5d} {:.1f} {:x}'.format(true, false, true, true) }} {{ '%d %f %x' % (true, false, true) }} {{ '{}'.format(true) }} {{ '{:>6}'.format(true) }}"),
        C("[{{ '{:0<5}'.format(7) }}] [{{ '{:<05}'.format(7) }}] [{{ '{:0=5}'.format(-7) }}] [{{ '{:05}'.format(-7) }}] [{{ '%-05d' % 7 }}]"),
        C("{{ '{:n}'.format(1234567) }} {{ '{:n}'.format(1234.5) }} {{ '{:c}'.format(65) }} {{ '{0.real} {0.imag}'.format(5) }} {{ '{0[a]}'.format({'a': 1}) }} {{ '%c%c' % (72, 'i') }}"),
        C("{{ '{!a}'.format('é\u{2028}x') }} {{ '%a' % 'ü' }} {{ '{!a}'.format(['ß']) }} {{ '%a' % 1 }} {{ '{!s:>4}'.format('é') }}"),
    ]

    /// Markup behaviour with autoescape off.
    static let markup: [RenderCase] = [
        C("{{ ('1'|safe) % [8, 0] }} {{ ('%s'|safe) % [1, '<'] }} {{ '1' % [8] }} {{ ('%s%s'|safe) % ('<', 1) }} {{ ('x'|safe) % 'y' }}"),
        C("{{ ('<b>%s</b>'|safe) % '<i>' }} {{ ('<b>%s</b>'|safe) % ('<i>'|safe) }} {{ ('%s&%s'|safe) % ('<', '>') }}"),
        C("{{ ['<a>'|safe, '<b>']|join }} {{ ['<a>', '<b>']|join }} {{ ['<a>', '<b>'|safe]|join(', ') }} {{ ['x', 'y']|join('<br>'|safe) }}"),
        C("{{ {'a': '<x>', 'b': none}|xmlattr }}|{{ ({'a': '<x>'}|xmlattr) ~ '<' }}|{{ ({'a': 1}|xmlattr) is escaped }}"),
    ]

    /// The smaller ones.
    static let smaller: [RenderCase] = [
        C("{{ '<a\nhref=\"x\">link</a\n>  <b\n>bold</b>'|striptags }} {{ '<!-- a\nb -->c'|striptags }}"),
        C("{{ 'inf'|int }} {{ 'nan'|int }} {{ '-inf'|int(5) }} {{ 'inf'|float }} {{ '1e3'|int }} {{ ' 12 '|int }} {{ '0x1A'|int(0, 16) }}"),
        C("{{ -0.5|round(method='ceil') }} {{ (-0.5)|round(method='ceil') }} {{ (-0.4)|round(0, 'ceil') }} {{ (-0.5)|round(method='floor') }} {{ (0.5)|round }} {{ (-0.5)|round }} {{ (-1.5)|round }}"),
        C("[{{ 'a\tb\tc'.expandtabs() }}] [{{ 'a\tbc\td'.expandtabs(4) }}] [{{ '12345\tx\ny\tz'.expandtabs(3) }}] [{{ 'ß ΣΑ Ǆ'.casefold() }}] [{{ 'é'.encode() }}] [{{ 'ab'.encode('utf-8') }}]"),
        C("{% macro m(caller) %}[{{ caller }}]{% endmacro %}{{ m(1) }}"),
        C("{% macro m(caller) %}[{{ caller() }}]{% endmacro %}{% call m() %}x{% endcall %}"),
        C("{% extends 'base.j2' %}{% block b %}child {{ super() }}{% endblock %}", files: ["base.j2": "[{% block b required %}{% endblock %}]"]),
        C("{% extends 'base.j2' %}{% block b %}child{% endblock %}", files: ["base.j2": "[{% block b required %}{% endblock %}]"]),
        C("\u{feff}a{{ 1 }}"),
        C("\u{feff}{% if true %}x{% endif %}", trim: true, lstrip: true),
        C("{{ 1|wordwrap(4) }}"),
        C("{{ 'abc def'|wordwrap(4) }}"),
        C("{% macro m(a, a) %}{% endmacro %}x"),
        C("{% macro m(a, b=1, a=2) %}{% endmacro %}x"),
    ]

    /// Values loaded from YAML as PyYAML's safe_load loads them.
    static let yamlValues: [RenderCase] = [
        Y("{{ d }} {{ d|string }} {{ [d] }} {{ d.year }}-{{ d.month }} {{ d is string }} {{ d.isoformat() }}", "d: 2024-01-15"),
        Y("{{ t }}|{{ [t] }}|{{ u }}|{{ [u] }}|{{ v }}|{{ [v] }}|{{ w }}|{{ [w] }}",
          "t: 2001-12-14t21:59:43.10-05:00\nu: 2001-12-14 21:59:43Z\nv: 2002-12-14 10:00:00\nw: 2024-1-5 1:02:03.1234567 +5:30"),
        Y("{{ [t, d] }} {{ t.hour }}:{{ t.minute }}:{{ t.second }}.{{ t.microsecond }}", "t: 2024-06-01T08:05:09.5Z\nd: 1999-12-31"),
        Y("{{ d|tojson }}", "d: 2024-01-15"),
        Y("{{ t|to_yaml }}{{ d|to_nice_yaml }}{{ {'a': t}|to_yaml }}", "t: 2001-12-14 21:59:43.10 -5\nd: 2024-01-15"),
        Y("{{ d }}", "d: 2024-02-30"),
        Y("{{ a }} {{ a|length }}", "a: 1\nb: 2\na: 3"),
        Y("{{ m }}", "m: {x: 1, x: 2, y: 3}"),
        Y("{% set _ = a.append(9) %}{{ b }} {{ a is sameas b }} {% set _ = c.update({'k': 1}) %}{{ e }}",
          "a: &l [1]\nb: *l\nc: &m {z: 0}\ne: *m"),
        Y("{% set _ = base.x.append(1) %}{{ child }}", "base: &b {x: []}\nchild: {<<: *b, y: 2}"),
        Y("{{ big }} {{ neg }} {{ big is integer }}", "big: 12345678901234567890123\nneg: -9223372036854775809"),
        Y("{{ x }}", "x: !custom value"),
        Y("{{ x }}", "x: !!python/name:os.system ''"),
        Y("{{ a }} {{ b }} {{ c }} {{ d }}", "a: !!bool yes\nb: !!bool off\nc: !!str 12\nd: !!int '0x1f'"),
        Y("{{ a }} {{ b is string }}", "a: !!timestamp 2020-01-01\nb: '2020-01-01'"),
    ]

    /// Python ints have no size: results past Int64 stay exact integers.
    static let bigIntegers: [RenderCase] = [
        C("{{ 2**64 }} {{ 2**100 }} {{ 2**100 - 1 }} {{ 2**100 + 2**100 }} {{ 2**100 * 2**100 }} {{ -(2**100) }} {{ 99999999999999999999 }} {{ 0x1ffffffffffffffff }}"),
        C("{{ (2**63 - 1) + 1 }} {{ -(2**63) - 1 }} {{ -(-(2**63)) }} {{ (-(2**63)) // -1 }} {{ (-(2**63))|abs }} {{ 2**64 - 2**64 }} {{ (2**64 - 2**64) is integer }}"),
        C("{{ 2**100 // 7 }} {{ 2**100 // -7 }} {{ -(2**100) // 7 }} {{ -(2**100) // -7 }} {{ 2**100 % 7 }} {{ 2**100 % -7 }} {{ -(2**100) % 7 }} {{ -(2**100) % -7 }}"),
        C("{{ 2**100 // 2**70 }} {{ -(2**100) // (2**70 + 3) }} {{ (2**127 - 1) % (2**61 - 1) }} {{ 3**80 // (3**40 + 1) }} {{ -(3**80) % (3**40 + 1) }} {{ 5 // 2**64 }} {{ -5 // 2**64 }} {{ -5 % 2**64 }}"),
        C("{{ 2**64 > 5 }} {{ 5 < 2**64 }} {{ -(2**64) < -5 }} {{ 2**64 == 2**64 }} {{ 2**64 != 2**64 + 1 }} {{ 2**64 == 2.0**64 }} {{ 2**64 + 1 > 2.0**64 }} {{ 2**64 + 1 == 2.0**64 }} {{ 2**53 + 1 == 2.0**53 }} {{ 2**64 < 1e30 }} {{ 2**64 >= 2**64 }}"),
        C("{{ [2**70, 3, -(2**65), 1.5, 2**64]|sort }} {{ [2**64, 1]|max }} {{ [2**64, 1]|min }} {{ [2**64, 1, 2.5]|sum }} {{ [2**64, 2**64, 2.0**64]|unique|list }} {{ {2**64: 'a'}[2.0**64] }} {{ 2**64 in [2**64] }}"),
        C("{{ (2**64)|tojson }} {{ [2**64, -(2**70)]|tojson }} {{ '%d' % 2**70 }} {{ '%5d|%x|%X|%#o' % (2**64, 2**70, 2**64, -(2**64)) }} {{ '{:,}'.format(2**70) }} {{ '{:_d}|{:+d}|{:>30}|{:#b}|{}'.format(-(2**64), 2**64, 2**64, 2**65, 2**65) }}"),
        C("{{ 2**64 / 3 }} {{ 2**1100 / 2**1099 }} {{ 10**400 / 10**399 }} {{ (2**53 + 1) / 1 }} {{ 5 / 2**64 }} {{ -(2**100 + 1) / 3 }} {{ (2**64)|float }} {{ 2**64 * 0.5 }} {{ (2**64) ** -1 }} {{ 3 ** 41 }} {{ (-3) ** 41 }}"),
        C("{{ '123456789012345678901234567890'|int + 1 }} {{ ' -99999999999999999999 '|int }} {{ '0x1ffffffffffffffffff'|int(0, 16) }} {{ 1e300|int }} {{ 1.5e20|int }} {{ '%d' % 1.5e20 }}"),
        C("{{ (2**64)|round }} {{ (2**64 + 5)|round(-1) }} {{ 25|round(-1) }} {{ 35|round(-1) }} {{ (2**64)|round(2, 'floor') }} {{ (2**64)|abs }} {{ (-(2**64))|abs }} {{ (2**64)|filesizeformat }} {{ -1e20|filesizeformat }}"),
        C("{{ range(2**64, 2**64 + 3)|list }} {{ range(2**64, 2**64 + 3) }} {{ range(-(2**63), 2**63 - 1, 2**62)|list }} {{ (2**64) is divisibleby 3 }} {{ 2**64 is even }} {{ 2**64 is number }}"),
        C("{{ (2**1100)|float }}"),
        C("{{ 2**1100 / 3 }}"),
        C("{{ 10**400 * 1.0 }}"),
        C("{{ 'x' * 2**64 }}"),
        Y("{{ big + 1 }} {{ neg - 1 }} {{ big * small }} {{ big // -small }} {{ big % -small }} {{ neg + 1 }} {{ -neg }} {{ big / 7 }}",
          "big: 123456789012345678901234567890\nneg: -9223372036854775809\nsmall: 7"),
        Y("{{ [big, small, neg, 3.5]|sort }} {{ big > small }} {{ neg < small }} {{ big|tojson }} {{ '%d' % big }} {{ '{:,}'.format(big) }} {{ {big: 1}[big] }}",
          "big: 123456789012345678901234567890\nneg: -9223372036854775809\nsmall: 7"),
        Y("{{ h + 1 }} {{ o - 1 }} {{ b * 2 }}", "h: 0x1ffffffffffffffffff\no: 0777777777777777777777777\nb: 0b11111111111111111111111111111111111111111111111111111111111111111"),
    ]

    static var all: [RenderCase] { hostile + scoping + strings + formatting + markup + smaller + yamlValues + bigIntegers }
}
