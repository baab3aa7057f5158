"""A dense map in a real browser: 5,000 events cluster at low zoom, every one is reached by
zooming and clicking (mouse and keyboard), identical routes are one line whose width shows the
count, and Tokyo–Los Angeles is one line over the Pacific."""

from __future__ import annotations

import csv
import random
import re

import pytest

from geomap.pipeline import render_map

from .test_browser_reader import DESKTOP, PHONE, click_settled, run_axe

pytestmark = pytest.mark.browser

N = 5000
TOKYO, LOS_ANGELES, HONOLULU = (35.5494, 139.7798), (33.9416, -118.4085), (21.3187, -157.9225)
PACIFIC_FLIGHTS = 10  # Tokyo–Los Angeles, one route geometry
KINDS = ["visit", "statement", "seizure", "agreement", "payment", "appointment"]
LEVELS = ["confirmed", "reported", "alleged"]
#: Dense areas (lat, lon, spread in degrees) where most points fall.
CENTRES = [(10.5, -66.9, 1.5), (35.7, 51.4, 2.0), (48.0, 37.8, 3.0), (-23.5, -46.6, 1.0),
           (40.4, -3.7, 4.0)]
#: One place where several kinds and confidences coincide, for the pager at the highest zoom.
SHARED_SPOT = (10.4806, -66.9036)


def write_dense(path) -> list[dict]:
    """``N`` valid events with coordinates for places: points around a few dense areas, some at
    one shared spot, ten flights on one Tokyo–Los Angeles route and one to Honolulu."""
    rng = random.Random(16)
    rows = []

    def add(kind, places, confidence):
        i = len(rows)
        rows.append({
            "id": f"e{i}", "date": f"20{rng.randint(20, 24)}-{rng.randint(1, 12):02d}",
            "end_date": "", "kind": kind, "title": f"Dense event {i}",
            "summary": f"Event {i} of the dense fixture.", "actors": "Iran; Venezuela",
            "places": places, "carrier": "", "sources": "news-a",
            "confidence": confidence, "evidence": f"Quote {i}.",
        })

    def at(lat, lon):
        return f"{lat:.4f},{lon:.4f}"

    for n in range(PACIFIC_FLIGHTS):
        add("flight", f"{at(*TOKYO)} > {at(*LOS_ANGELES)}", LEVELS[n % 3])
    add("flight", f"{at(*TOKYO)} > {at(*HONOLULU)}", "confirmed")
    for n in range(12):
        add(KINDS[n % 4], at(*SHARED_SPOT), LEVELS[n % 2])
    while len(rows) < N:
        if rng.random() < 0.85:
            lat0, lon0, spread = rng.choice(CENTRES)
            lat, lon = rng.gauss(lat0, spread), rng.gauss(lon0, spread)
        else:
            lat, lon = rng.uniform(-55, 70), rng.uniform(-170, 170)
        add(rng.choice(KINDS), at(lat, lon), rng.choice(LEVELS))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


@pytest.fixture(scope="module")
def dense_map(tmp_path_factory):
    from .conftest import copy_fixture

    base = tmp_path_factory.mktemp("dense")
    data = copy_fixture("basic", base / "data")
    rows = write_dense(data / "events.csv")
    out = base / "dense.html"
    assert render_map(data, out).events == N
    return out, rows


def open_dense(open_map, dense_map, size, fragment=""):
    """The dense map opened at ``size``, once every feature is drawn; with its rows."""
    html, rows = dense_map
    opened = open_map(html, viewport=size, fragment=fragment)
    opened.page.wait_for_function("window.geomap.drawnAt !== null")
    return opened, opened.page, rows


# What is drawn now, read from the page: clusters with their counts, and point markers with
# the number of events each holds ("(and 3 more here)" in its accessible name).
DRAWN = """() => {
  const box = document.querySelector('.leaflet-container').getBoundingClientRect();
  const visible = (e) => { const r = e.getBoundingClientRect();
    return r.right > box.left && r.left < box.right && r.bottom > box.top && r.top < box.bottom; };
  const clusters = [...document.querySelectorAll('.gm-cluster')].map((e) => ({
    count: +e.querySelector('.gm-cluster-count').textContent, label: e.getAttribute('aria-label'),
    visible: visible(e) && getComputedStyle(e.querySelector('.gm-cluster-count')).visibility
      === 'visible', width: e.getBoundingClientRect().width}));
  const markers = [...document.querySelectorAll('.gm-marker')].map((e) => {
    const m = /and (\\d+) more here/.exec(e.getAttribute('aria-label') || '');
    return 1 + (m ? +m[1] : 0);
  });
  return {clusters, markers};
}"""

def shown_count(page) -> int:
    text = page.locator(".gm-showing").text_content()
    return int(re.fullmatch(r"Showing (\d+) of \d+ events", text).group(1))


def point_of(page, event_id: str) -> tuple[float, float]:
    """Where the event's place is on screen now (read, not moved)."""
    return tuple(page.evaluate("(id) => window.geomap.pointOf(id)", event_id))


UNDER = """([x, y]) => {
  const e = document.elementFromPoint(x, y);
  const hit = e && e.closest('.gm-cluster, .gm-marker');
  return hit ? (hit.classList.contains('gm-cluster') ? 'cluster' : 'marker') : null;
}"""

NEAREST_CLUSTER = """([x, y]) => {
  let best = null, bestD = Infinity;
  for (const e of document.querySelectorAll('.gm-cluster')) {
    const r = e.getBoundingClientRect();
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    const d = Math.hypot(cx - x, cy - y);
    if (d < bestD) { best = [cx, cy]; bestD = d; }
  }
  return best;
}"""


def reach_by_mouse(page, row: dict) -> None:
    """Click clusters nearest the event's place until its marker is drawn, click the marker and
    page the popup to the event, as a reader would."""
    for _ in range(25):
        x, y = point_of(page, row["id"])
        under = page.evaluate(UNDER, [x, y])
        if under == "marker":
            break
        if under == "cluster":
            page.mouse.click(x, y)
        else:
            target = page.evaluate(NEAREST_CLUSTER, [x, y])
            assert target is not None, f"{row['id']}: no marker and no cluster near its place"
            page.mouse.click(*target)
    else:
        raise AssertionError(f"{row['id']}: still clustered after 25 clicks")
    page.mouse.click(x, y)
    page.wait_for_selector(".leaflet-popup-content .gm-event h3", timeout=5000)
    for _ in range(60):
        if page.locator(".leaflet-popup-content .gm-event h3").inner_text() == row["title"]:
            break
        click_settled(page, page.locator(".leaflet-popup-content .gm-next"))
    text = page.locator(".leaflet-popup-content .gm-event").inner_text()
    assert row["title"] in text and row["evidence"] in text
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached", timeout=5000)


def fit(page) -> None:
    page.locator(".gm-fit").click()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_dense_points_cluster_and_every_sampled_event_is_reached_by_clicking(
        open_map, dense_map, size):
    opened, page, rows = open_dense(open_map, dense_map, size)
    assert shown_count(page) == N
    drawn = page.evaluate(DRAWN)
    clusters = drawn["clusters"]
    points = N - PACIFIC_FLIGHTS - 1
    # Far fewer marks than events, each cluster's count on screen, and nothing lost: the
    # clusters' counts and the markers' events add up to every shown point event.
    assert len(clusters) + len(drawn["markers"]) < N / 20
    assert len(clusters) >= 5 and all(c["visible"] for c in clusters)
    assert sum(c["count"] for c in clusters) + sum(drawn["markers"]) == points
    assert max(c["count"] for c in clusters) > 100
    for c in clusters:
        assert re.fullmatch(rf"{c['count']} events, click to zoom \(.+ \d+\)", c["label"])
    # A few events from each dense area and the far field, and one at the shared spot.
    sample = [rows[PACIFIC_FLIGHTS + 1 + 5], *rows[PACIFIC_FLIGHTS + 13::N // 6]]
    for row in sample:
        fit(page)
        reach_by_mouse(page, row)
    assert opened.errors == []


def test_filters_recount_the_clusters(open_map, dense_map):
    opened, page, rows = open_dense(open_map, dense_map, DESKTOP)
    page.locator("input[name=gm-confidence][value=confirmed]").check()
    confirmed = [r for r in rows if r["confidence"] == "confirmed"]
    points = [r for r in confirmed if " > " not in r["places"]]
    assert shown_count(page) == len(confirmed) < N
    drawn = page.evaluate(DRAWN)
    assert sum(c["count"] for c in drawn["clusters"]) + sum(drawn["markers"]) == len(points)
    assert opened.errors == []


def test_each_cluster_names_its_events_by_kind_at_every_zoom(open_map, dense_map):
    """A cluster's kinds add up to its count at each zoom the zoom button reaches (a cluster
    merged into a larger one at a lower zoom keeps its own kinds)."""
    opened, page, _ = open_dense(open_map, dense_map, DESKTOP)
    labels = {k.capitalize() for k in KINDS}
    checked = 0
    for _ in range(6):
        for c in page.evaluate(DRAWN)["clusters"]:
            parts = re.fullmatch(r"(\d+) events, click to zoom \((.+)\)", c["label"])
            by_kind = [p.rsplit(" ", 1) for p in parts.group(2).split(", ")]
            assert {k for k, _ in by_kind} <= labels, c["label"]
            assert sum(int(n) for _, n in by_kind) == int(parts.group(1)) == c["count"], c["label"]
            checked += 1
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(400)
    assert checked > 20
    assert opened.errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_keyboard_enters_clusters_until_an_event_opens(open_map, dense_map, size):
    opened, page, _ = open_dense(open_map, dense_map, size)
    focused = "() => document.activeElement.className"
    for _ in range(40):
        page.keyboard.press("Tab")
        if "gm-cluster" in page.evaluate(focused):
            break
    else:
        raise AssertionError("no cluster reached with Tab")
    name = page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert re.match(r"\d+ events, click to zoom", name)
    zoom = page.evaluate("() => window.geomap.map.getZoom()")
    for _ in range(25):
        page.keyboard.press("Enter")
        if "gm-marker" in page.evaluate(focused):
            break
        assert "gm-cluster" in page.evaluate(focused), "focus was lost after zooming in"
    else:
        raise AssertionError("Enter never separated the cluster")
    assert page.evaluate("() => window.geomap.map.getZoom()") > zoom
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content .gm-event h3", timeout=5000)
    assert page.evaluate("() => document.activeElement.id") == "gm-event-title"
    page.keyboard.press("Escape")
    assert "gm-marker" in page.evaluate(focused)
    assert opened.errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_event_list_opens_an_event_out_of_its_cluster(open_map, dense_map, size):
    opened, page, rows = open_dense(open_map, dense_map, size)
    row = rows[2500]
    x, y = point_of(page, row["id"])
    assert page.evaluate(UNDER, [x, y]) != "marker"  # clustered at the first view
    if size == PHONE:
        page.locator(".gm-list summary").click()
    page.get_by_role("searchbox", name="Search events").fill(row["title"])
    page.locator(".gm-item").first.click()
    page.wait_for_selector(".leaflet-popup-content .gm-event h3")
    assert page.locator(".leaflet-popup-content .gm-event h3").inner_text() == row["title"]
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    # (on a phone the list folded away when the popup opened)
    assert page.evaluate(UNDER, list(point_of(page, row["id"]))) == "marker"
    assert opened.errors == []


# The route's canvas pixels at screen points: the colour drawn there (Leaflet's canvas renderer
# draws every route; markers and the basemap are elsewhere).
PIXELS = """(points) => {
  const canvas = document.querySelector('.leaflet-overlay-pane canvas');
  const r = canvas.getBoundingClientRect();
  const ctx = canvas.getContext('2d');
  const sx = canvas.width / r.width, sy = canvas.height / r.height;
  return points.map(([x, y]) => [...ctx.getImageData(Math.round((x - r.left) * sx),
                                                      Math.round((y - r.top) * sy), 1, 1).data]);
}"""

ROUTE_POINTS = """([index, shift]) => {
  // The route's vertices on screen, from the payload (read only), in the world copy in view.
  const map = window.geomap.map, data = window.geomap.data;
  const box = map.getContainer().getBoundingClientRect();
  const geom = data.geoms[data.events.geom[index]];
  return {parts: geom.c.length, points: geom.c.flat().map(([lon, lat]) => {
    const p = map.latLngToContainerPoint([lat, lon + shift]);
    return [p.x + box.left, p.y + box.top, lon];
  })};
}"""


def _near(colour, rgb, tolerance=60) -> bool:
    pairs = zip(colour, rgb, strict=False)  # RGBA against RGB
    return colour[3] > 200 and all(abs(a - b) <= tolerance for a, b in pairs)


def _thickness(page, x: float, y: float, rgb) -> int:
    """Pixels of the route's colour in a vertical run through (x, y)."""
    column = page.evaluate(PIXELS, [[x, y + dy] for dy in range(-12, 13)])
    return sum(_near(c, rgb) for c in column)


@pytest.mark.parametrize("centre", [190, -170], ids=["east", "west"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_tokyo_los_angeles_is_one_wide_line_over_the_pacific(open_map, dense_map, size, centre):
    """Centred on the Pacific from either side of ±180° (a reader panning east or west), the
    route is one unbroken line from Tokyo to Los Angeles."""
    zoom = 3 if size == DESKTOP else 2
    view = f"#map={zoom}/35.0000/{centre:.4f}"
    opened, page, rows = open_dense(open_map, dense_map, size, view)
    page.wait_for_timeout(300)
    shift = 0 if centre > 0 else -360
    route = page.evaluate(ROUTE_POINTS, [0, shift])
    assert route["parts"] == 1
    colour = page.evaluate("() => window.geomap.data.kinds.find((k) => k.id === 'flight').color")
    rgb = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    width, height = size
    on_screen = [(x, y, lon) for x, y, lon in route["points"] if 0 < x < width and 0 < y < height]
    # The line runs across the screen from Tokyo's side to Los Angeles' side …
    assert min(x for x, _, _ in on_screen) < width * 0.35
    assert max(x for x, _, _ in on_screen) > width * 0.65
    # … through the old edge of the map at ±180°, with no vertex left undrawn.
    assert any(abs(lon - 180) < 2 for _, _, lon in on_screen)
    drawn = page.evaluate(PIXELS, [[x, y] for x, y, _ in on_screen])
    covered = [any(_near(c, rgb) for c in page.evaluate(PIXELS, [[x + dx, y + dy]
               for dx in (-2, 0, 2) for dy in (-2, 0, 2)])) if not _near(d, rgb) else True
               for (x, y, _), d in zip(on_screen, drawn, strict=True)]
    assert all(covered), [p for p, ok in zip(on_screen, covered, strict=True) if not ok][:5]
    # Ten events on one route draw wider than the single flight to Honolulu.
    honolulu = page.evaluate(ROUTE_POINTS, [PACIFIC_FLIGHTS, shift])["points"]
    single = honolulu[len(honolulu) * 2 // 3]
    # The point of the wide line farthest from the other route (read, then clicked there).
    inner = on_screen[len(on_screen) // 5: len(on_screen) * 4 // 5]
    middle = max(inner, key=lambda p: min(abs(p[0] - h[0]) + abs(p[1] - h[1]) for h in honolulu))
    assert _thickness(page, middle[0], middle[1], rgb) >= _thickness(
        page, single[0], single[1], rgb) + 3
    # One click on the line pages through all ten, each with its own confidence.
    page.mouse.click(middle[0], middle[1])
    page.wait_for_selector(".leaflet-popup-content .gm-pager")
    assert page.locator(".leaflet-popup .gm-page").inner_text() == (
        f"1 of {PACIFIC_FLIGHTS} events here")
    seen = set()
    for n in range(PACIFIC_FLIGHTS):
        seen.add(page.locator(".leaflet-popup-content .gm-conf").inner_text())
        if n < PACIFIC_FLIGHTS - 1:
            click_settled(page, page.locator(".leaflet-popup-content .gm-next"))
    assert seen == {r["confidence"] for r in rows[:PACIFIC_FLIGHTS]}
    assert opened.errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_violation_on_the_dense_map(open_map, dense_map, size):
    _, page, _ = open_dense(open_map, dense_map, size)
    assert page.locator(".gm-cluster").count() > 0
    assert run_axe(page) == []
