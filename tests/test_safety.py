"""geomap.safety for any input (hypothesis), and the page script's discipline (a static check)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from geomap.safety import (
    clean_text,
    csv_cell,
    is_formula,
    read_regular,
    safe_url,
    terminal_text,
)

from .hostile import PAYLOADS

BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

#: Text that leans towards what matters here: markup, quotes, escapes, schemes, controls.
tricky_text = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from(list("<>&\"'`\\/:;{}%#$\t\n\r\x00\x0b\x1f\x7f\x85\u2028\u2029\ufeff\u200b")
                        + sorted(BIDI_CONTROLS)),
    )
)
payload_texts = st.sampled_from([text for _, text in PAYLOADS])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | tricky_text
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=20,
)


# ---- safe_url ----

def _no_space_or_control(url: str) -> bool:
    return not any(
        ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url
    )


@given(st.one_of(tricky_text, payload_texts))
@example("javascript:window.__pwned=1")
@example("java\tscript:window.__pwned=1")
@example(" \x01javascript:window.__pwned=1")
@example("https://example.org/a b")
@example("http://x:port/")
def test_safe_url_returns_none_or_an_http_url_with_a_host(text):
    url = safe_url(text)
    if url is None:
        return
    parts = urlsplit(url)
    assert parts.scheme.lower() in ("http", "https")
    assert parts.hostname
    assert _no_space_or_control(url)
    assert not set(url) & set('"<>\\`{}|^')
    # The page's own check (safeHref in geomap.js) agrees, so every URL kept becomes a link.
    assert re.match(r"^https?://[^\s/?#]+", url, re.I)


@given(
    st.sampled_from(["https", "http", "HTTPS"]),
    st.from_regex(r"[a-z0-9]{1,12}(\.[a-z]{2,6}){1,2}", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,12}){0,3}(\?[A-Za-z0-9=&%]{0,12})?",
                  fullmatch=True),
)
def test_safe_url_keeps_ordinary_links(scheme, host, rest):
    url = f"{scheme}://{host}{rest}"
    assert safe_url(url) == url
    assert safe_url(f"  {url}\n") == url


@given(
    st.sampled_from(["javascript", "JaVaScRiPt", "vbscript", "data", "file", "blob", "about"]),
    st.sampled_from(["", " ", "\t", "\n", "\r", "\x00", "\x01", "\x0b", "\u00a0", "\ufeff"]),
    st.integers(min_value=0, max_value=4),
    st.text(max_size=20),
)
def test_dangerous_schemes_never_pass(scheme, junk, cut, rest):
    assert safe_url(f"{junk}{scheme}:{rest}") is None
    assert safe_url(f"{scheme[:cut]}{junk}{scheme[cut:]}:{rest}") is None
    assert safe_url(f"{scheme}://example.org/{rest}") is None


@pytest.mark.parametrize("url", [
    "//evil.example/x", "../x", "/absolute", "https:///path-only", "http:evil.example",
    "https://", "https://:80/", "http://[::1", "http://example.org:99999/",
    "https://exa mple.org/", "https://example.org/\"><script>", "https://example.org/{{7*7}}",
])
def test_safe_url_refuses(url):
    assert safe_url(url) is None


# ---- clean_text ----

@given(st.one_of(tricky_text, payload_texts))
@example("ok\u202eevil\x00\x1b[31m\x7f\x85")
@example("a\ud800b")
def test_clean_text_drops_controls_and_bidi_overrides_only(text):
    cleaned = clean_text(text)
    for ch in cleaned:
        assert ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"), repr(ch)
        assert ch not in BIDI_CONTROLS
    # Nothing else is touched: dropping the same characters by hand gives the same text.
    expected = "".join(
        ch for ch in text
        if ch in "\n\t"
        or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in BIDI_CONTROLS)
    )
    assert cleaned == expected
    assert clean_text(cleaned) == cleaned


def test_clean_text_keeps_markup_templates_and_scripts_literally():
    for _, text in PAYLOADS:
        for kept in ("{{", "{%", "<script", "javascript:", "الجسر", "委内瑞拉", "🛢"):
            if kept in text:
                assert kept in clean_text(text)


# ---- the page script: text reaches the DOM only as text ----

def _page_script() -> str:
    from geomap.render import page_script

    script = page_script()
    script = re.sub(r"/\*.*?\*/", "", script, flags=re.S)  # comments may name what is forbidden
    return re.sub(r"(^|\s)//[^\n]*", r"\1", script)


@pytest.mark.parametrize("pattern", [
    r"\binnerHTML\b", r"\bouterHTML\b", r"\binsertAdjacentHTML\b", r"\bdocument\.write(ln)?\b",
    r"\beval\s*\(", r"\bnew\s+Function\b", r"\bFunction\s*\(", r"\bcreateContextualFragment\b",
    r"\bDOMParser\b", r"\bsrcdoc\b", r"\bsetAttribute\(\s*[\"']on", r"\.on[a-z]+\s*=[^=]",
    r"\bset(Timeout|Interval)\s*\(\s*[\"'`]",
    r"\bset(Timeout|Interval)\s*\(\s*[A-Za-z_$][\w$.]*\s*[,)]",
    r"\blocation(\.href)?\s*=[^=]", r"\bjavascript:",
])
def test_page_script_never_turns_text_into_markup_or_code(pattern):
    """geomap.js builds every element with createElement/textContent; nothing parses strings."""
    found = re.search(pattern, _page_script())
    assert found is None, f"geomap.js uses {found.group()!r}"


def test_page_script_hands_leaflet_only_dom_nodes():
    """Leaflet parses a string given to setContent/bindPopup/bindTooltip as HTML."""
    code = _page_script()
    assert not re.search(r"\bbind(Popup|Tooltip)\s*\(", code)
    calls = re.findall(r"setContent\(([^)]*)\)", code)
    assert calls
    for call in calls:
        assert call.strip().startswith(("popupContent(", "tooltipContent(")), call
    # A marker's icon is an element the script built (DivIcon takes a node as well as HTML).
    icons = re.findall(r"L\.divIcon\(\{\s*html:\s*([^,}]*)", code)
    assert all(re.fullmatch(r"[A-Za-z_$][\w$]*", html.strip()) for html in icons), icons
    assert re.search(r"var box = ui\.el\(", code)


# --- CSV formulas, terminal text, special files. ---


@given(tricky_text)
def test_terminal_text_leaves_nothing_a_terminal_acts_on(text):
    shown = terminal_text(text)
    assert not any(unicodedata.category(c) == "Cc" for c in shown)
    assert not BIDI_CONTROLS & set(shown)
    kept = terminal_text(text, keep_newlines=True)
    assert kept.count("\n") == text.count("\n")


def test_terminal_text_shows_escapes_literally():
    assert terminal_text("a\x1b]0;owned\x07b\u202ec\x9b") == "a\\x1b]0;owned\\x07b\\u202ec\\x9b"


@given(tricky_text)
def test_csv_cells_never_start_a_formula(text):
    cell = csv_cell(text)
    assert not is_formula(cell)
    assert cell in (text, "'" + text)
    assert csv_cell(text, raw=True) == text


@pytest.mark.parametrize("number", ["-66.9036", "+7.5", "-12", "10"])
def test_numbers_are_not_formulas(number):
    assert csv_cell(number) == number


def test_read_regular_refuses_a_fifo_without_blocking(tmp_path):
    import os

    from geomap.safety import NotRegularFile

    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotRegularFile, match="FIFO"):
        read_regular(tmp_path / "pipe", 1000)
    with pytest.raises(NotRegularFile, match="character device"):
        read_regular("/dev/zero", 1000)
    (tmp_path / "big").write_bytes(b"x" * 1001)
    with pytest.raises(NotRegularFile, match="larger than 1,000 bytes"):
        read_regular(tmp_path / "big", 1000)


def _write_rows(path, change):
    import csv

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_stats_csv_neutralises_actor_formulas(basic_data):
    import csv
    import io

    from click.testing import CliRunner

    from geomap.cli import cli

    def change(rows):
        rows[0]["actors"] = '=HYPERLINK("https://evil.example","x"); Iran'

    _write_rows(basic_data / "events.csv", change)
    args = ["stats", "--data", str(basic_data), "--format", "csv"]
    rows = list(csv.reader(io.StringIO(CliRunner().invoke(cli, args).stdout)))
    actors = [key for section, key, _, _ in rows if section == "actor"]
    assert "'=HYPERLINK(\"https://evil.example\",\"x\")" in actors
    assert not any(is_formula(cell) for row in rows for cell in row)
    raw = list(csv.reader(io.StringIO(CliRunner().invoke(cli, [*args, "--raw"]).stdout)))
    assert '=HYPERLINK("https://evil.example","x")' in [r[1] for r in raw if r[0] == "actor"]


def test_validate_warns_about_formula_cells_and_escapes_the_terminal(basic_data):
    from click.testing import CliRunner

    from geomap.cli import cli

    def change(rows):
        rows[0]["carrier"] = "=cmd|' /C calc'!A0"
        rows[1]["evidence"] = "@SUM(A1)"
        rows[2]["title"] = "Visit \x1b]0;owned\x07\x1b[2J done"

    _write_rows(basic_data / "events.csv", change)
    result = CliRunner().invoke(cli, ["validate", "--data", str(basic_data)])
    assert result.exit_code == 0, result.output
    events = basic_data / "events.csv"
    assert (
        f"{events}:2: carrier: \"=cmd|' /C calc'!A0\" starts with '=', which a spreadsheet "
        "runs as a formula; reword it (CSV exports get a leading \"'\") [warning]"
    ) in result.output
    assert f"{events}:3: evidence: '@SUM(A1)' starts with '@'" in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output


def test_printed_data_is_escaped_on_the_terminal(basic_data):
    from click.testing import CliRunner

    from geomap.cli import cli

    places = basic_data / "places.csv"
    text = places.read_text(encoding="utf-8").replace("Caracas,", "Cara\x1b[31mcas\u202e,", 1)
    places.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["places", "--data", str(basic_data), "cara"])
    assert result.exit_code == 0, result.output
    assert "Cara\\x1b[31mcas\\u202e" in result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output


def test_a_column_name_with_escapes_is_shown_escaped(basic_data):
    from click.testing import CliRunner

    from geomap.cli import cli

    # sources.csv: events.csv keeps unknown columns as attributes, sources.csv refuses them
    sources = basic_data / "sources.csv"
    text = sources.read_text(encoding="utf-8")
    sources.write_text(text.replace("note", "note\x1b[2K\x1b]0;owned\x07", 1), "utf-8")
    result = CliRunner().invoke(cli, ["validate", "--data", str(basic_data)])
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert f"{sources}:1: note\\x1b[2K\\x1b]0;owned\\x07: unknown column" in result.output
