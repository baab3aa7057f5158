"""Text and links from the data, made safe to show.

The map builds every element in the browser with ``textContent`` from JSON, so no string from a
CSV is ever parsed as HTML or evaluated as a template. These functions clean what goes into that
JSON: control and bidirectional-override characters are dropped, and a link survives only if it is
plain ``http``/``https`` with a host.
"""

from __future__ import annotations

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
    if text.isascii() and text.isprintable():
        return text  # nothing to drop: the common case, without the regular expression
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


#: Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
#: A plain number, or a ``lat,lon`` pair as stops are written: data that runs nothing.
_PLAIN_DATA = re.compile(rf"^{_NUMBER}(?:\s*,\s*{_NUMBER})?$", re.ASCII)


def is_formula(cell: str) -> bool:
    """Whether a spreadsheet would run ``cell`` as a formula; plain numbers like ``-66.9`` and
    coordinate pairs like ``-33.95,151.18`` are data, not formulas.

    >>> is_formula("=HYPERLINK(1)"), is_formula("-66.9"), is_formula("-1+2")
    (True, False, True)
    >>> is_formula("-33.95,151.18"), is_formula("-33.95,151.18,cmd|' /C calc'!A0")
    (False, True)
    """
    return cell.startswith(FORMULA_STARTS) and not _PLAIN_DATA.match(cell)


def csv_cell(value, raw: bool = False):
    """A value for a CSV written for spreadsheets: a formula-like text gets a leading ``'``
    (OWASP's rule) so it shows as text; ``raw`` keeps it as it is.

    >>> csv_cell("=1+2"), csv_cell("=1+2", raw=True), csv_cell(3)
    ("'=1+2", '=1+2', 3)
    """
    if not raw and isinstance(value, str) and is_formula(value):
        return "'" + value
    return value


#: Everything a terminal could act on: C0/C1 controls (escape sequences start with ESC or CSI),
#: DEL, bidi controls and lone surrogates. Newline and tab are kept only when asked.
_TERMINAL_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f" + "".join(sorted(_BIDI_CONTROLS)) + "\ud800-\udfff]"
)


def terminal_text(text: str, *, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape (``\\x1b``, ``\\u202e``), so
    data printed to a terminal cannot retitle the window, move the cursor or erase lines.

    >>> terminal_text("ok\\x1b]0;pwned\\x07")
    'ok\\\\x1b]0;pwned\\\\x07'
    """

    def escape(match: re.Match) -> str:
        ch = match.group()
        if keep_newlines and ch in "\n\t":
            return ch
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _TERMINAL_UNSAFE.sub(escape, str(text))


def max_csv_bytes() -> int:
    """The largest data file geomap reads: ``GEOMAP_MAX_CSV_MB`` megabytes (default 100)."""
    import os

    text = os.environ.get("GEOMAP_MAX_CSV_MB", "").strip()
    try:
        megabytes = float(text) if text else 100.0
    except ValueError:
        megabytes = 100.0
    return int(megabytes * 1_000_000) if megabytes > 0 else 100_000_000


def file_kind(mode: int) -> str:
    """A person's name for what kind of file a ``st_mode`` describes."""
    import stat

    for test, name in (
        (stat.S_ISREG, "regular file"), (stat.S_ISDIR, "directory"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"), (stat.S_ISLNK, "symbolic link"),
    ):
        if test(mode):
            return name
    return "special file"


class NotRegularFile(ValueError):
    """A path that is a FIFO, a device, a directory or too large to read."""


def read_regular(path, limit: int, *, follow_links: bool = True) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ``NotRegularFile``.

    Opened without blocking and checked through the descriptor, so a FIFO cannot hang the
    reader and ``/dev/zero`` cannot fill memory. ``OSError`` (a missing file) passes through.
    """
    import os
    import stat

    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | (0 if follow_links else os.O_NOFOLLOW)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"is a {file_kind(info.st_mode)}, not a regular file")
        chunks, total = [], 0
        while chunk := os.read(fd, 1 << 20):
            total += len(chunk)
            if total > limit:
                raise NotRegularFile(f"is larger than {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
