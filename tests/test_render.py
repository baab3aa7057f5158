import json
import os
import re

import pytest

from geomap.assemble import assemble
from geomap.assets import ASSETS
from geomap.load import load_dataset
from geomap.packing import pack, unpack
from geomap.payload import map_payload
from geomap.render import render_html

from .conftest import FIXTURES
from .helpers import assert_same, payload_elements
from .helpers import page_payload as payload_of

GOLDEN = FIXTURES.parent / "golden" / "basic_payload.json"


@pytest.fixture(scope="module")
def assembly():
    return assemble(load_dataset(FIXTURES / "basic"))


def test_payload_matches_golden_file(assembly):
    payload = unpack(pack(map_payload(assembly, "Test map", "map_geomap")))
    text = json.dumps(payload, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("GEOMAP_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_page_embeds_the_payload_once_as_base64_streams(assembly):
    page = render_html(assembly, title="Test map")
    elements = re.findall(r'<script type="application/octet-stream"[^>]*>', page)
    assert len(elements) == len(payload_elements(page)) == 2  # geometries, one text stream
    assert 'type="application/json" id="geomap-data"' not in page
    payload = payload_of(page)
    doc = map_payload(assembly, "Test map", "map_geomap")
    assert_same(payload, json.loads(json.dumps(doc, default=list)))  # geoms: a Geometries
    assert payload["subtitle"] == "2020 – 25 July 2020 · 4 events from 2 sources"
    assert [k["id"] for k in payload["kinds"]] == ["shipment", "flight", "visit"]
    assert "<title>Test map</title>" in page


def test_rendering_is_deterministic(assembly):
    assert render_html(assembly) == render_html(assembly)


def test_no_random_element_ids(assembly):
    page = render_html(assembly)
    assert not re.search(r"[0-9a-f]{32}", page)


def test_script_and_style_tags_carry_pinned_integrity(assembly):
    page = render_html(assembly)
    tags = re.findall(r"<(?:script|link)\b[^>]*(?:src|href)=\"(https?://[^\"]+)\"[^>]*>", page)
    assert tags, "the page loads nothing from a CDN?"
    pinned = {a.url: a.sri for a in ASSETS}
    for match in re.finditer(r"<(script|link)\b([^>]*)>", page):
        attrs = match.group(2)
        url = re.search(r'(?:src|href)="([^"]+)"', attrs)
        if not url or not url.group(1).startswith("http"):
            continue
        assert url.group(1) in pinned, url.group(1)
        assert f'integrity="{pinned[url.group(1)]}"' in attrs
        assert 'crossorigin="anonymous"' in attrs


def test_page_loads_no_library_it_does_not_use(assembly):
    page = render_html(assembly)
    for unused in ("jquery", "bootstrap", "font-awesome", "awesome-markers", "glyphicons"):
        assert unused not in page.lower()


def test_template_syntax_in_data_is_never_evaluated(tmp_path, basic_data):
    events = basic_data / "events.csv"
    text = events.read_text(encoding="utf-8")
    text = text.replace("Tanker to Cardón", "{{ 7*7 }} {% if 1 %}yes{% endif %} {# c #}")
    events.write_text(text, encoding="utf-8")
    page = render_html(assemble(load_dataset(basic_data)), title="{{ 6*6 }}")
    payload = payload_of(page)
    assert payload["events"]["title"][0] == "{{ 7*7 }} {% if 1 %}yes{% endif %} {# c #}"
    assert payload["title"] == "{{ 6*6 }}"
    assert "<title>{{ 6*6 }}</title>" in page
    assert "49" not in payload["events"]["title"][0]


def test_script_closing_text_cannot_leave_the_json_element(basic_data):
    events = basic_data / "events.csv"
    hostile = '</script><script>window.pwned=1</script><!--'
    events.write_text(
        events.read_text(encoding="utf-8").replace("A tanker arrived.", hostile),
        encoding="utf-8",
    )
    page = render_html(assemble(load_dataset(basic_data)), title="</title><b>x</b>")
    assert "window.pwned" not in page  # the text travels compressed, in base64 …
    assert payload_of(page)["events"]["evidence"][0] == hostile  # … and comes back whole
    assert "<title>&lt;/title&gt;&lt;b&gt;x&lt;/b&gt;</title>" in page


def test_unsafe_source_links_are_dropped(basic_data):
    sources = basic_data / "sources.csv"
    sources.write_text(
        sources.read_text(encoding="utf-8").replace("https://example.org/a", "javascript:alert(1)"),
        encoding="utf-8",
    )
    payload = map_payload(assemble(load_dataset(basic_data)), "t", "m")
    assert payload["sources"][0] == {
        "id": "blog-b", "title": "Air bridge", "outlet": "Example Blog", "author": "",
        "published": "28 July 2020", "url": None, "verified": "",
    }
    assert payload["sources"][1]["id"] == "news-a"
    assert payload["sources"][1]["url"] is None


def test_tiles_none_leaves_only_the_offline_outlines(assembly):
    page = render_html(assembly, tiles="none")
    assert "tileLayer" not in page
    assert 'id="geomap-basemap"' in page
