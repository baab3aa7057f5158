"""Hostile text for every field: markup, script breakouts, template expressions, URL tricks.

Each executing payload would set ``window.__pwned`` (or open a dialog) if it ever ran; the
template payload ``TOUCH`` would create a file if it were ever evaluated by Jinja2.
"""

from __future__ import annotations

import csv
from pathlib import Path

#: Replaced by a per-test path: the file that a evaluated template would create.
MARKER = "@MARKER@"

TEXT_PAYLOADS = [
    ("img-onerror", '<img src=x onerror="window.__pwned=1">'),
    ("svg-onload", "<svg onload=window.__pwned=1>"),
    ("script-tag", "<script>window.__pwned=1</script>"),
    ("script-close", "</script><script>window.__pwned=1</script>"),
    ("script-close-upper", "</SCRIPT ><script>window.__pwned=1</script >"),
    ("html-comment", "<!--<script>window.__pwned=1</script>-->"),
    ("style-close", "</style><img src=x onerror=window.__pwned=1>"),
    ("title-close", "</title><script>window.__pwned=1</script>"),
    ("textarea-close", "</textarea><img src=x onerror=window.__pwned=1>"),
    ("attr-double", '" onmouseover="window.__pwned=1" x="'),
    ("attr-single", "' onfocus='window.__pwned=1' autofocus='"),
    ("iframe-srcdoc", '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>'),
    ("details-ontoggle", "<details open ontoggle=window.__pwned=1>"),
    ("a-javascript", '<a href="javascript:window.__pwned=1">click</a>'),
    ("template-literal", "`${window.__pwned=1}`"),
    ("backtick-break", "`); window.__pwned=1; (`"),
    ("js-string-break", "'); window.__pwned=1; ('"),
    ("json-break", '"}]; window.__pwned=1; [{"'),
    ("backslash-path", "C:\\data\\2019\\"),
    ("backslash-escapes", "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e \\x3c \\"),
    ("unicode-lookalike", "\uff1cscript\uff1ewindow.__pwned=1\uff1c/script\uff1e"),
    ("line-separators", "first\u2028second\u2029third"),
    ("jinja-expression", "{{ 7*7 }}"),
    ("jinja-statement", "{% for x in range(3) %}{{ x }}{% endfor %}"),
    ("jinja-comment", "{# hidden #}shown"),
    ("jinja-touch", "{{ cycler.__init__.__globals__.os.popen('touch " + MARKER + "').read() }}"),
    ("jinja-raw", "{% raw %}{{ 1 }}{% endraw %}"),
    ("nul-and-controls", "before\x00after\x07\x1b[31m"),
    ("bidi-override", "abc\u202eevil.exe\u202c txt \u2066x\u2069"),
    ("arabic", "الجسر الجوي بين كراكاس ودمشق وطهران"),
    ("persian", "پل هوایی کاراکاس دمشق تهران"),
    ("chinese", "委内瑞拉与伊朗的合作"),
    ("cyrillic", "Сотрудничество Венесуэлы и Ирана"),
    ("emoji", "⛽🛢️✈️ 🇻🇪🇮🇷"),
    ("entities", "&lt;script&gt;window.__pwned=1&lt;/script&gt; &amp; &#60;b&#62;"),
    ("very-long", "Long value " + "x" * 10_000),
]

URL_PAYLOADS = [
    ("javascript", "javascript:window.__pwned=1"),
    ("javascript-case", "JaVaScRiPt:window.__pwned=1"),
    ("javascript-tab", "java\tscript:window.__pwned=1"),
    ("javascript-space", "  javascript:window.__pwned=1"),
    ("javascript-control", "\x01javascript:window.__pwned=1"),
    ("javascript-entity", "javascript&#58;window.__pwned=1"),
    ("data-html", "data:text/html,<script>window.__pwned=1</script>"),
    ("vbscript", "vbscript:msgbox(1)"),
    ("protocol-relative", "//evil.example/x"),
    ("relative", "../../etc/passwd"),
    ("no-host", "https:///path-only"),
    ("http-quote-breakout", 'https://example.org/"><script>window.__pwned=1</script>'),
]

#: URLs that are allowed: links must be made for these, and only these.
SAFE_URLS = ["https://example.org/safe?q=1&x=2", "http://example.com/a%20b"]


def payloads(marker: Path) -> list[tuple[str, str]]:
    return [(name, text.replace(MARKER, str(marker))) for name, text in TEXT_PAYLOADS]


def write_dataset(folder: Path, marker: Path) -> dict:
    """A valid dataset whose every free-text field holds payloads; returns what was written."""
    folder.mkdir(parents=True, exist_ok=True)
    texts = payloads(marker)
    urls = [url for _, url in URL_PAYLOADS] + SAFE_URLS
    places, sources, events = [], [], []
    for i, (_, text) in enumerate(texts):
        places.append({
            "id": f"p{i}", "name": f"{text} #{i}", "aliases": f"alias {i} {text.replace(';', ',')}",
            "kind": "city", "admin1": text, "country": "VE",
            "lat": f"{-40 + (i % 12) * 6:.4f}", "lon": f"{-70 + (i // 12) * 40:.4f}",
            "precision": ["exact", "city", "region"][i % 3], "note": text,
        })
        sources.append({
            "id": f"s{i}", "title": text, "outlet": text, "author": text, "published": "2020-05",
            "url": urls[i % len(urls)] if i % 3 else text, "archive_url": "",
            "language": "en", "note": text,
        })
    for i, (_, text) in enumerate(texts):
        nxt = (i + 1) % len(texts)
        events.append({
            "id": f"e{i}", "date": "2020-05", "end_date": "",
            "kind": ["visit", "flight", "statement"][i % 3], "title": text, "summary": text,
            "actors": text, "places": f"p{i}" if i % 3 != 1 else f"p{i} > p{nxt}",
            "carrier": text, "confidence": ["confirmed", "reported", "alleged"][i % 3],
            "sources": f"s{i}; s{(i + 1) % len(texts)}", "evidence": text,
        })
    for name, rows in (("places", places), ("sources", sources), ("events", events)):
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return {"places": places, "sources": sources, "events": events}
