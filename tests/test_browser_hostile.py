"""Readers are safe: hostile text in every field never runs, never breaks the map, shows literally.

The corpus is in tests/hostile_corpus.py. The map is rendered through the library directly, so
that even source URLs the validator would refuse reach the page and must be neutralised there.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from geomap.assemble import assemble
from geomap.load import load_dataset
from geomap.output import write_atomic
from geomap.pipeline import export_events, render_map
from geomap.render import render_html
from geomap.safety import clean_text

from .hostile_corpus import TEXT_PAYLOADS, payloads, write_dataset

HOSTILE_TITLE = "</title><script>window.__pwned=1</script>{{ 7*7 }} `${1}` \u202e"


@pytest.fixture
def hostile(tmp_path):
    marker = tmp_path / "pwned-marker"
    data = tmp_path / "data"
    written = write_dataset(data, marker)
    return data, marker, written


def test_corpus_is_large_enough():
    assert len(TEXT_PAYLOADS) >= 30


def _safe_urls(data):
    """The same dataset with every source URL made valid, as the CLI requires."""
    path = data / "sources.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["url"] = "https://example.org/" + row["id"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_cli_path_evaluates_no_template_and_keeps_text(hostile, tmp_path):
    data, marker, _ = hostile
    _safe_urls(data)
    out = tmp_path / "map.html"
    render_map(data, out, title=HOSTILE_TITLE)
    assert not marker.exists()
    page = out.read_text(encoding="utf-8")
    blob = re.search(r'id="geomap-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in blob and ">" not in blob
    payload = json.loads(blob)
    assert payload["title"] == clean_text(HOSTILE_TITLE)
    for i, (_, text) in enumerate(payloads(marker)):
        for column in ("title", "summary", "carrier", "evidence"):
            assert payload["events"][column][i] == clean_text(text), (i, column)
    # Exports keep template syntax and every other character unchanged.
    geojson = tmp_path / "e.geojson"
    export_events(data, "geojson", geojson)
    features = json.loads(geojson.read_text(encoding="utf-8"))["features"]
    for feature, (_, text) in zip(features, payloads(marker), strict=True):
        assert feature["properties"]["title"] == text.strip()
    assert not marker.exists()


@pytest.mark.browser
def test_nothing_runs_everything_draws_and_shows_literally(open_map, browser, hostile, tmp_path):
    data, marker, written = hostile
    out = tmp_path / "hostile.html"
    write_atomic(out, render_html(assemble(load_dataset(data)), title=HOSTILE_TITLE).encode())
    assert not marker.exists()

    opened = open_map(out)
    page = opened.page
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    popups = []
    page.context.on("page", lambda p: (popups.append(p.url), p.close()))
    events = written["events"]
    assert opened.evaluate("window.geomap.drawnCount()") == len(events)
    assert page.locator(".gm-title h1").evaluate("e => e.textContent") == clean_text(HOSTILE_TITLE)
    assert page.title() == clean_text(HOSTILE_TITLE).strip()

    allowed_links = set()
    for event in events:
        opened.evaluate("(id) => window.geomap.openPopup(id)", event["id"])
        content = page.locator(".leaflet-popup-content .gm-event")
        text = content.evaluate("e => e.textContent")
        for column in ("title", "summary", "carrier", "evidence"):
            assert clean_text(event[column]).strip() in text, (event["id"], column)
        for link in content.locator("a").all():
            href = link.get_attribute("href")
            assert re.match(r"https?://[^/\s]", href), href
            assert link.get_attribute("rel") == "noopener noreferrer"
            allowed_links.add(href)
            link.click(modifiers=["ControlOrMeta"])
        opened.evaluate("(id) => window.geomap.openTooltip(id)", event["id"])
        tip = page.locator(".leaflet-tooltip").evaluate("e => e.textContent")
        assert clean_text(event["title"]).strip() in tip
    # Only the two safe URLs became links.
    assert allowed_links <= {"https://example.org/safe?q=1&x=2", "http://example.com/a%20b"}
    assert allowed_links

    # Hover and click across the map, type every payload into the search box, toggle everything.
    for x in range(100, 1200, 60):
        page.mouse.move(x, 420)
        page.mouse.click(x, 300)
    search = page.get_by_label("Find an actor")
    for _, text in payloads(marker):
        search.fill(text[:500].replace("\x00", ""))
    search.fill("")
    boxes = page.locator(".gm-panel input[type=checkbox], .gm-legend input[type=checkbox]")
    for i in range(boxes.count()):
        boxes.nth(i).click()
    page.get_by_text("Reset filters").click()
    assert opened.evaluate("window.geomap.drawnCount()") == len(events)

    assert opened.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert opened.errors == []
    assert not marker.exists()
