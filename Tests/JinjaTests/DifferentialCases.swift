// Hand-written differential cases: each is rendered by Python Jinja2 and by the Swift engine.

private func C(_ template: String, _ data: String = "{}", trim: Bool = false, lstrip: Bool = false, keep: Bool = false,
               lenient: Bool = false, delimiters: [String]? = nil, files: [String: String] = [:]) -> RenderCase {
    RenderCase(template: template, data: data, trimBlocks: trim, lstripBlocks: lstrip, keepTrailingNewline: keep,
               lenient: lenient, delimiters: delimiters, files: files)
}

enum DifferentialCases {
    static let nodes = #"{"cluster": {"name": "prod", "endpoint": "https://10.0.0.1:6443"}, "nodes": [{"hostname": "cp-1", "ip": "10.0.0.11", "controlPlane": true, "disks": ["/dev/sda"], "labels": {"zone": "a"}}, {"hostname": "cp-2", "ip": "10.0.0.12", "controlPlane": true, "disks": [], "labels": {}}, {"hostname": "w-1", "ip": "10.0.0.21", "controlPlane": false, "disks": ["/dev/sda", "/dev/sdb"], "labels": {"zone": "b", "gpu": "yes"}}], "version": "v1.9.1", "port": 6443, "ratio": 0.5, "enabled": true, "nothing": null, "empty": "", "text": "Hello World foo-bar", "csv": "a,b,,c", "words": "  some  spaced words  "}"#

    /// Literals, printing and Python str()/repr() of every value type.
    static let values: [RenderCase] = [
        C("{{ 1 }} {{ 1.0 }} {{ 1.5e3 }} {{ 1e20 }} {{ 1e-7 }} {{ 0.1 + 0.2 }} {{ 10 / 4 }} {{ 10 / 5 }}"),
        C("{{ 123456789012345678 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 0.00001 }} {{ -0.0 }} {{ 2**62 }}"),
        C("{{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1_000 }} {{ 1_0.5 }}"),
        C("{{ 'a' 'b' }} {{ \"dq\" }} {{ 'it\\'s' }} {{ 'tab\\there' }} {{ '\\x41\\u00e9' }}"),
        C("{{ none }} {{ None }} {{ true }} {{ True }} {{ false }} {{ False }}"),
        C("{{ [1, 'a', none, true, 1.5, [2], {'k': 'v'}] }}"),
        C("{{ (1,) }} {{ (1, 2) }} {{ () }} {{ 1, 2 }}"),
        C("{{ {'a': 1, 'b': [1, 2], 'c': {'d': none}} }}"),
        C("{{ ['it\\'s', 'say \"hi\"', 'both \\' \"', 'nl\\n', 'back\\\\slash'] }}"),
        C("{{ x }} {{ y }} {{ z }} {{ w }}", #"{"x": 1, "y": 1.0, "z": [1.0, 2.50], "w": {"a": -0.0}}"#),
        C("{{ nodes }}", nodes),
        C("{{ cluster }}", nodes),
        C("{{ [] }} {{ {} }} {{ '' }}|"),
        C("{{ 'unicode: é ü 日本' }} {{ ['é'] }}"),
        C("{{ [1.0, 1e100, 3.14159, 2.5e-10, 100.0, 1e22] }}"),
    ]

    /// Expressions and operators.
    static let expressions: [RenderCase] = [
        C("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 2 ** 3 ** 2 }} {{ -2 ** 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }}"),
        C("{{ 7.5 // 2 }} {{ -7.5 % 2 }} {{ 2 ** -1 }} {{ 1 / 3 }} {{ 3 - 5 }} {{ 1 + 1.5 }} {{ true + 1 }}"),
        C("{{ 'a' ~ 1 ~ none ~ [1] }} {{ 'ab' * 3 }} {{ [1] * 2 }} {{ [1] + [2] }} {{ 'x' + 'y' }}"),
        C("{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ [1,2] == [1,2] }} {{ 'abc' < 'abd' }} {{ 2 >= 2 }} {{ 3 <= 2 }}"),
        C("{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} {{ not true }} {{ not 0 }}"),
        C("{{ 1 and 2 }} {{ 0 and 2 }} {{ 0 or 'x' }} {{ '' or [] }} {{ none or 0 }} {{ 1 if true else 2 }} {{ 1 if false else 2 }}"),
        C("{{ 'yes' if port > 1000 else 'no' }} {{ (port // 100) if enabled }}", nodes),
        C("{{ 'x' if false }}|", lenient: true),
        C("{{ 'x' if false }}|"),
        C("{{ nodes[0].hostname }} {{ nodes[0]['ip'] }} {{ nodes.0.labels.zone }} {{ nodes[-1].hostname }} {{ cluster['name'] }}", nodes),
        C("{{ text[0] }} {{ text[-1] }} {{ text[1:5] }} {{ text[::2] }} {{ text[::-1] }} {{ [1,2,3,4][1:] }} {{ [1,2,3][:-1] }} {{ (1,2,3)[::-1] }}", nodes),
        C("{{ '%s-%s' % ('a', 1) }} {{ '%d items' % 3 }} {{ '%05.2f' % 3.14159 }} {{ '%x %X %o' % (255, 255, 8) }} {{ '%(a)s=%(b)r' % {'a': 1, 'b': 'x'} }}"),
        C("{{ '%s' % [1, 2] }} {{ '%r' % 'q' }} {{ '%-5s|%5s' % ('a', 'b') }} {{ '%%' % () }} {{ '%.3s' % 'abcdef' }} {{ '%+d % d' % (5, 5) }} {{ '%e %g %G' % (12345.678, 0.00001234, 1e20) }}"),
        C("{{ '%s %s' % ('only one',) }}"),
        C("{{ '{} and {}'.format(1, 'b') }} {{ '{0}{1}{0}'.format('a', 'b') }} {{ '{name}!'.format(name='x') }} {{ '{:>5}|{:<4}|{:^7}'.format('r', 'l', 'c') }} {{ '{:05d} {:.2f} {:,}'.format(42, 3.14159, 1234567) }}"),
        C("{{ '{0[0]} {0[1]}'.format(['a', 'b']) }} {{ '{!r}'.format('s') }} {{ '{{literal}}'.format() }} {{ '{:x} {:#x} {:b}'.format(255, 255, 5) }}"),
        C("{{ 1 / 0 }}"),
        C("{{ 'a' + 1 }}"),
        C("{{ [1] < 'a' }}"),
        C("{{ -x }} {{ +x }} {{ - - x }}", #"{"x": 3}"#),
        C("{{ x.y }}", #"{"x": {"y": {"z": 1}}}"#),
        C("{{ {'a': 1}.a }} {{ {'a': 1}['a'] }} {{ {1: 'one'}[1] }} {{ {(1, 2): 'tup'}[(1, 2)] }}"),
        C("{{ 10 is divisibleby 3 }} {{ 9 is divisibleby(3) }} {{ x is not none }} {{ 2 + 3 is odd }}", #"{"x": 1}"#),
        C("{{ 1 is number and 'a' is string }} {{ not 1 is odd }} {{ x is defined and x > 0 }}", #"{"x": 1}"#),
        C("{{ (1, 2) == (1, 2) }} {{ [1, [2, 3]] < [1, [2, 4]] }} {{ none == none }} {{ 1 == true }} {{ 'a' == none }}"),
    ]

    /// Statements: if/for/set/macro/call/filter/with/namespace.
    static let statements: [RenderCase] = [
        C("{% if x %}yes{% elif y %}maybe{% else %}no{% endif %}", #"{"x": 0, "y": 1}"#),
        C("{% if x %}yes{% endif %}{% if not x %}no{% endif %}", #"{"x": []}"#),
        C("{% for n in nodes %}{{ loop.index }}/{{ loop.length }} {{ n.hostname }}{% if not loop.last %}, {% endif %}{% endfor %}", nodes),
        C("{% for n in nodes %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.depth }}{{ loop.depth0 }};{% endfor %}", nodes),
        C("{% for x in [1, 2, 3] %}{{ loop.previtem }}-{{ loop.nextitem }} {% endfor %}", lenient: true),
        C("{% for x in [1, 2, 3] %}{{ loop.cycle('odd', 'even') }} {% endfor %}"),
        C("{% for x in [1, 1, 2, 3, 3] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}"),
        C("{% for x in [] %}{{ x }}{% else %}empty{% endfor %}"),
        C("{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{{ loop.length }}{% else %}none{% endfor %}"),
        C("{% for k, v in {'b': 1, 'a': 2}.items() %}{{ k }}={{ v }};{% endfor %}"),
        C("{% for k in {'b': 1, 'a': 2} %}{{ k }}{% endfor %}"),
        C("{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }}{% endfor %}"),
        C("{% for a, b in [(1, 2, 3)] %}{{ a }}{% endfor %}"),
        C("{% for c in 'abc' %}{{ c }}.{% endfor %}"),
        C("{% for i in range(3) %}{{ i }}{% endfor %} {% for i in range(1, 10, 3) %}{{ i }}{% endfor %} {{ range(5)|list }} {{ range(3) }}"),
        C("{% for item in tree recursive %}{{ item.name }}{% if item.children %}[{{ loop(item.children) }}]{% endif %}{{ loop.depth }}{% endfor %}",
          #"{"tree": [{"name": "a", "children": [{"name": "b", "children": [{"name": "c"}]}]}, {"name": "d"}]}"#),
        C("{% for x in [1,2] %}{% for y in [3,4] %}{{ loop.index }}{{ x }}{{ y }} {% endfor %}{{ loop.index }}{% endfor %}"),
        C("{% set x = 1 %}{% for i in [1, 2] %}{% set x = i %}{{ x }}{% endfor %}{{ x }}"),
        C("{% set ns = namespace(total=0, seen=[]) %}{% for i in [1, 2, 3] %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }} {{ ns.seen }}"),
        C("{% set a, b = 1, 2 %}{{ a }}{{ b }} {% set t = (3, 4) %}{{ t }}"),
        C("{% set block_var %}  content {{ 1 + 1 }}  {% endset %}[{{ block_var }}]"),
        C("{% set up | upper | trim %} shout {% endset %}[{{ up }}]"),
        C("{% macro greet(name, greeting='Hello') %}{{ greeting }}, {{ name }}!{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', greeting='Hi') }} {{ greet('C', 'Yo') }}"),
        C("{% macro m(a, b) %}{{ a }}|{{ b }}{% endmacro %}{{ m(1) }}", lenient: true),
        C("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}"),
        C("{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, k=3) }}"),
        C("{% macro m(a) %}{{ a }}{% endmacro %}{{ m(b=1) }}"),
        C("{% macro list(items) %}<ul>{% for i in items %}<li>{{ caller(i) }}</li>{% endfor %}</ul>{% endmacro %}{% call(x) list([1, 2]) %}item {{ x }}{% endcall %}"),
        C("{% macro wrap() %}[{{ caller() }}]{% endmacro %}{% call wrap() %}inner {{ 5 }}{% endcall %}"),
        C("{% macro rec(n) %}{% if n > 0 %}{{ n }}{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(5) }}"),
        C("{% macro m(x, y=x * 2) %}{{ x }},{{ y }}{% endmacro %}{{ m(3) }}"),
        C("{% macro m() %}{{ outer }}{% endmacro %}{% set outer = 'late' %}{{ m() }}"),
        C("{{ m.name }}{% macro m() %}{% endmacro %}", lenient: true),
        C("{% filter upper %}hello {{ 'world' }}{% endfilter %}"),
        C("{% filter indent(2, true) | trim %}a\nb{% endfilter %}"),
        C("{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a }}", lenient: true),
        C("{% with x = 5 %}{% set y = x * 2 %}{{ y }}{% endwith %}"),
        C("{% raw %}{{ not rendered }} {% if %}{% endraw %}"),
        C("{# a comment #}visible{# another\nmultiline comment #}"),
        C("{% print 1, 2 %}"),
        C("{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}"),
        C("{% set j = joiner(', ') %}{% for x in [1, 2, 3] %}{{ j() }}{{ x }}{% endfor %}"),
        C("{% set d = dict(a=1, b=2) %}{{ d }} {{ dict([('x', 1)]) }}"),
        C("{% set l = [] %}{% set _ = l.append(1) %}{% set _ = l.extend([2, 3]) %}{{ l }} {{ l.pop() }} {{ l }} {{ l.append(9) }}"),
        C("{% set d = {} %}{% set _ = d.update({'a': 1}) %}{{ d }} {{ d.get('a') }} {{ d.get('z', 'dflt') }} {{ d.pop('a') }} {{ d }}"),
        C("{{ {'a': 1, 'b': 2}.keys() }} {{ {'a': 1}.values() }} {{ {'a': 1}.items() }} {{ {'a': 1}.items()|list }}"),
        C("{% for i in range(3) %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}"),
        C("{% if x %}{% endif %}{% endif %}", #"{"x": 1}"#),
        C("{% for x in y %}"),
        C("{% if %}{% endif %}"),
        C("{{ x | nosuchfilter }}"),
        C("{% if false %}{{ x is nosuchtest }}{% endif %}"),
        C("{{ 1 +  }}"),
        C("{{ foo(}}"),
        C("{% set 1 = 2 %}"),
        C("{% macro m(a=1, b) %}{% endmacro %}"),
        C("{% block a %}{% endblock %}{% block a %}{% endblock %}"),
        C("{{ 'unterminated }}"),
        C("{% unknowntag %}"),
    ]

    /// str/list/dict methods.
    static let methods: [RenderCase] = [
        C("{{ text.split() }} {{ csv.split(',') }} {{ csv.split(',', 1) }} {{ csv.rsplit(',', 1) }} {{ words.split() }} {{ words.split(' ') }}", nodes),
        C("{{ text.upper() }} {{ text.lower() }} {{ text.title() }} {{ 'hello wORLD'.capitalize() }} {{ text.swapcase() }}", nodes),
        C("{{ text.startswith('Hello') }} {{ text.endswith(('bar', 'baz')) }} {{ text.replace('o', '0') }} {{ text.replace('o', '0', 1) }}", nodes),
        C("[{{ words.strip() }}] [{{ words.lstrip() }}] [{{ words.rstrip() }}] [{{ 'xxhixx'.strip('x') }}]", nodes),
        C("{{ text.find('o') }} {{ text.rfind('o') }} {{ text.find('zz') }} {{ text.count('o') }} {{ ','.join(['a', 'b']) }} {{ '-'.join('abc') }}", nodes),
        C("{{ 'a\\nb\\r\\nc'.splitlines() }} {{ 'ab'.center(6, '*') }} {{ 'ab'.ljust(4) }}| {{ 'ab'.rjust(4) }} {{ '42'.zfill(5) }} {{ '-42'.zfill(5) }}"),
        C("{{ '123'.isdigit() }} {{ 'abc'.isalpha() }} {{ 'a1'.isalnum() }} {{ '  '.isspace() }} {{ 'abc'.islower() }} {{ 'ABC'.isupper() }}"),
        C("{{ 'a=b=c'.partition('=') }} {{ 'a=b=c'.rpartition('=') }} {{ 'prefix_x'.removeprefix('prefix_') }} {{ 'x.yaml'.removesuffix('.yaml') }}"),
        C("{{ 'a b'.split(none, 1) }} {{ ''.split() }} {{ ''.split(',') }} {{ 'a,b'.split(sep=',') }}"),
        C("{{ [3, 1, 2].index(1) }} {{ [1, 1, 2].count(1) }} {% set l = [3, 1, 2] %}{{ l.sort() }}{{ l }} {{ l.reverse() }}{{ l }} {{ l.copy() }}"),
        C("{{ {'a': 1}.setdefault('b', 2) }} {% set d = {'a': 1} %}{{ d.copy() }} {{ d.popitem() }} {{ d }}"),
        C("{{ 'abc'.nosuchmethod() }}"),
        C("{{ 'x'.join([1, 2]) }}"),
    ]

    /// Built-in filters.
    static let filters: [RenderCase] = [
        C("{{ -3|abs }} {{ -2.5|abs }} {{ nodes|length }} {{ nodes|count }} {{ text|length }} {{ cluster|length }}", nodes),
        C("{{ nodes|selectattr('controlPlane')|list|length }} {{ nodes|rejectattr('controlPlane')|map(attribute='hostname')|join(',') }}", nodes),
        C("{{ nodes|selectattr('hostname', 'equalto', 'w-1')|map(attribute='ip')|first }} {{ nodes|selectattr('ip', 'in', ['10.0.0.11'])|list|length }}", nodes),
        C("{{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3, 4]|reject('odd')|list }} {{ [0, 1, '', 'a', none]|select|list }} {{ [1, 5, 10]|select('gt', 3)|list }}"),
        C("{{ nodes|map(attribute='labels.zone', default='none')|list }} {{ ['a', 'b']|map('upper')|list }} {{ [1.5, 2.5]|map('round')|list }}", nodes),
        C("{{ missing|default('dflt') }} {{ empty|default('dflt') }} {{ empty|default('dflt', true) }} {{ nothing|d('x', boolean=true) }} {{ 0|default(5, true) }}", nodes),
        C("{{ {'b': 1, 'A': 2, 'c': 0}|dictsort }} {{ {'b': 1, 'A': 2}|dictsort(true) }} {{ {'b': 1, 'a': 2}|dictsort(by='value') }} {{ {'b': 1, 'a': 2}|dictsort(reverse=true) }}"),
        C("{{ '<a href=\"x\">&</a>'|escape }} {{ '<b>'|e }} {{ ('<b>'|e)|e }} {{ '<i>'|forceescape }} {{ ('<x>'|safe) ~ '<y>' }} {{ ('<x>'|safe) + '<y>' }}"),
        C("{{ 100|filesizeformat }} {{ 1000|filesizeformat }} {{ 1500000|filesizeformat }} {{ 1024|filesizeformat(true) }} {{ 1|filesizeformat }} {{ 3e12|filesizeformat }}"),
        C("{{ [3, 1]|first }} {{ [3, 1]|last }} {{ 'abc'|first }} {{ []|first }}|", lenient: true),
        C("{{ '3.5'|float }} {{ 'x'|float }} {{ 'x'|float(1.5) }} {{ 2|float }} {{ '1e3'|float }}"),
        C("{{ '42'|int }} {{ '4.7'|int }} {{ 4.7|int }} {{ 'x'|int }} {{ 'x'|int(-1) }} {{ '0x1A'|int(0, 16) }} {{ '0b11'|int(base=2) }} {{ ' 7 '|int }} {{ '1_000'|int }} {{ true|int }}"),
        C("{{ '%s, %s'|format('a', 'b') }} {{ '%(x)s'|format(x=1) }} {{ '%d'|format(3.9) }}"),
        C("{% for g in nodes|groupby('controlPlane') %}{{ g.grouper }}:{{ g.list|map(attribute='hostname')|join(',') }};{% endfor %}", nodes),
        C("{% for key, items in [{'t': 'B'}, {'t': 'a'}, {'t': 'b'}]|groupby('t') %}{{ key }}={{ items|length }};{% endfor %} {{ [{'t': 1}]|groupby('t') }}"),
        C("{{ 'a\\nb\\n\\nc'|indent }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, blank=true) }}|{{ 'x\\ny'|indent('> ') }}"),
        C("{{ {'a': 1}|items|list }} {{ [1, 2]|join }} {{ [1, 2]|join(', ') }} {{ nodes|join(',', attribute='hostname') }}", nodes),
        C("{{ 'abc'|list }} {{ {'a': 1}|list }} {{ 'Hello'|lower }} {{ 'Hello'|upper }} {{ 'hello wo-rld (x) [y]'|title }}"),
        C("{{ [3, 1, 2]|max }} {{ [3, 1, 2]|min }} {{ ['b', 'A', 'c']|max }} {{ ['b', 'A', 'c']|max(case_sensitive=true) }} {{ nodes|max(attribute='ip')|attr('hostname') }}", nodes),
        C("{{ nodes|min(attribute='hostname') }}", nodes),
        C("{{ {'b': [1, 2], 'a': 'x'}|pprint }} {{ [1, 'a']|pprint }}"),
        C("{{ 'aaa'|replace('a', 'b') }} {{ 'aaa'|replace('a', 'b', 2) }} {{ [1, 2, 3]|reverse|list }} {{ 'abc'|reverse }}"),
        C("{{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 42.55|round(1, 'floor') }} {{ 42.51|round(1, 'ceil') }} {{ 3|round }} {{ -1.5|round }} {{ 1234|round(-2) }}"),
        C("{{ [1, 2, 3, 4, 5]|slice(2)|list }} {{ [1, 2, 3, 4, 5]|slice(3, 'x')|list }} {{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3]|batch(2, 0)|list }}"),
        C("{{ [3, 1, 2]|sort }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ [3, 1, 2]|sort(reverse=true) }} {{ nodes|sort(attribute='ip', reverse=true)|map(attribute='hostname')|list }}", nodes),
        C("{{ [1, 'a']|sort }}"),
        C("{{ 1|string }} {{ [1]|string }} {{ none|string }} {{ '<b>bold</b> &amp; <!-- c --> text'|striptags }}"),
        C("{{ [1, 2, 3]|sum }} {{ [1.5, 2]|sum }} {{ nodes|sum(attribute='port', start=10) }} {{ [[1], [2]]|sum(start=[]) }}", #"{"nodes": [{"port": 1}, {"port": 2}]}"#),
        C("{{ {'b': 1, 'a': [1, 'x<y', none, true, 1.5]}|tojson }} {{ 'é\\'\"'|tojson }} {{ [1]|tojson(2) }} {{ {'a': {'b': 1}}|tojson(indent=2) }}"),
        C("{{ '  x  '|trim }}|{{ 'xxaxx'|trim('x') }}"),
        C("{{ 'a long sentence that goes on'|truncate(10) }} {{ 'a long sentence that goes on'|truncate(10, true) }} {{ 'short'|truncate(10) }} {{ 'a long sentence'|truncate(9, false, '..', 0) }}"),
        C("{{ [1, 2, 1, 'a', 'A']|unique|list }} {{ ['a', 'A']|unique(case_sensitive=true)|list }} {{ nodes|unique(attribute='controlPlane')|map(attribute='hostname')|list }}", nodes),
        C("{{ 'a b&c/d?é'|urlencode }} {{ {'a': 'x y', 'b': 1}|urlencode }} {{ [('k', 'v')]|urlencode }}"),
        C("{{ 'one two  three'|wordcount }} {{ 'foo-bar baz_qux'|wordcount }}"),
        C("{{ 'the quick brown fox jumps over the lazy dog'|wordwrap(10) }}|{{ 'aaaaaaaaaaaaaaa bb'|wordwrap(6) }}|{{ 'a b c'|wordwrap(3, wrapstring='<br>') }}"),
        C("<x{{ {'class': 'a b', 'id': 3, 'skip': none}|xmlattr }}> <y{{ {'a': 1}|xmlattr(false) }}>"),
        C("{{ 'hello'|center(11) }}|{{ 'hi'|capitalize }}|{{ {'a': 1}|attr('a') }}|{{ 'x'|attr('nope') }}|", lenient: true),
        C("{{ 'visit https://example.com now'|urlize }}"),
        C("{{ nodes|map(attribute='disks')|map('length')|list }} {{ nodes|map(attribute='hostname')|map('replace', '-', '_')|list }}", nodes),
        C("{{ 'a'|int + 1 }} {{ x|abs }}", #"{"x": "s"}"#),
    ]

    /// Built-in tests.
    static let tests: [RenderCase] = [
        C("{{ true is boolean }} {{ 1 is boolean }} {{ x is callable }} {{ range is callable }} {{ 'a' is callable }}", #"{"x": 1}"#),
        C("{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ x is undefined }}", #"{"x": 1}"#),
        C("{{ 4 is even }} {{ 3 is odd }} {{ 4.0 is even }} {{ false is false }} {{ 0 is false }} {{ true is true }}"),
        C("{{ 'upper' is filter }} {{ 'nope' is filter }} {{ 'odd' is test }} {{ 1.0 is float }} {{ 1 is float }} {{ 1 is integer }} {{ true is integer }} {{ 1.0 is integer }}"),
        C("{{ 3 is ge 3 }} {{ 3 is gt 3 }} {{ 2 is le 3 }} {{ 2 is lt 1 }} {{ 1 is ne 2 }} {{ 1 is eq 1 }} {{ 1 is == 1 }} {{ 5 is greaterthan 2 }} {{ 1 is lessthan 2 }}"),
        C("{{ 2 is in [1, 2] }} {{ 'a' is in 'abc' }} {{ [] is iterable }} {{ 1 is iterable }} {{ 'abc' is lower }} {{ 'aBC' is upper }} {{ 'ABC' is upper }}"),
        C("{{ {} is mapping }} {{ [] is mapping }} {{ none is none }} {{ 0 is none }} {{ 1 is number }} {{ 'x' is number }} {{ true is number }} {{ 1.5 is number }}"),
        C("{{ x is sameas x }} {{ none is sameas none }} {{ [] is sameas [] }} {{ 'a' is sequence }} {{ [] is sequence }} {{ {} is sequence }} {{ 1 is sequence }} {{ 'a' is string }} {{ 1 is string }}", #"{"x": [1]}"#),
        C("{{ '<b>'|e is escaped }} {{ '<b>' is escaped }}"),
        C("{{ y is divisibleby 2 }}", #"{"x": 1}"#),
    ]

    /// Undefined behaviour, strict (default) and lenient.
    static let undefined: [RenderCase] = [
        C("{{ missing }}"),
        C("[{{ missing }}]", lenient: true),
        C("{{ missing.attr }}", lenient: true),
        C("{{ cluster.missing }}", nodes),
        C("[{{ cluster.missing }}]", nodes, lenient: true),
        C("[{{ cluster.missing.deeper }}]", nodes, lenient: true),
        C("{% if missing %}y{% else %}n{% endif %}"),
        C("{% if missing %}y{% else %}n{% endif %}", lenient: true),
        C("{% for x in missing %}{{ x }}{% else %}empty{% endfor %}", lenient: true),
        C("{% for x in missing %}{{ x }}{% endfor %}"),
        C("{{ missing|default('d') }} {{ missing is defined }}"),
        C("{{ missing|length }} {{ missing|upper }}|{{ missing|list }} {{ missing ~ 'x' }}", lenient: true),
        C("{{ missing|length }}"),
        C("{{ missing + 1 }}", lenient: true),
        C("{{ missing == missing }} {{ missing == 1 }} {{ missing != 1 }}", lenient: true),
        C("{{ missing == 1 }}"),
        C("{{ [missing] }} {{ missing|string }}|", lenient: true),
        C("{{ nodes[10] }}|", nodes, lenient: true),
        C("{{ nodes[10] }}", nodes),
        C("{{ missing() }}", lenient: true),
        C("{{ missing['x'] }}", lenient: true),
        C("{{ none.attr }}|", lenient: true),
        C("{{ none.attr }}|"),
        C("{{ (missing or 'fallback') }} {{ missing and 1 }}", lenient: true),
        C("{{ missing is string }} {{ missing is none }} {{ missing is number }}"),
        C("{{ 'a' in missing }}", lenient: true),
    ]

    /// Whitespace control, trim_blocks, lstrip_blocks, keep_trailing_newline, custom delimiters.
    static let whitespace: [RenderCase] = [
        C("a  \n  {%- if true %}b{% endif -%}  \n  c"),
        C("<ul>\n{% for x in [1, 2] %}\n  <li>{{ x }}</li>\n{% endfor %}\n</ul>\n", trim: true),
        C("<ul>\n    {% for x in [1, 2] %}\n  <li>{{ x }}</li>\n    {% endfor %}\n</ul>\n", lstrip: true),
        C("<ul>\n    {% for x in [1, 2] %}\n  <li>{{ x }}</li>\n    {% endfor %}\n</ul>\n", trim: true, lstrip: true),
        C("  {%+ if true %}x{% endif +%}\ny", trim: true, lstrip: true),
        C("line\n", keep: true),
        C("line\n"),
        C("line\n\n"),
        C("a\r\nb\rc\n"),
        C("a\r\nb\r\n", keep: true),
        C("  {# comment #}\nafter", trim: true, lstrip: true),
        C("x {{- ' y ' -}} z"),
        C("x\n  {{ 1 }}  \n", trim: true, lstrip: true),
        C("{% raw -%}  keep {{ this }}  {%- endraw %}"),
        C("  {% raw %}\n  r\n  {% endraw %}\nend", trim: true, lstrip: true),
        C("{%- if true -%}\n\n  yes  \n\n{%- endif -%}\n"),
        C("a\n{% set x = 1 %}\nb\n{% set y = 2 -%}\n  c", trim: true),
        C("{% for i in [1, 2] -%}\n  {{ i }}\n{%- endfor %}"),
        C("#% for n in nodes %#\n- #{ n.hostname }#\n#% endfor %#\n#| note |#", nodes, trim: true, lstrip: true, delimiters: ["#%", "%#", "#{", "}#", "#|", "|#"]),
        C("[% if 1 %]<< x >>[% endif %] {{ not a tag }}", #"{"x": 5}"#, delimiters: ["[%", "%]", "<<", ">>", "<#", "#>"]),
        C("%% if true %%yes%% endif %% @@ 1 + 1 @@", delimiters: ["%%", "%%", "@@", "@@", "{#", "#}"]),
        C("{% if true %}\r\n  x\r\n{% endif %}\r\n", trim: true, lstrip: true),
        C("\t{% if true %}\n\tx\n\t{% endif %}\n", lstrip: true),
        C("text {% if true %}  {% endif %} text", lstrip: true),
        C("{{ {'a': {'b': 1}} }}{{ {'x': 1}}}"),
    ]

    /// include / import / extends / block, confined to the template set.
    static let loading: [RenderCase] = [
        C("{% include 'part.j2' %}|{% include 'part.j2' without context %}", #"{"who": "world"}"#, lenient: true,
          files: ["part.j2": "hello {{ who }}"]),
        C("{% for who in ['a', 'b'] %}{% include 'part.j2' %};{% endfor %}", files: ["part.j2": "hi {{ who }}"]),
        C("{% include 'missing.j2' ignore missing %}ok"),
        C("{% include 'missing.j2' %}"),
        C("{% include ['nope.j2', 'part.j2'] %}", files: ["part.j2": "second"]),
        C("{% import 'macros.j2' as m %}{{ m.shout('x') }} {{ m.value }}", files: ["macros.j2": "{% macro shout(s) %}{{ s|upper }}!{% endmacro %}{% set value = 42 %}"]),
        C("{% from 'macros.j2' import shout, whisper as w %}{{ shout('a') }} {{ w('B') }}", files: ["macros.j2": "{% macro shout(s) %}{{ s|upper }}{% endmacro %}{% macro whisper(s) %}{{ s|lower }}{% endmacro %}"]),
        C("{% from 'macros.j2' import nothing %}{{ nothing }}", files: ["macros.j2": "{% macro shout(s) %}{% endmacro %}"]),
        C("{% extends 'base.j2' %}{% block body %}child {{ super() }}{% endblock %}",
          files: ["base.j2": "<{% block head %}H{% endblock %}|{% block body %}base body{% endblock %}>"]),
        C("{% extends 'mid.j2' %}{% block a %}C{{ super() }}{% endblock %}",
          files: ["mid.j2": "{% extends 'base.j2' %}{% block a %}M{{ super() }}{% endblock %}", "base.j2": "[{% block a %}B{% endblock %}]"]),
        C("{% extends 'base.j2' %}ignored text{% set title = 'T' %}{% block b %}{{ title }}{% endblock %}",
          files: ["base.j2": "{% block b %}{% endblock %}/{{ title }}"]),
        C("{% block x %}one{% endblock %} {{ self.x() }}"),
        C("{% for i in [1, 2] %}{% block loopblock scoped %}{{ i }}{% endblock %}{% endfor %}"),
        C("{% include '../escape.j2' %}"),
        C("{% include '/etc/passwd' %}"),
        C("{% import 'macros.j2' as m %}{{ m.shout('x') }}", files: ["macros.j2": "{% macro shout(s) %}{{ s + 1 }}{% endmacro %}"]),
    ]

    /// Infra filters (Ansible names).
    static let infra: [RenderCase] = [
        C("{{ cluster|to_yaml }}{{ nodes|to_nice_yaml }}", nodes),
        C("{{ nodes|to_yaml(indent=4) }}", nodes),
        C("{{ {'s': '123', 'b': 'yes', 'e': '', 'n': 'null', 'c': 'a: b', 'h': '# x', 'l': 'multi\\nline', 'q': \"it's\", 't': 'tab\\tx', 'u': 'é', 'f': 1.0, 'g': 1e20, 'k': '- x', 'dt': '2020-01-01'}|to_yaml }}"),
        C("{{ 'plain'|to_yaml }}{{ 5|to_yaml }}{{ []|to_yaml }}{{ {}|to_nice_yaml }}{{ [[1, 2], [], {}]|to_nice_yaml }}"),
        C("{{ {'long': 'word ' * 30}|to_yaml }}"),
        C("{{ cluster|to_json }} {{ nodes[0]|to_json(indent=2) }} {{ {'b': 1, 'a': 'é'}|to_json(sort_keys=true) }}", nodes),
        C("{{ 'hello'|b64encode }} {{ 'aGVsbG8='|b64decode }} {{ 'é'|b64encode }}"),
        C("{{ '/a/b/c.yaml'|basename }} {{ '/a/b/c.yaml'|dirname }} {{ 'c'|dirname }}| {{ '/'|dirname }} {{ 'a/'|basename }}|"),
        C("{{ 'v1.9.1'|regex_replace('^v', '') }} {{ 'a-b-c'|regex_replace('-', '_') }} {{ 'abc123'|regex_replace('([a-z]+)(\\\\d+)', '\\\\2\\\\1') }} {{ 'AbC'|regex_replace('b', 'x', ignorecase=true) }}"),
        C("{{ 'host-12'|regex_search('\\\\d+') }} {{ 'nomatch'|regex_search('\\\\d+') }} {{ 'k=v'|regex_search('(\\\\w)=(\\\\w)', '\\\\1', '\\\\2') }}"),
        C("{{ 'simple'|quote }} {{ 'has space'|quote }} {{ \"it's\"|quote }} {{ ''|quote }}"),
    ]


    /// Realistic talconfig-style templates and more corners of the language.
    static let talconfig: [RenderCase] = [
        C("""
        #% set controllers = nodes | selectattr('controlPlane') | list %#
        clusterName: #{ cluster.name }#
        endpoint: #{ cluster.endpoint }#
        nodes:
        #% for n in nodes %#
          - hostname: "#{ n.hostname }#"
            ipAddress: "#{ n.ip }#"
            controlPlane: #{ n.controlPlane | lower }#
            #% if n.disks %#
            installDisk: "#{ n.disks | first }#"
            #% endif %#
            #% if n.labels %#
            nodeLabels:
              #% for k, v in n.labels | dictsort %#
              #{ k }#: "#{ v }#"
              #% endfor %#
            #% endif %#
        #% endfor %#
        # #{ controllers | length }# controllers: #{ controllers | map(attribute='hostname') | join(', ') }#

        """, nodes, trim: true, lstrip: true, delimiters: ["#%", "%#", "#{", "}#", "#|", "|#"]),
        C("""
        {% for n in nodes -%}
        {{ '%-6s %s' % (n.hostname, n.ip) }}{{ ' (cp)' if n.controlPlane }}
        {% endfor -%}
        {{ version.split('.')[0] }} {{ version.lstrip('v').split('.') | map('int') | list }}
        {{ port | default(6443, true) }} {{ empty | default('x', true) }} {{ cluster.missing | default('dflt') }}
        """, nodes),
        C("{{ nodes | map(attribute='labels') | map('length') | sum }} {{ nodes | selectattr('disks') | map(attribute='disks') | map('join', ',') | list }}", nodes),
        C("{{ nodes | groupby('controlPlane') | map('first') | list }} {{ (nodes | groupby('controlPlane'))[0].list | length }}", nodes),
        C("{% set ns = namespace(found=false) %}{% for n in nodes %}{% if n.hostname == 'w-1' %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}", nodes),
        C("{% for n in nodes if n.labels.zone is defined %}{{ n.hostname }}:{{ n.labels.zone }};{% endfor %}", nodes),
        C("{% for n in nodes %}{% for d in n.disks %}{{ loop.index }}/{{ loop.length }}{{ d }} {% else %}none {% endfor %}{% endfor %}", nodes),
        C("{% import 'lib.j2' as lib with context %}{{ lib.show() }}", #"{"who": "ctx"}"#, files: ["lib.j2": "{% macro show() %}{{ who }}{% endmacro %}"]),
        C("{% from 'lib.j2' import show with context %}{{ show() }}", #"{"who": "ctx"}"#, files: ["lib.j2": "{% macro show() %}{{ who }}{% endmacro %}"]),
        C("{% set who = 'top' %}{% include 'part.j2' %}", files: ["part.j2": "{{ who }}"]),
        C("{% macro outer() %}[{% macro inner(x) %}<{{ x }}>{% endmacro %}{{ inner(1) }}{{ inner(2) }}]{% endmacro %}{{ outer() }}"),
        C("{% macro m(a, b=2, c=3) %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(1, c=9) }} {{ m.arguments }} {{ m.name }}"),
        C("{% macro field(name) %}{{ name }}={{ caller() if caller is defined else 'none' }}{% endmacro %}{{ field('a') }}"),
        C("{% macro table(rows) %}{% for r in rows %}{{ caller(r, loop.index) }}{% endfor %}{% endmacro %}{% call(row, i) table(['a', 'b']) %}{{ i }}:{{ row }};{% endcall %}"),
        C("{% filter replace('a', 'A') | upper %}banana {{ 'split' }}{% endfilter %}"),
        C("{% set x %}{% for i in range(3) %}{{ i }}{% endfor %}{% endset %}{{ x | length }} {{ x }}"),
        C("{% if a %}A{% elif b %}B{% elif c %}C{% else %}D{% endif %}", #"{"a": 0, "b": "", "c": [0]}"#),
        C("{{ 'a' if x else 'b' if y else 'c' }}", #"{"x": false, "y": true}"#),
        C("{{ x is not defined }} {{ x is not none }} {{ 'a' not in 'bcd' }} {{ not x is defined }}", #"{"x": null}"#),
        C("{{ 1 < 2 > 1 }} {{ 3 > 2 > 1 }} {{ 1 == 1 != 2 }} {{ 'b' in 'abc' in 'xabcx' }}"),
        C("{{ '{{ not a tag }}' }} {{ \"{% nor this %}\" }} {# {{ ignored }} #}done"),
        C("{{ x['a-b'] }} {{ x['with space'] }} {{ x.get('a-b') }}", #"{"x": {"a-b": 1, "with space": 2}}"#),
        C("{{ d.items | list }}", #"{"d": {"items": 5}}"#),
        C("{{ d['items'] }} {{ d.keys() | list }} {{ d.values() | list }}", #"{"d": {"items": 5, "keys": 6}}"#),
        C("{{ l.0 }} {{ l[1:] }} {{ l | batch(2) | map('sum') | list }} {{ l | sum / l | length }}", #"{"l": [3, 4, 5]}"#),
        C("{{ '%s' % none }} {{ '%s|%s' % (true, 1.0) }} {{ '%r' % [1, 'a'] }} {{ '%5.1f%%' % 12.345 }} {{ '%03d' % -7 }}"),
        C("{{ '%(a)s %(a)s' % {'a': 'twice'} }} {{ '%c%c' % (72, 'i') }} {{ '%#o %#x' % (8, 255) }}"),
        C("{{ '{:>8.3f}|{:<+6d}|{:^9}|{:*^9}'.format(3.14159, 42, 'mid', 'x') }} {{ '{0:,} {0:_}'.format(1234567) }} {{ '{:.1%}'.format(0.256) }}"),
        C("{{ '{a.x} {b[0]}'.format(a={'x': 1}, b=[2]) }}"),
        C("{{ 'Hello {name}, you are {age}'.format(name='Ann', age=30) }} {{ '{} {}'.format('only') }}"),
        C("{{ (1, 2) + (3,) }} {{ [1, 2] * 2 }} {{ 'ab' * 0 }}| {{ -(3) }} {{ +4 }} {{ 10 - -2 }}"),
        C("{{ 7 / 2 }} {{ 7 // 2.0 }} {{ -7 / 2 }} {{ 2 ** 0.5 }} {{ 10 % 3.5 }} {{ 1e308 * 10 }} {{ -1e308 * 10 }}"),
        C("{{ (0.1 + 0.2) | round(2) }} {{ 1.005 | round(2) }} {{ 2.5 | round(0, 'floor') }} {{ -2.5 | round(0, 'ceil') }} {{ 12345.6789 | round(-2) }}"),
        C("{{ 1 | float | string }} {{ '1.50' | float }} {{ ' 12 ' | int + 1 }} {{ '0o17' | int(base=8) }} {{ '-0x10' | int(base=16) }} {{ 3.99 | int }}"),
        C("{{ [3, 1, 2] | sort | first }} {{ [3, 1, 2] | sort(reverse=true) | last }} {{ ['a', 'B', 'c'] | sort | join }} {{ [[2, 'b'], [1, 'a']] | sort | first }}"),
        C("{{ [{'n': 'b', 'v': 2}, {'n': 'a', 'v': 1}] | sort(attribute='n') | map(attribute='v') | list }} {{ [{'a': {'b': 2}}, {'a': {'b': 1}}] | sort(attribute='a.b') | map(attribute='a.b') | list }}"),
        C("{{ ['x', 'y'] | map('upper') | join('-') }} {{ [1, 2, 3] | select('>', 1) | list }} {{ [1, 2, 3] | reject('==', 2) | list }} {{ ['a', '', 'b'] | select | join }}"),
        C("{{ nodes | selectattr('labels.zone', 'defined') | map(attribute='hostname') | list }} {{ nodes | rejectattr('labels.zone', 'defined') | list | count }}", nodes),
        C("{{ nodes | selectattr('ip', 'match', '10') | list }}", nodes),
        C("{{ 'A Title-case (string) [x] {y} <z>' | title }} {{ 'hello'.title() }} {{ 'MIXED case'.capitalize() }} {{ 'ǅungla' | upper }}"),
        C("{{ '  a\\tb\\n c  ' | trim }}| {{ 'x' | center(5) }}| {{ 'abcdef' | truncate(4, true, '') }} {{ 'abc def ghi' | truncate(7, false, '>', 0) }}"),
        C("{{ 'line1\\nline2' | indent(4) }}|{{ 'line1\\nline2' | indent(4, true) }}|{{ '' | indent }}|{{ 'a\\n' | indent(2) }}|"),
        C("{{ 'a & b < c' | escape | replace('&amp;', 'and') }} {{ ('<b>' | safe) ~ '<' }} {{ 'x' | forceescape | length }}"),
        C("{{ 'The quick brown fox' | wordcount }} {{ 'αβγ δ' | wordcount }} {{ '' | wordcount }}"),
        C("{{ 100000 | filesizeformat }} {{ 1048576 | filesizeformat(binary=true) }} {{ 0 | filesizeformat }} {{ 2.5e9 | filesizeformat }}"),
        C("{{ {'k': [1, {'n': none}], 'a': 'é'} | tojson }} {{ 'a\\nb' | tojson }} {{ none | tojson }} {{ 1.0 | tojson }} {{ [true, false] | tojson }}"),
        C("{{ cluster | to_nice_yaml(indent=2) }}{{ [1, [2, [3]]] | to_yaml }}{{ {'a': {'b': {'c': []}}} | to_nice_yaml }}", nodes),
        C("{{ {'key with: colon': 'v', 'n': 1, 'list': ['- dash', '#hash', 'ok']} | to_nice_yaml }}"),
        C("{{ 'multi\\nline\\ntext\\n' | to_yaml }}{{ {'script': 'echo 1\\necho 2\\n'} | to_nice_yaml }}"),
        C("{{ 'a' | to_json }} {{ {'b': [1, 2.5, none]} | to_json(indent=2) }} {{ 'é' | to_json }}"),
        C("{{ 'k8s.io/x' | regex_replace('[./]', '-') }} {{ 'Node-01' | regex_replace('(?P<p>[A-Za-z]+)-(\\\\d+)', '\\\\g<2>-\\\\g<p>') | lower }} {{ 'aaa' | regex_replace('a', 'b', count=2) }}"),
        C("{{ 'ip=10.0.0.1 mask=16' | regex_search('ip=(\\\\S+)', '\\\\1') }} {{ 'ABC' | regex_search('b', ignorecase=true) }} {{ 'x\\ny' | regex_search('^y', multiline=true) }}"),
        C("{{ ('a b' ~ \"'\") | quote }} {{ 'safe-chars_1.2/3:4@5' | quote }} {{ 'dollar$' | quote }}"),
        C("{{ 'dGFsb3M=' | b64decode }} {{ 'talos' | b64encode | b64decode }} {{ '' | b64encode }}|"),
        C("{{ 'dir/sub/' | basename }}| {{ 'dir/sub/' | dirname }} {{ '//a//b' | dirname }} {{ 'file' | basename }}"),
        C("{% for i in range(2) %}{% for j in range(2) %}{{ loop.depth }}{{ loop.index }}{% endfor %}{% endfor %}"),
        C("{% for i in [1, 2, 3] %}{% if loop.first %}[{% endif %}{{ i }}{% if loop.last %}]{% else %},{% endif %}{% endfor %}"),
        C("{% for a in [[1, 2], [3]] %}{% for b in a %}{{ loop.revindex }}{% endfor %};{% endfor %} {% for x in 'ab' %}{{ loop.cycle(1, 2, 3) }}{% endfor %}"),
        C("{% for x in [1, 2] %}{{ loop.previtem is defined }}{{ loop.nextitem is undefined }} {% endfor %}"),
        C("{% for x in [3, 1, 2] | sort %}{{ x }}{% endfor %} {% for k, v in {'b': 2, 'a': 1} | dictsort %}{{ k }}{{ v }}{% endfor %}"),
        C("{% for x in range(5) %}{% if loop.index is divisibleby 2 %}{{ x }}{% endif %}{% endfor %} {{ range(10) | select('even') | list }}"),
        C("{% set items = ['a', 'b'] %}{% for i in items %}{% set items = [] %}{{ i }}{% endfor %}{{ items }}"),
        C("{% set a = 1 %}{% if true %}{% set a = 2 %}{% endif %}{{ a }}"),
        C("{% set t = 'x' %}{% with %}{% set t = 'y' %}{{ t }}{% endwith %}{{ t }}"),
        C("{% set f = '{}-{}'.format %}{{ f(1, 2) }}"),
        C("{{ '%s' | format(1, 2) }}"),
        C("{% for %}{% endfor %}"),
        C("{% endfor %}"),
        C("{% if x %}{% else %}{% else %}{% endif %}", #"{"x": 1}"#),
        C("{{ x.1a }}", #"{"x": [1, 2]}"#),
        C("{% include %}"),
        C("{% set x = %}"),
        C("{% macro %}{% endmacro %}"),
        C("{{ }}"),
        C("{{ 1 2 }}"),
        C("{{ [1, 2 }}"),
        C("{{ (1, 2] }}"),
        C("{% raw %}unclosed"),
        C("{# unclosed comment"),
        C("{{ 'a' ~ }}"),
        C("""
        {% for s in samples %}{% for w in [5, 8, 12] %}[{{ s | wordwrap(w) }}][{{ s | wordwrap(w, break_on_hyphens=false) }}][{{ s | wordwrap(w, break_long_words=false) }}]
        {% endfor %}{% endfor %}
        """, #"{"samples": ["well-known self-contained e-mail", "a--b -x- y-", "supercalifragilistic expialidocious", "  lead  double  spaces ", "tab\tseparated words", "one\ntwo three four\n\nsix", "x-y-z-w long-hyphenated-word-chain", "emdash—word and 123-456"]}"#),
        C("{{ 'abc' | wordwrap(0) }}"),
        C("{% extends 'base.j2' %}", files: ["base.j2": "[{% block body required %}{% endblock %}]"]),
        C("{% extends 'base.j2' %}{% block body %}filled{% endblock %}", files: ["base.j2": "[{% block body required %}{% endblock %}]"]),
        C("{% block body required %}x{% endblock %}"),
        C("{% for a in [1, 2] %}{% set outer = loop %}{% for b in 'xy' %}{{ outer.index }}{{ loop.index }} {% endfor %}{% endfor %}"),
        C("{{ loop.index }}|", lenient: true),
        C("{% for i in range(3) %}{{ i }}{% set i = 5 %}{{ i }}{% endfor %}"),
        C("{% macro m() %}{{ loop }}{% endmacro %}{% for x in [1] %}[{{ m() }}]{% endfor %}", lenient: true),
        C("{% for x in [1, 2] %}{% macro m() %}{{ x }}{% endmacro %}{{ m() }}{% endfor %}"),
        C("{% set x = x + 1 %}{{ x }}{% set nodes = nodes | selectattr('controlPlane') | list %}{{ nodes | length }}", #"{"x": 1, "nodes": [{"controlPlane": true}, {"controlPlane": false}]}"#),
        C("{% set d = {} %}{% for n in ['a', 'b'] %}{% set _ = d.update({n: loop.index}) %}{% endfor %}{{ d }}"),
        C("{% set l = [] %}{% for n in range(3) %}{% if n is odd %}{% set _ = l.append(n) %}{% endif %}{% endfor %}{{ l }}"),
        C("{% for x in [1] %}{% set y = 'in' %}{% endfor %}{{ y }}|", lenient: true),
        C("{% if true %}{% set y = 'in-if' %}{% endif %}{{ y }}"),
        C("{% for x in [1, 2] %}{% if loop.first %}{% set y = 'first' %}{% endif %}{{ y }};{% endfor %}", lenient: true),
        C("{% macro m() %}{% set inner = 1 %}{{ inner }}{% endmacro %}{{ m() }}{{ inner }}|", lenient: true),
        C("{% set ns = namespace(items=[]) %}{% for x in [3, 1] %}{% set ns.items = ns.items + [x] %}{% endfor %}{{ ns.items | sort }}"),
        C("{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% for t in ['a', 'b'] %}{% call wrap(t) %}{{ t | upper }}{{ loop.index }}{% endcall %}{% endfor %}"),
        C("{% extends 'base.j2' %}{% block content %}{% for i in range(2) %}{{ i }}{{ super() }}{% endfor %}{% endblock %}",
          files: ["base.j2": "[{% block content %}B{% endblock %}]"]),
        C("{% extends 'base.j2' %}{% block content %}{{ self.title() }}-{{ title_var }}{% endblock %}{% block title %}T{% endblock %}",
          #"{"title_var": 1}"#, files: ["base.j2": "{% block title %}{% endblock %}:{% block content %}{% endblock %}"]),
        C("{% include 'row.j2' %}", #"{"rows": [1, 2]}"#, files: ["row.j2": "{% for r in rows %}{% include 'cell.j2' %}{% endfor %}", "cell.j2": "({{ r }})"]),
        C("{% for s in samples %}{{ s | urlize }}\n{% endfor %}", #"{"samples": ["visit https://example.com now", "see (http://x.org/a_(b)) and www.test.io.", "mail me@example.com or mailto:a@b.co", "<https://a.b/c?d=1&e=2>", "example.com and foo.net, bar.xyz", "http://10.0.0.1:8080/path", "no links", "trail https://x.io/... end", "ftp://nope.org", "it's a 'quote' & <tag>", "http://[::1]/x"]}"#),
        C("{{ x | default }}{{ y | default(none) }}|", lenient: true),
        C("{{ undefined_name | default(omitted) }}", lenient: true),
    ]

    static var all: [RenderCase] {
        values + expressions + statements + methods + filters + tests + undefined + whitespace + loading + infra + talconfig
            + DivergenceCases.all
    }
}
