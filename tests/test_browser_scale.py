"""The large-dataset path in a real browser: thousands of events, every one drawn and openable."""

from __future__ import annotations

import csv
import json
import random

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.pipeline import render_map

pytestmark = pytest.mark.browser

N = 3000
CITIES = ["caracas", "tehran", "damascus", "tachira", "tokyo", "honolulu"]
KINDS = ["visit", "statement", "seizure", "agreement", "payment", "appointment"]


def write_events(path, n: int) -> list[dict]:
    """``n`` valid events over the basic fixture's places: points, flights and shipments."""
    rng = random.Random(7)
    rows = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.15:
            kind, places = "shipment", "bandar-abbas > cardon-refinery"
        elif roll < 0.4:
            a, b = rng.sample(CITIES, 2)
            kind, places = "flight", f"{a} > {b}"
        else:
            kind, places = rng.choice(KINDS), rng.choice(CITIES)
        rows.append({
            "id": f"event-{i}", "date": f"20{rng.randint(20, 24)}-{rng.randint(1, 12):02d}",
            "end_date": "", "kind": kind, "title": f"Event {i} title",
            "summary": f"Summary of event {i}, long enough to look like a real one.",
            "actors": rng.choice(["Iran; Venezuela", "Mahan Air", "Russia; Venezuela"]),
            "places": places, "carrier": "", "sources": rng.choice(["news-a", "blog-b"]),
            "confidence": rng.choice(["confirmed", "reported", "alleged"]),
            "evidence": f"Quote {i}.",
        })
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_thousands_of_events_are_all_drawn_and_filter_like_the_cli(open_map, basic_data, tmp_path):
    rows = write_events(basic_data / "events.csv", N)
    out = tmp_path / "big.html"
    summary = render_map(basic_data, out)
    assert summary.events == N
    opened = open_map(out)
    page = opened.page
    page.wait_for_function("window.geomap.drawnAt !== null")
    assert opened.evaluate("window.geomap.drawnCount()") == N
    # Events with the same geometry and style share one drawn feature.
    assert opened.evaluate("window.geomap.featureCount()") < N / 10
    for row in rows[:: N // 7]:
        opened.evaluate("(id) => window.geomap.openPopup(id)", row["id"])
        text = page.locator(".leaflet-popup-content .gm-event").inner_text()
        assert row["title"] in text and row["evidence"] in text
    page.locator("input[name=gm-confidence][value=confirmed]").check()
    result = CliRunner().invoke(cli, [
        "export", "--data", str(basic_data), "--format", "geojson", "-o", "-",
        "--confidence", "confirmed",
    ])
    expected = [f["id"] for f in json.loads(result.stdout)["features"]]
    assert opened.evaluate("window.geomap.shownIds()") == expected
    assert opened.evaluate("window.geomap.drawnCount()") == len(expected)
    assert opened.errors == []
