"""The map as a reader uses it: real mouse clicks at pixels, real clicks on the pager, the
keyboard alone, a phone, a shared link, and axe-core.

Nothing here calls ``window.geomap`` for the behaviour under test. Where a feature is on screen
is worked out as a reader would: the address sets the view (``#map=zoom/lat/lon``), and the
feature's pixel follows from its coordinates (Web Mercator, as Leaflet draws them); glyph
markers are found by their boxes on screen.
"""

from __future__ import annotations

import itertools
import math
import os
import re
import shutil
from pathlib import Path

import pytest

from geomap.pipeline import render_map

from .conftest import FIXTURES, ROOT
from .helpers import page_payload

pytestmark = pytest.mark.browser

DESKTOP, PHONE = (1280, 800), (390, 844)
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def payload(html: Path) -> dict:
    return page_payload(html.read_text(encoding="utf-8"))


def events_of(doc: dict) -> list[dict]:
    cols = doc["events"]
    return [{name: cols[name][i] for name in cols} for i in range(len(cols["id"]))]


def world(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator pixel of a coordinate at a zoom (256 px tiles), as Leaflet projects it."""
    scale = 256 * 2**zoom
    lat = max(min(lat, 85.0511), -85.0511)
    s = math.sin(math.radians(lat))
    return (lon + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale


def pixel(lon, lat, view, size) -> tuple[float, float]:
    zoom, clat, clon = view
    x, y = world(lon, lat, zoom)
    cx, cy = world(clon, clat, zoom)
    return x - cx + size[0] / 2, y - cy + size[1] / 2


def segment_distance(p, a, b) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    along = (p[0] - ax) * dx + (p[1] - ay) * dy
    t = 0 if dx == dy == 0 else max(0, min(1, along / (dx * dx + dy * dy)))
    return math.hypot(p[0] - ax - t * dx, p[1] - ay - t * dy)


def distance_to(geom: dict, point, view, size) -> float:
    """How far, in pixels, a payload geometry is drawn from a point on screen."""
    if geom["t"] == "P":
        return math.dist(point, pixel(*geom["c"], view, size))
    best = math.inf
    for part in geom["c"]:
        pts = [pixel(lon, lat, view, size) for lon, lat in part]
        for a, b in itertools.pairwise(pts):
            best = min(best, segment_distance(point, a, b))
    return best


@pytest.fixture(scope="module")
def overlap_map(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("overlap")
    data = folder / "data"
    shutil.copytree(FIXTURES / "overlap", data)
    out = folder / "map.html"
    render_map(data, out)
    return out


DEFAULT_MAP = ROOT / "maps" / "index.html"


def view_address(zoom, lat, lon) -> str:
    return f"#map={zoom}/{lat:.4f}/{lon:.4f}"


def go(opened, html: Path, fragment: str):
    """Open the map at an address, as a reader following a link (a fresh load each time)."""
    opened.page.goto("about:blank")
    opened.page.goto(html.resolve().as_uri() + fragment)
    opened.page.wait_for_selector(".gm-title h1")


def close_popup(page):
    if page.locator(".leaflet-popup").count():
        page.keyboard.press("Escape")
        page.wait_for_selector(".leaflet-popup", state="detached")


def settled_box(page, locator) -> dict:
    """An element's box once it has stopped moving, as a reader waits for a popup that is
    still panning the map into view before aiming at its buttons."""
    box = locator.bounding_box()
    for _ in range(60):
        page.wait_for_timeout(50)
        again = locator.bounding_box()
        if again == box:
            return box
        box = again
    raise AssertionError(f"{locator} never stopped moving")


def click_settled(page, locator) -> None:
    """A real click at the middle of an element once it has stopped moving."""
    box = settled_box(page, locator)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def popup_titles(page) -> list[str]:
    """Every event in the open popup, paging with real clicks on "›"."""
    page.wait_for_selector(".leaflet-popup .gm-event h3")
    titles = [page.locator(".leaflet-popup .gm-event h3").inner_text()]
    following = page.locator(".leaflet-popup .gm-next")
    while following.is_visible() and following.is_enabled(timeout=5000):
        box = settled_box(page, following)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        assert page.locator(".leaflet-popup").count() == 1, "paging closed the popup"
        titles.append(page.locator(".leaflet-popup .gm-event h3").inner_text())
    return titles


def click_and_collect(page, x, y) -> list[str]:
    close_popup(page)
    page.mouse.click(x, y)
    if not page.locator(".leaflet-popup").count():
        page.wait_for_timeout(100)
    if not page.locator(".leaflet-popup").count():
        return []
    return popup_titles(page)


def markers_near(page, point, radius):
    out = []
    for handle in page.locator(".gm-marker").all():
        box = handle.bounding_box()
        if not box:
            continue
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        if math.dist(centre, point) <= radius:
            out.append(centre)
    return out


def reach_every_event_by_mouse(opened, html: Path, size) -> dict[str, list[str]]:
    """Go to every place and route of the map and click what is drawn there.

    Returns, per click, the titles its popup pages through; checks that each of them is drawn
    at the clicked pixel (a popup never lists an event drawn elsewhere).
    """
    doc = payload(html)
    page = opened.page
    by_title = {e["title"]: e for e in events_of(doc)}
    zoom = 6
    clicks: dict[str, list[str]] = {}
    points = {tuple(g["c"]) for g in doc["geoms"] if g["t"] == "P"}
    lines = [doc["geoms"][i] for i in sorted(set(doc["events"]["geom"]))
             if doc["geoms"][i]["t"] == "L"]  # routes (travel arcs only lead to a point)
    for lon, lat in sorted(points):
        view = (zoom, lat, lon)
        go(opened, html, view_address(zoom, lat, lon))
        centre = (size[0] / 2, size[1] / 2)
        for n in range(len(markers_near(page, centre, 60))):
            go(opened, html, view_address(zoom, lat, lon))  # a popup's auto-pan moved the map
            x, y = markers_near(page, centre, 60)[n]
            titles = click_and_collect(page, x, y)
            assert titles, f"nothing opened at the marker at {lon},{lat}"
            clicks[f"marker {lon},{lat} {x:.0f},{y:.0f}"] = titles
            for title in titles:
                geom = doc["geoms"][by_title[title]["geom"]]
                # a glyph sits up to ~40 px beside its place, a line passes within a few
                limit = 45 if geom["t"] == "P" else 18
                assert distance_to(geom, (x, y), view, size) <= limit, (title, x, y)
    for geom in lines:
        part = max(geom["c"], key=len)
        lon, lat = part[len(part) // 2]
        view = (zoom, lat, lon)
        go(opened, html, view_address(zoom, lat, lon))
        x, y = size[0] / 2, size[1] / 2
        titles = click_and_collect(page, x, y)
        assert titles, f"nothing opened on the route at {lon},{lat}"
        clicks[f"route {lon},{lat}"] = titles
        for title in titles:
            own = doc["geoms"][by_title[title]["geom"]]
            assert distance_to(own, (x, y), view, size) <= 18, (title, "drawn elsewhere")
    close_popup(page)
    return clicks


@pytest.mark.parametrize(("which", "size"), [("default", DESKTOP), ("overlap", DESKTOP),
                                             ("overlap", PHONE)])
def test_every_event_opens_with_real_clicks(open_map, overlap_map, which, size):
    html = DEFAULT_MAP if which == "default" else overlap_map
    opened = open_map(html, viewport=size)
    clicks = reach_every_event_by_mouse(opened, html, size)
    seen = {t for titles in clicks.values() for t in titles}
    titles = {e["title"] for e in events_of(payload(html))}
    assert seen == titles, titles - seen
    assert opened.errors == []


def test_pager_buttons_work_with_real_clicks_and_keys(open_map, overlap_map):
    doc = payload(overlap_map)
    lon, lat = next(g["c"] for g in doc["geoms"] if g["t"] == "P" and abs(g["c"][1] - 10.48) < 0.01)
    opened = open_map(overlap_map, fragment=view_address(7, lat, lon))
    page = opened.page
    paged = None
    for n in range(len(markers_near(page, (DESKTOP[0] / 2, DESKTOP[1] / 2), 60))):
        go(opened, overlap_map, view_address(7, lat, lon))
        m = markers_near(page, (DESKTOP[0] / 2, DESKTOP[1] / 2), 60)[n]
        if "Second statement in Caracas" in click_and_collect(page, *m):
            paged = m
            break
    assert paged, "no marker at Caracas holds the two reported statements"
    go(opened, overlap_map, view_address(7, lat, lon))
    page.mouse.click(*paged)
    page.wait_for_selector(".leaflet-popup .gm-pager")
    label = page.locator(".leaflet-popup .gm-page")
    first = label.inner_text()
    assert re.match(r"1 of [2-9]\d* events here", first)
    title = page.locator(".leaflet-popup h3").inner_text()
    page.locator(".leaflet-popup .gm-next").click()  # a real click (Playwright moves the mouse)
    assert page.locator(".leaflet-popup").count() == 1
    assert label.inner_text().startswith("2 of")
    assert page.locator(".leaflet-popup h3").inner_text() != title
    page.locator(".leaflet-popup .gm-prev").focus()
    page.keyboard.press("Enter")
    assert label.inner_text() == first
    assert page.locator(".leaflet-popup h3").inner_text() == title
    assert opened.errors == []


#: Read-only watchers: where "›" first appears, and the map pane's offset when the pointer goes
#: down after that (compared with its offset once settled: was the click during the pan?).
WATCH_THE_PAN = """() => {
  window.gmWatch = { first: null, paneAtClick: null };
  new MutationObserver(() => {
    const next = document.querySelector('.leaflet-popup .gm-next');
    if (next && !window.gmWatch.first) {
      const r = next.getBoundingClientRect();
      window.gmWatch.first = { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }
  }).observe(document.body, { childList: true, subtree: true });
  document.addEventListener('pointerdown', () => {
    if (window.gmWatch.first && window.gmWatch.paneAtClick === null) {
      window.gmWatch.paneAtClick = document.querySelector('.leaflet-map-pane').style.transform;
    }
  }, true);
}"""


def test_a_click_while_the_popup_pans_into_view_does_not_close_it(open_map, overlap_map):
    """A quick reader clicks "›" where it first appears, while the popup is still panning the
    map to fit below the title: the popup stays open (the click is not taken for one on the
    empty map, which would close it)."""
    doc = payload(overlap_map)
    lon, lat = next(g["c"] for g in doc["geoms"] if g["t"] == "P" and abs(g["c"][1] - 10.48) < 0.01)
    view = (7, lat - 3.0, lon)  # Caracas about 120 px below the top: its popup must pan
    where = pixel(lon, lat, view, DESKTOP)
    paged = None
    opened = open_map(overlap_map, fragment=view_address(*view))
    page = opened.page
    for n in range(len(markers_near(page, where, 60))):
        go(opened, overlap_map, view_address(*view))
        marker = markers_near(page, where, 60)[n]
        page.mouse.click(*marker)
        page.wait_for_selector(".leaflet-popup .gm-event h3")
        if page.locator(".leaflet-popup .gm-next").is_visible():
            paged = marker
            break
    assert paged, "no marker at Caracas holds several events"
    caught = None
    for _ in range(8):  # on a loaded machine the click may come only after the pan has ended
        go(opened, overlap_map, view_address(*view))
        page.evaluate(WATCH_THE_PAN)
        page.mouse.click(*paged)
        page.wait_for_function("window.gmWatch.first !== null")
        first = page.evaluate("window.gmWatch.first")
        page.mouse.click(first["x"], first["y"])
        settled = settled_box(page, page.locator(".leaflet-popup .gm-next")) if page.locator(
            ".leaflet-popup .gm-next").count() else None
        watched = page.evaluate("[window.gmWatch.paneAtClick, "
                                "document.querySelector('.leaflet-map-pane').style.transform]")
        if watched[0] is not None and watched[0] != watched[1]:  # clicked while the map moved
            caught = (first, settled)
            break
    assert caught, "no click landed while the popup panned, in 8 tries: nothing was tested"
    first, settled = caught
    assert page.locator(".leaflet-popup").count() == 1, "a click during the pan closed the popup"
    assert settled["y"] - first["y"] > 50, "the popup moved too little to test a click during it"
    before = page.locator(".leaflet-popup .gm-page").inner_text()
    click_settled(page, page.locator(".leaflet-popup .gm-next"))
    after = page.locator(".leaflet-popup .gm-page").inner_text()
    assert int(after.split()[0]) == int(before.split()[0]) + 1, (before, after)
    assert opened.errors == []


def png_pixels(png: bytes):
    """Decode a Playwright screenshot (8-bit RGB or RGBA, not interlaced): a pixel getter."""
    import struct
    import zlib

    pos, chunks, header = 8, [], None
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * step
    rows, prev, at = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            a = line[i - step] if i >= step else 0
            b = prev[i]
            c = prev[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + a) & 255
            elif kind == 2:
                line[i] = (line[i] + b) & 255
            elif kind == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return lambda x, y: tuple(rows[y][x * step:x * step + 3])


def drawn_near(png: bytes, points, color: str, tolerance=40) -> bool:
    """Whether any pixel within 3 px of these points has about this colour."""
    get = png_pixels(png)
    want = tuple(int(color[i:i + 2], 16) for i in (1, 3, 5))
    for x, y in points:
        for dx in range(-3, 4):
            for dy in range(-3, 4):
                px = get(int(x) + dx, int(y) + dy)
                if sum(abs(a - b) for a, b in zip(px, want, strict=True)) <= tolerance:
                    return True
    return False


def test_an_event_is_drawn_with_its_own_origin_only(open_map, overlap_map):
    """A visit with no travel at a place where another visit arrived from Tehran: no arc."""
    doc = payload(overlap_map)
    evs = {e["id"]: e for e in events_of(doc)}
    arc = doc["geoms"][evs["visit-travelling"]["travel"]]
    assert evs["visit-local"]["travel"] is None
    colour = next(k["color"] for k in doc["kinds"] if k["id"] == "visit")
    part = max(arc["c"], key=len)
    middle = part[len(part) // 4: 3 * len(part) // 4]
    lon, lat = part[len(part) // 2]
    view = (3, lat, lon)
    points = [pixel(x, y, view, DESKTOP) for x, y in middle]
    points = [p for p in points if 300 < p[0] < DESKTOP[0] - 300 and 100 < p[1] < DESKTOP[1] - 100]
    assert points
    address = view_address(*view)
    only_local = open_map(overlap_map, fragment=address + "&actor=Local+host")
    only_local.page.wait_for_timeout(200)
    assert not drawn_near(only_local.page.screenshot(), points, colour)
    travelling = open_map(overlap_map, fragment=address + "&actor=Traveller")
    travelling.page.wait_for_timeout(200)
    assert drawn_near(travelling.page.screenshot(), points, colour)


def focused(page) -> dict:
    return page.evaluate("""() => {
      const e = document.activeElement;
      return {cls: e.className && e.className.baseVal === undefined ? e.className : '',
              text: (e.innerText || e.getAttribute('aria-label') || '').trim(),
              inPopup: !!e.closest('.leaflet-popup'), tag: e.tagName,
              id: e.dataset ? e.dataset.id || '' : ''};
    }""")


@pytest.mark.parametrize("which", ["default", "overlap"])
def test_every_event_opens_from_the_keyboard_alone(open_map, overlap_map, which):
    html = DEFAULT_MAP if which == "default" else overlap_map
    doc = payload(html)
    want = {e["id"]: e["title"] for e in events_of(doc)}
    opened = open_map(html)
    page = opened.page
    page.keyboard.press("Tab")
    opened_ids, markers = set(), 0
    for _ in range(400):
        now = focused(page)
        if "gm-marker" in now["cls"] or "gm-cluster" in now["cls"]:
            markers += 1
        if now["tag"] == "BUTTON" and "gm-item" in now["cls"] and now["id"] not in opened_ids:
            page.keyboard.press("Enter")
            page.wait_for_selector(".leaflet-popup .gm-event h3")
            assert page.locator(".leaflet-popup h3").inner_text() == want[now["id"]]
            assert focused(page)["inPopup"], "the popup did not take focus"
            page.keyboard.press("Escape")
            page.wait_for_selector(".leaflet-popup", state="detached")
            back = focused(page)
            assert back["id"] == now["id"], "focus did not return to the list"
            opened_ids.add(now["id"])
        if opened_ids == set(want):
            break
        page.keyboard.press("Tab")
    assert opened_ids == set(want)
    assert markers > 0  # the map's glyphs (or clusters of them) are in the tab order too


def test_a_marker_opens_with_enter_and_escape_returns_focus(open_map, overlap_map):
    opened = open_map(overlap_map)
    page = opened.page
    for _ in range(60):
        page.keyboard.press("Tab")
        if "gm-marker" in focused(page)["cls"] or "gm-cluster" in focused(page)["cls"]:
            break
    for _ in range(20):  # Enter on a cluster zooms in and focuses what it held
        if "gm-cluster" not in focused(page)["cls"]:
            break
        page.keyboard.press("Enter")
    assert "gm-marker" in focused(page)["cls"]
    label = focused(page)["text"]
    assert label, "a marker has no accessible name"
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup .gm-event h3")
    assert page.locator(".leaflet-popup h3").inner_text() in label
    assert focused(page)["inPopup"]
    page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    assert focused(page)["text"] == label


def test_list_search_finds_events_by_text_and_opens_them(open_map, overlap_map):
    opened = open_map(overlap_map)
    page = opened.page
    search = page.get_by_role("searchbox", name="Search events")
    search.fill("cardon")  # a place name typed without its accent
    items = page.locator(".gm-item")
    assert items.all_inner_texts() and all("Tanker" in t for t in items.all_inner_texts())
    search.fill("mahan")  # a carrier
    assert items.count() == 3
    search.fill("example blog")  # a source
    assert items.count() == 4
    search.fill("")
    assert items.count() == 10
    items.filter(has_text="Visit somewhere in Táchira").click()
    page.wait_for_selector(".leaflet-popup .gm-event h3")
    assert page.locator(".leaflet-popup h3").inner_text() == "Visit somewhere in Táchira"


def test_a_link_opens_its_event_and_copy_link_gives_one(open_map, overlap_map):
    opened = open_map(overlap_map, fragment="#event=flight-two")
    page = opened.page
    page.wait_for_selector(".leaflet-popup .gm-event h3")
    assert page.locator(".leaflet-popup h3").inner_text() == "Second flight Tehran to Caracas"
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.get_by_role("button", name="Copy link to this event").click()
    page.wait_for_selector(".gm-copied:has-text('Link copied')")
    link = page.evaluate("navigator.clipboard.readText()")
    assert "event=flight-two" in link and "map=" in link
    again = open_map(overlap_map, fragment="#" + link.split("#", 1)[1])
    again.page.wait_for_selector(".leaflet-popup .gm-event h3")
    assert again.page.locator(".leaflet-popup h3").inner_text() == "Second flight Tehran to Caracas"
    assert opened.errors == [] and again.errors == []


def test_phone_popup_fits_and_nothing_covers_it(open_map):
    opened = open_map(DEFAULT_MAP, viewport=PHONE)
    page = opened.page
    meta = page.locator('meta[name="viewport"]').get_attribute("content")
    assert "user-scalable=no" not in meta and "maximum-scale" not in meta
    assert page.evaluate("[...document.querySelectorAll('details')].every(d => !d.open)")
    # The reader opens the list (a bottom sheet) and picks an event, then the popup shows.
    page.locator(".gm-list summary").click()
    sheet = page.locator(".gm-list").bounding_box()
    assert sheet["y"] + sheet["height"] <= PHONE[1] + 1 and sheet["width"] >= PHONE[0] - 1
    page.locator(".gm-item").nth(3).click()
    page.wait_for_selector(".leaflet-popup .gm-event h3")
    page.wait_for_timeout(400)  # auto-pan
    box = page.locator(".leaflet-popup-content-wrapper").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0], box
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE[1], box
    close = page.locator(".leaflet-popup-close-button").bounding_box()
    cx, cy = close["x"] + close["width"] / 2, close["y"] + close["height"] / 2
    assert 0 <= cx <= PHONE[0] and 0 <= cy <= PHONE[1]
    assert close["width"] >= 24 and close["height"] >= 24
    covered = page.evaluate("""([x, y, w, h]) => {
      const out = [];
      for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.05, 0.5, 0.95]) {
        const hit = document.elementFromPoint(x + fx * w, y + fy * h);
        if (!hit || !hit.closest('.leaflet-popup')) out.push([fx, fy, hit && hit.className]);
      }
      return out;
    }""", [box["x"], box["y"], box["width"], box["height"]])
    assert covered == []
    hit = page.evaluate(
        "([x, y]) => !!document.elementFromPoint(x, y).closest('.leaflet-popup-close-button')",
        [cx, cy])
    assert hit, "the close control is covered"
    page.mouse.click(cx, cy)
    page.wait_for_selector(".leaflet-popup", state="detached")


def test_phone_opening_view_uses_the_screen_below_the_folded_panels(open_map):
    """At 390x844 the panels fold into buttons along the top: the opening view fits the events
    below them and above the time strip, across the whole width (not squeezed between panels
    that are not open)."""
    opened = open_map(DEFAULT_MAP, viewport=PHONE)
    page = opened.page
    page.wait_for_timeout(300)
    tops = (".gm-title", ".leaflet-top.leaflet-left", ".leaflet-top.leaflet-right")
    boxes = [page.locator(sel).first.bounding_box() for sel in tops]
    lowest_control = max(box["y"] + box["height"] for box in boxes)
    strip_top = page.get_by_role("region", name=re.compile("Timeline")).bounding_box()["y"]
    centres = []
    for box in (m.bounding_box() for m in page.locator(".gm-marker").all()):
        centres.append((box["x"] + box["width"] / 2, box["y"] + box["height"] / 2))
    assert centres
    assert all(lowest_control < y < strip_top for _, y in centres), (lowest_control, centres)
    assert all(0 < x < PHONE[0] for x, _ in centres)
    xs = [x for x, _ in centres]
    assert max(xs) - min(xs) >= 0.6 * PHONE[0], "the events are squeezed into the middle"


def test_a_state_is_drawn_as_its_outline(open_map):
    """Táchira (known only to its state) is drawn as the state's area from outlines.geojson:
    an outline whose box on screen is the outline's own box, projected as Leaflet does."""
    doc = payload(DEFAULT_MAP)
    tachira = next(p for p in doc["places"] if p["id"] == "tachira")
    ring = tachira["outline"]["coordinates"][0][0]
    view = (7, 7.9, -71.9)
    opened = open_map(DEFAULT_MAP, fragment=view_address(*view))
    page = opened.page
    page.wait_for_timeout(300)
    corners = [pixel(lon, lat, view, DESKTOP) for lon, lat in ring]
    want = (min(x for x, _ in corners), min(y for _, y in corners),
            max(x for x, _ in corners), max(y for _, y in corners))
    drawn = []
    for path in page.locator(".leaflet-geomapAreas-pane path").all():
        box = path.bounding_box()
        if box:
            drawn.append((box["x"], box["y"], box["x"] + box["width"], box["y"] + box["height"]))
    assert any(all(abs(a - b) <= 4 for a, b in zip(box, want, strict=True)) for box in drawn), (
        want, drawn)


def test_phone_touch_targets_are_at_least_24px(open_map):
    opened = open_map(DEFAULT_MAP, viewport=PHONE)
    page = opened.page
    page.locator(".gm-list summary").click()
    small = page.evaluate("""() => [...document.querySelectorAll(
        '.gm-marker, .gm-item, summary, .leaflet-control-zoom a, .gm-fit, .gm-list input')]
      .filter(e => e.offsetParent !== null)
      .map(e => [e.className || e.tagName, e.getBoundingClientRect()])
      .filter(([, r]) => r.width < 24 || r.height < 24)
      .map(([c, r]) => [String(c), r.width, r.height])""")
    assert small == []


def run_axe(page) -> list:
    if not AXE.exists():
        message = "axe-core is missing: npm ci --ignore-scripts"
        if os.environ.get("GEOMAP_REQUIRE_BROWSER") or os.environ.get("GEOMAP_REQUIRE_NODE"):
            pytest.fail(message)
        pytest.skip(message)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_violation(open_map, size):
    opened = open_map(DEFAULT_MAP, viewport=size)
    page = opened.page
    assert run_axe(page) == []
    page.locator(".gm-list summary").click() if size == PHONE else None
    page.locator(".gm-item").first.click()
    page.wait_for_selector(".leaflet-popup .gm-event h3")
    page.wait_for_timeout(400)  # the popup fades in
    assert run_axe(page) == []


def test_print_shows_the_map_then_the_shown_events_with_sources(open_map, overlap_map):
    opened = open_map(overlap_map, fragment="#kind=flight")
    page = opened.page
    page.emulate_media(media="print")
    page.wait_for_selector(".gm-print .gm-event")
    printed = page.locator(".gm-print")
    titles = printed.locator("h3").all_inner_texts()
    assert titles == ["First flight Tehran to Caracas", "Second flight Tehran to Caracas",
                      "Alleged flight Tehran to Caracas"]
    assert "Example News" in printed.inner_text() and "Example Blog" in printed.inner_text()
    hidden = page.evaluate("""() => [...document.querySelectorAll(
        '.gm-panel, .gm-column, .leaflet-control-zoom, .gm-fit-bar')]
      .map(e => getComputedStyle(e.closest('.leaflet-control') || e).display)""")
    assert hidden and set(hidden) == {"none"}
    assert page.locator(".leaflet-container").is_visible()


def test_fit_to_shown_brings_the_shown_events_into_view(open_map, overlap_map):
    opened = open_map(overlap_map, fragment="#kind=visit&map=6/-30.0000/-20.0000")
    page = opened.page

    def on_screen():
        inside = []
        for box in (m.bounding_box() for m in page.locator(".gm-marker, .gm-cluster").all()):
            cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            inside.append(0 <= cx <= DESKTOP[0] and 0 <= cy <= DESKTOP[1])
        return inside

    assert not any(on_screen())  # the South Atlantic: no visit in sight
    page.get_by_role("button", name="Fit the map to the shown events").click()
    page.wait_for_timeout(200)
    assert on_screen() and all(on_screen())
    assert opened.errors == []


def test_taps_open_a_marker_and_page_through_it_on_a_phone(open_map, overlap_map):
    doc = payload(overlap_map)
    lon, lat = next(g["c"] for g in doc["geoms"] if g["t"] == "P" and abs(g["c"][1] - 10.48) < 0.01)
    opened = open_map(overlap_map, fragment=view_address(7, lat, lon), viewport=PHONE, touch=True)
    page = opened.page
    found = None
    for n in range(len(markers_near(page, (PHONE[0] / 2, PHONE[1] / 2), 60))):
        go(opened, overlap_map, view_address(7, lat, lon))
        x, y = markers_near(page, (PHONE[0] / 2, PHONE[1] / 2), 60)[n]
        page.touchscreen.tap(x, y)
        page.wait_for_selector(".leaflet-popup .gm-event h3")
        if page.locator(".leaflet-popup .gm-next").is_visible():
            found = True
            break
    assert found, "no tapped marker holds several events"
    first = page.locator(".leaflet-popup h3").inner_text()
    box = settled_box(page, page.locator(".leaflet-popup .gm-next"))  # after the auto-pan
    assert box["width"] >= 24 and box["height"] >= 24
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator(".leaflet-popup").count() == 1
    assert page.locator(".leaflet-popup h3").inner_text() != first
    assert opened.errors == []
