"""Hostile text for every free-text field of the data, and a valid dataset made of it.

``PAYLOADS`` is a list of ``(name, payload)`` pairs: markup with event handlers, script-closing
sequences, attribute breakouts, JavaScript/JSON string breakouts and escapes, template
expressions (Jinja2 and others), URL-scheme tricks, very long values, control and bidi
characters, non-Latin scripts and emoji. Every payload that would execute sets
``window.__pwned`` (some also call ``alert``), so a test can tell whether any of it ran.

``TOUCH`` is the canary for template evaluation: it holds the placeholder ``MARKER``, which
``payloads(marker)`` replaces with a per-run path; if Jinja2 ever evaluated it, that file would
exist.

``write_dataset(folder, marker)`` writes places.csv, sources.csv and events.csv (the columns of
tests/fixtures/basic) with one event, one source and one place per payload, every free-text field
holding it. Where a payload cannot go into a field as it is, this is why:

* ``id`` columns must be slugs, and dates, kinds, confidence levels, countries, coordinates and
  precisions come from vocabularies: they stay valid so that the dataset validates.
* A place's name and aliases must each name one place after case, accent and white-space
  folding (the gazetteer looks places up by them), and payloads such as
  ``javascript:…`` / ``JaVaScRiPt:…`` fold alike: a name or alias that would collide with an
  earlier place's gets `` #<n>`` appended. Aliases are a ``;``-separated list, so a payload
  containing ``;`` becomes several aliases.
* ``sources.csv`` ``url`` must be an http(s) URL with a host for the dataset to validate. By
  default the url column holds the payload when it is such a URL (tricky but legitimate ones are
  in the corpus) and otherwise ``https://example.org/source/<n>?a=1&b=2``; with
  ``hostile_urls=True`` every url cell holds its payload verbatim (``javascript:``, ``data:``,
  ``//host`` …). That dataset does not validate; render it through ``geomap.assemble`` and
  ``geomap.render`` directly to prove the page itself refuses to link such URLs.
* ``archive_url`` is checked like ``url`` and never shown; it stays empty.
* Events cite sources by id and name their stops by place id, so those columns stay ids.
"""

from __future__ import annotations

import csv
from pathlib import Path

from geomap.gazetteer import fold
from geomap.safety import safe_url
from geomap.schema import (
    CONFIDENCE_LEVELS,
    EVENT_COLUMNS,
    EVENT_KINDS,
    PLACE_COLUMNS,
    PLACE_KINDS,
    PLACE_PRECISIONS,
    ROUTE_KINDS,
    SOURCE_COLUMNS,
    split_list,
)

#: Replaced by ``payloads(marker)`` with the path an evaluated template would create.
MARKER = "/tmp/geomap-pwned-MARKER"

TOUCH = "{{ cycler.__init__.__globals__.os.popen('touch " + MARKER + "').read() }}"

#: Names that are also keys of every JavaScript object: as actors they become keys of the page's
#: lookup tables (``__proto__`` once polluted ``Object.prototype`` and stopped the map loading).
PROTOTYPE_KEYS = "__proto__; constructor; toString; hasOwnProperty"

_LONG_WORDS = ("Long value <b>bold?</b> {{ 7*7 }} " * 400)[:10_000]
_LONG_TOKEN = "L" + "x" * 9_998 + "!"

PAYLOADS: list[tuple[str, str]] = [
    # ---- HTML: tags with event handlers, element and comment breakouts ----
    ("img-onerror", "<img src=x onerror=\"window.__pwned=1;alert('img')\">"),
    ("svg-onload", "<svg onload=window.__pwned=1>"),
    ("script-tag", "<script>window.__pwned=1;alert(1)</script>"),
    ("script-close", "</script><script>window.__pwned=1</script>"),
    ("script-close-case", "</ScRiPt ><script >window.__pwned=1</script\t>"),
    ("comment-open", "<!--"),
    ("comment-script", "<!--<script>window.__pwned=1</script>-->"),
    ("cdata", "<![CDATA[</script><script>window.__pwned=1</script>]]>"),
    ("style-close", "</style><img src=x onerror=window.__pwned=1>"),
    ("title-close", "</title><script>window.__pwned=1</script>"),
    ("textarea-close", "</textarea><img src=x onerror=window.__pwned=1>"),
    ("iframe-srcdoc", "<iframe srcdoc=\"<script>parent.__pwned=1</script>\"></iframe>"),
    ("details-ontoggle", "<details open ontoggle=window.__pwned=1>x</details>"),
    ("math-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=window.__pwned=1>"),
    ("a-javascript", "<a href=\"javascript:window.__pwned=1\">click me</a>"),
    ("entities", "&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp;amp; &#60;b&#62; &#x3c;i>"),
    # ---- attribute breakouts ----
    ("attr-double", "\" onmouseover=\"window.__pwned=1\" x=\""),
    ("attr-single", "' onfocus='window.__pwned=1' autofocus='"),
    ("attr-unquoted", "x/onmouseover=window.__pwned=1 style=position:fixed;inset:0"),
    # ---- JavaScript / JSON: template literals, string breakouts, backslash escapes ----
    ("template-literal", "`${window.__pwned=1}`"),
    ("backtick-break", "`); window.__pwned=1; (`"),
    ("js-string-break", "'); window.__pwned=1; //"),
    ("json-break", "\"}]}; window.__pwned=1; //"),
    ("backslash", "\\"),
    ("backslash-quote", "\\\"); window.__pwned=1; //\\"),
    ("windows-path", "C:\\data\\2019\\new\\table.csv"),
    ("escape-sequences", "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e \\x3c \\0 "
                         "\\u{1F600} \\ud83d \\n\\t"),
    ("line-separators", "first\u2028second\u2029third"),
    ("fullwidth-tags", "\uff1cscript\uff1ewindow.__pwned=1\uff1c/script\uff1e"),
    ("js-object-keys", PROTOTYPE_KEYS),
    # ---- template expressions ----
    ("jinja-expression", "{{ 7*7 }}"),
    ("jinja-for", "{% for x in range(3) %}{{ x }}{% endfor %}"),
    ("jinja-comment", "{# hidden #}shown"),
    ("jinja-raw-break", "{% endraw %}{{ 7*7 }}{% raw %}"),
    ("jinja-macro", "{% macro html(this, kwargs) %}{{ 7*7 }}{% endmacro %}"),
    ("jinja-touch", TOUCH),
    ("other-templates", "<%= 7*7 %> ${7*7} #{7*7} [[7*7]] {{{7*7}}} %(x)s {0.__class__}"),
    ("geomap-placeholders", "@@GEOMAP_SCRIPT@@ @@GEOMAP_DATA@@ @@GEOMAP_TITLE@@"),
    # ---- URL scheme tricks (as text everywhere, and as the source url) ----
    ("javascript-url", "javascript:window.__pwned=1"),
    ("javascript-mixed-case", "JaVaScRiPt:window.__pwned=1"),
    ("javascript-tab", "java\tscript:window.__pwned=1"),
    ("javascript-newline", "java\nscript:window.__pwned=1"),
    ("javascript-leading-space", "   javascript:window.__pwned=1"),
    ("javascript-leading-controls", "\x01\x02\x1fjavascript:window.__pwned=1"),
    ("javascript-entity", "javascript&colon;window.__pwned=1"),
    ("javascript-slashes", "javascript://example.org/%0Awindow.__pwned=1"),
    ("data-html", "data:text/html,<script>window.__pwned=1</script>"),
    ("data-base64", "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX19wd25lZD0xPC9zY3JpcHQ+"),
    ("vbscript", "vbscript:msgbox(1)"),
    ("protocol-relative", "//evil.example/x"),
    ("relative", "../x"),
    ("no-host", "https:///path-only"),
    ("no-slashes", "http:evil.example"),
    # http(s) URLs that are legitimate links however odd they look:
    ("https-quote-in-path", "https://example.org/'onmouseover='window.__pwned=1"),
    ("https-encoded-script", "https://example.org/?q=%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E#x"),
    ("https-upper-case", "HTTPS://EXAMPLE.ORG/Upper"),
    ("https-userinfo", "https://user:pass@example.org@evil.example/"),
    # ---- size, control and bidi characters ----
    ("very-long-words", _LONG_WORDS),
    ("very-long-token", _LONG_TOKEN),
    ("nul", "before\x00after"),
    ("control-characters", "bell\x07 esc\x1b[31mred\x1b[0m del\x7f c1\x85\x9b"),
    ("bidi-override", "invoice\u202egnp.exe\u202c \u2066isolate\u2069 \u202bembed\u202c"),
    ("zero-width", "zero\u200bwidth\u200djoin\ufeffbom"),
    ("newlines", "line one\nline two\r\nline three"),
    ("separators", "a; b > c | d # e & f = g"),
    ("csv-formula", "=HYPERLINK(\"javascript:window.__pwned=1\",\"x\")"),
    # ---- scripts and emoji ----
    ("arabic", "الجسر الجوي بين كراكاس ودمشق وطهران"),
    ("persian", "پل هوایی کاراکاس، دمشق و تهران"),
    ("chinese", "委内瑞拉与伊朗的合作：油轮与航班"),
    ("cyrillic", "Сотрудничество Венесуэлы и Ирана"),
    ("hebrew-mixed", "שלום abc 123 עולם"),
    ("combining-marks", "Z\u0338\u0321a\u0337l\u0336g\u0335o T\u00e1chira Ta\u0301chira"),
    ("emoji", "⛽🛢️✈️ 🇻🇪🇮🇷 👩🏽‍💻 🏳️‍🌈"),
]

#: The payloads that execute if they ever run (for documentation; all are harmless as text).
EXECUTING = [name for name, text in PAYLOADS if "__pwned" in text or "alert" in text]


def payloads(marker: Path | str) -> list[tuple[str, str]]:
    """The corpus with ``MARKER`` replaced by ``marker`` (a per-run path)."""
    return [(name, text.replace(MARKER, str(marker))) for name, text in PAYLOADS]


def slug(name: str) -> str:
    return name.lower()


def _write(path: Path, columns, rows: list[dict]):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


def _unique(text: str, n: int, pid: str, owners: dict[str, str]) -> str:
    """``text``, or ``text #n`` if its folded form already names another place."""
    key = fold(text)
    if key and owners.get(key, pid) != pid:
        text = f"{text} #{n}"
        key = fold(text)
    owners.setdefault(key, pid)
    return text


def write_dataset(
    folder: Path,
    marker: Path | str,
    *,
    hostile_urls: bool = False,
    corpus: list[tuple[str, str]] | None = None,
) -> dict:
    """Write the hostile dataset to ``folder``; return the rows written, by file.

    One place (``p000`` …), one source (``s000`` …) and one event (``e000-<name>`` …) per
    payload of ``corpus`` (default: ``payloads(marker)``). Each event cites its own source and the
    next one, and stands at its own place (flights and shipments go on to the next place). See
    the module docstring for the fields that cannot hold a payload as it is.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    texts = payloads(marker) if corpus is None else corpus
    n = len(texts)
    owners: dict[str, str] = {}
    places, sources, events = [], [], []
    for i, (_, text) in enumerate(texts):
        pid = f"p{i:03d}"
        owners[pid] = pid
        name = _unique(text.strip(), i, pid, owners)
        aliases = [_unique(alias, i, pid, owners) for alias in split_list(text)]
        places.append({
            "id": pid, "name": name, "aliases": ";".join(aliases),
            "kind": PLACE_KINDS[i % len(PLACE_KINDS)], "admin1": text, "country": "VE",
            # A 10 x 8 grid over the world, so every place is far from the others.
            "lat": f"{-55 + (i // 10) * 16:.4f}", "lon": f"{-162 + (i % 10) * 36:.4f}",
            "precision": PLACE_PRECISIONS[i % len(PLACE_PRECISIONS)], "note": text,
        })
        url = text if hostile_urls else safe_url(text) or f"https://example.org/source/{i}?a=1&b=2"
        sources.append({
            "id": f"s{i:03d}", "title": text, "outlet": text, "author": text,
            "published": f"{2015 + i % 10}-{i % 12 + 1:02d}", "url": url, "archive_url": "",
            "language": "en", "note": text,
        })
    for i, (name, text) in enumerate(texts):
        kind = EVENT_KINDS[i % len(EVENT_KINDS)]
        stops = f"p{i:03d}"
        if kind in ROUTE_KINDS or i % 7 == 2:  # routes, and a few visits with an origin
            stops += f" > p{(i + 1) % n:03d}"
        events.append({
            "id": f"e{i:03d}-{slug(name)}",
            "date": f"{2015 + i % 10}-{i % 12 + 1:02d}",
            "end_date": f"{2016 + i % 10}" if i % 5 == 0 else "",
            "kind": kind, "title": text, "summary": text, "actors": text, "places": stops,
            "carrier": text, "confidence": CONFIDENCE_LEVELS[i % len(CONFIDENCE_LEVELS)],
            "sources": f"s{i:03d}; s{(i + 1) % n:03d}", "evidence": text,
        })
    _write(folder / "places.csv", PLACE_COLUMNS, places)
    _write(folder / "sources.csv", SOURCE_COLUMNS, sources)
    _write(folder / "events.csv", EVENT_COLUMNS, events)
    return {"places": places, "sources": sources, "events": events}
