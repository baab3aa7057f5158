"""A reader checks a claim: each source with its own quote, its link or "no public link found",
how many independent origins the sources come down to, and a journey's stops and carrier."""

from __future__ import annotations

import json

import pytest

from geomap.filters import Criteria
from geomap.pipeline import event_stats, render_map

from .conftest import ROOT, copy_fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def provenance_map(tmp_path):
    data = copy_fixture("provenance", tmp_path / "data")
    out = tmp_path / "map.html"
    render_map(data, out, tiles="none")
    return out


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["desktop", "phone"])
def test_each_source_shows_its_own_quote_and_the_origin_count(open_map, provenance_map,
                                                              viewport):
    opened = open_map(provenance_map, fragment="#event=visit-tachira", viewport=viewport)
    page = opened.page
    page.wait_for_selector(".leaflet-popup-content .gm-sources li", timeout=5000)
    assert page.locator(".gm-sources-heading").inner_text() == (
        "2 sources · 1 independent origin"
    )
    items = page.locator(".leaflet-popup-content .gm-sources li")
    texts = [items.nth(i).inner_text() for i in range(items.count())]
    news = next(t for t in texts if "Tankers arrive" in t)
    blog = next(t for t in texts if "Air bridge" in t)
    assert "“A visit.”" in news and "The visit happened." not in news
    assert "“The visit happened.”" in blog and "“A visit.”" not in blog
    assert "no public link found" in blog and "no public link found" not in news
    link = items.filter(has_text="Tankers arrive").locator("a")
    assert link.get_attribute("href") == "https://example.org/a"
    assert opened.errors == []


def test_a_journey_names_its_stops_dates_and_carrier(open_map, provenance_map):
    opened = open_map(provenance_map, fragment="#event=tanker-to-cardon")
    page = opened.page
    page.wait_for_selector(".leaflet-popup-content .gm-journey li", timeout=5000)
    stops = page.locator(".leaflet-popup-content .gm-journey li")
    assert [stops.nth(i).inner_text() for i in range(stops.count())] == [
        "Bandar Abbas — left 28 April 2020",
        "Refinería Cardón — arrived 25 May 2020 (leg modelled)",
    ]
    assert "Fortune (tanker, flag IR)" in page.locator(".leaflet-popup-content dl").inner_text()
    assert "“A tanker arrived.”" in page.locator(".gm-sources").inner_text()


def test_a_sea_lane_names_the_straits_it_passes(open_map, provenance_map):
    opened = open_map(provenance_map, fragment="#event=tanker-to-cardon")
    details = opened.page.locator(".leaflet-popup-content dl")
    details.wait_for(timeout=5000)
    assert ("Passes\nBab-el-Mandeb, Strait of Gibraltar, Strait of Hormuz, Suez Canal "
            "(modelled sea lane)") in details.inner_text()


def test_the_panel_keeps_events_with_two_independent_origins(open_map, tmp_path):
    """A reader ticks the box; the count is what `geomap stats --origins 2` says."""
    out = tmp_path / "default.html"
    render_map(ROOT / "data", out, tiles="none")
    opened = open_map(out)
    page = opened.page
    page.get_by_label("At least two independent origins").click()
    expected = json.loads(event_stats(ROOT / "data", "json",
                                      criteria=Criteria.from_options(origins=2)))["events"]
    total = json.loads(event_stats(ROOT / "data", "json"))["events"]
    assert 0 < expected < total
    showing = page.locator(".gm-showing")
    assert showing.inner_text() == f"Showing {expected} of {total} events"
    assert "origins=2" in page.evaluate("location.hash")
