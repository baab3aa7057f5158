"""Text and links from the data, made safe to show.

The map builds every element in the browser with ``textContent`` from JSON, so no string from a
CSV is ever parsed as HTML or evaluated as a template. These functions clean what goes into that
JSON: control and bidirectional-override characters are dropped, and a link survives only if it is
plain ``http``/``https`` with a host.
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import urlsplit

#: Explicit bidirectional embeddings, overrides and isolates (the "Trojan Source" characters).
_BIDI_CONTROLS = {
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
}


#: Control characters (category Cc) but tab and newline, bidi controls, and lone surrogates.
_UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "\ud800-\udfff]"
)


def clean_text(text: str) -> str:
    """Drop control, bidi-override and lone-surrogate characters; keep every other character.

    >>> clean_text("ok\\u202eevil\\x00")
    'okevil'
    """
    return _UNSAFE_CHARACTERS.sub("", text)


#: ASCII characters that RFC 3986 never allows unencoded in a URL.
_NOT_IN_URLS = set('"<>\\^`{|}')


def safe_url(url: str) -> str | None:
    """The URL if it is ``http``/``https`` with a host, else ``None``.

    >>> safe_url(" https://example.org/a ")
    'https://example.org/a'
    >>> safe_url("java\\tscript:alert(1)") is None
    True
    """
    url = url.strip()
    if not url or any(
        ch.isspace() or ch in _NOT_IN_URLS or unicodedata.category(ch) in ("Cc", "Cf")
        for ch in url
    ):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number 0-65535
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


_SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029\ud800-\udfff]")


def json_for_script(value) -> str:
    """JSON that can sit inside ``<script type="application/json">`` whatever strings it holds.

    ``<``, ``>`` and ``&`` become ``\\u003c`` etc., so ``</script>`` and ``<!--`` cannot end or
    change the element. Lone surrogates are escaped too, so the result always encodes as UTF-8.

    >>> json_for_script(["</script>", "\\ud800"])
    '["\\\\u003c/script\\\\u003e","\\\\ud800"]'
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
