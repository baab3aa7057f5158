"""The escaping and URL allow-list, for any input (hypothesis), and the page script's discipline."""

import doctest
import json
import re
import unicodedata
from importlib import resources
from urllib.parse import urlsplit

from hypothesis import given
from hypothesis import strategies as st

from geomap import safety
from geomap.safety import clean_text, json_for_script, safe_url

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def test_doctests():
    assert doctest.testmod(safety).failed == 0


@given(json_values)
def test_json_for_script_never_contains_markup_and_round_trips(value):
    text = json_for_script(value)
    assert not set(text) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(text) == value


@given(st.text())
def test_clean_text_leaves_no_control_or_bidi_character(text):
    cleaned = clean_text(text)
    for ch in cleaned:
        assert ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs")
        assert ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    assert clean_text(cleaned) == cleaned


@given(st.text())
def test_safe_url_admits_only_http_urls_with_a_host(text):
    url = safe_url(text)
    if url is not None:
        parts = urlsplit(url)
        assert parts.scheme.lower() in ("http", "https")
        assert parts.hostname
        assert not any(ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf") for ch in url)
        assert not set(url) & set('"<>\\^`{|}')


@given(st.sampled_from(["javascript", "JaVaScRiPt", "vbscript", "data", "file"]),
       st.sampled_from(["", " ", "\t", "\x01", "\n"]), st.text(max_size=20))
def test_dangerous_schemes_are_never_links(scheme, junk, rest):
    assert safe_url(f"{junk}{scheme}:{rest}") is None
    assert safe_url(f"{scheme[:3]}{junk}{scheme[3:]}:{rest}") is None


def test_ordinary_links_survive():
    assert safe_url("https://es.wikipedia.org/wiki/Táchira") == (
        "https://es.wikipedia.org/wiki/Táchira"
    )
    assert safe_url(" http://example.com/a%20b?x=1&y=2#top ") == (
        "http://example.com/a%20b?x=1&y=2#top"
    )


def test_page_script_never_parses_text_as_html_or_code():
    """Every string reaches the page through textContent or DOM nodes, never as markup or code."""
    script = resources.files("geomap").joinpath("static", "geomap.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.S)
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                      "new Function", "setTimeout(\"", "setInterval(\"", "srcdoc"):
        assert forbidden not in code, forbidden
    # Leaflet takes HTML strings in bindPopup/bindTooltip/setContent: only DOM nodes go there.
    for call in re.findall(r"setContent\(([^)]*)\)", code):
        assert call.strip().startswith(("popupContent(", "tooltipContent(")), call
