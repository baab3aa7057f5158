"""The rendered map in a real Chromium: it draws every event, and clicking opens cited popups."""

from __future__ import annotations

import csv

import pytest

from geomap.pipeline import render_map

from .conftest import ROOT

pytestmark = pytest.mark.browser

CLICK_AT = """async ([id, fraction]) => {
  // A point of the feature far from every other feature, centred in view: canvas hit-testing
  // then picks this feature and no other.
  const map = window.geomap.map;
  const features = window.geomap.layers();
  const f = window.geomap.layerOf(id);
  const vertices = (g) => g.getLatLng ? [g.getLatLng()] : g.getLatLngs().flat(3);
  const zoom = 5;
  const px = (ll) => map.project(ll, zoom);
  const others = features.filter((g) => g !== f).flatMap(vertices).map(px);
  let best = null, bestDistance = -1;
  for (const ll of vertices(f)) {
    const p = px(ll);
    const d = Math.min(Infinity, ...others.map((o) => o.distanceTo(p)));
    if (d > bestDistance) { best = ll; bestDistance = d; }
  }
  if (bestDistance === 0) {  // drawn exactly over another feature: try a point along the line
    const all = vertices(f);
    best = all[Math.min(all.length - 1, Math.floor(fraction * all.length))];
  }
  map.stop();  // a popup's auto-pan from an earlier click must not move the map afterwards
  map.setView(best, zoom, {animate: false});
  // Let the canvas redraw at the new view before anyone clicks it.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  if (f.getLatLng) return window.geomap.pointOf(id);  // a marker may sit beside its place
  const p = map.latLngToContainerPoint(best);
  const box = map.getContainer().getBoundingClientRect();
  return [p.x + box.left, p.y + box.top];
}"""


def click_feature(opened, event_id: str) -> str:
    """Click the drawn feature of an event and return the popup's text for that event.

    Events drawn at one pixel share a popup that pages through them. A line drawn exactly over
    another is clicked at another point along it when the first one does not reach it, as a
    reader would try again.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = opened.page
    title = opened.evaluate(
        "(id) => window.geomap.data.events.title[window.geomap.data.events.id.indexOf(id)]",
        event_id,
    )
    for fraction in (0.5, 0.3, 0.7, 0.15, 0.85):
        # A reader closes the last popup (Escape) and waits for it to go before clicking again.
        if page.locator(".leaflet-popup").count():
            page.keyboard.press("Escape")
            page.wait_for_selector(".leaflet-popup", state="detached", timeout=5000)
        x, y = opened.evaluate(CLICK_AT, [event_id, fraction])
        page.mouse.click(x, y)
        page.wait_for_selector(".leaflet-popup-content .gm-popup", timeout=5000)
        while page.locator(".leaflet-popup-content .gm-event h3").inner_text() != title:
            following = page.locator(".leaflet-popup-content .gm-next")
            if following.count() != 1 or not following.is_enabled():
                break
            try:
                following.click(timeout=10_000)
            except PlaywrightTimeout:  # the popup moved away under the pointer: click again
                break
        else:
            return page.locator(".leaflet-popup-content .gm-popup").inner_text()
    raise AssertionError(f"{event_id} not in any popup of its line")


def test_fixture_map_draws_every_event_and_cites_sources(open_map, basic_data, tmp_path):
    out = tmp_path / "map.html"
    render_map(basic_data, out)
    opened = open_map(out)
    assert opened.evaluate("window.geomap.drawnCount()") == 4
    text = click_feature(opened, "tanker-to-cardon")
    assert "Tanker to Cardón" in text
    assert "Example News" in text and "Tankers arrive" in text
    link = opened.page.locator(".leaflet-popup-content a")
    assert link.get_attribute("href") == "https://example.org/a"
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert opened.errors == []
    assert opened.failed == []


def test_route_popup_shows_stops_in_order(open_map, basic_data, tmp_path):
    out = tmp_path / "map.html"
    render_map(basic_data, out)
    opened = open_map(out)
    text = click_feature(opened, "air-bridge")
    assert "Caracas → Damascus → Tehrān" in text
    assert "Example Blog — Air bridge — 28 July 2020" in text
    assert "May 2020" not in text


def test_default_map_draws_every_event(open_map):
    """The committed map, as a reader opens it: every event drawn, every popup citing a source."""
    committed = ROOT / "maps" / "index.html"
    with open(ROOT / "data" / "events.csv", encoding="utf-8-sig", newline="") as handle:
        ids = [row["id"] for row in csv.DictReader(handle)]
    opened = open_map(committed)
    assert opened.evaluate("window.geomap.drawnCount()") == len(ids)
    for event_id in ids:
        opened.page.keyboard.press("Escape")
        # A closed popup fades out for 200 ms and would catch the next click meanwhile.
        opened.page.wait_for_selector(".leaflet-popup", state="detached")
        text = click_feature(opened, event_id)
        assert "source" in text.lower(), event_id
        assert opened.page.locator(".leaflet-popup-content .gm-sources li").count() >= 1
    assert opened.errors == []
    assert opened.failed == []
