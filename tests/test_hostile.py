"""Readers are safe: no text from the data runs as script, breaks the page or is evaluated as a
template, and all of it shows literally.

The corpus and the dataset writer are in tests/hostile.py. Two datasets are written from it: one
that validates (rendered through ``geomap.pipeline.render_map``, as the CLI does) and one whose
source URLs are the URL tricks themselves (it cannot validate, so it is rendered through the
library directly: the page itself must refuse to link them).
"""

from __future__ import annotations

import csv
import html
import json
import re
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.assemble import assemble
from geomap.cli import cli
from geomap.load import load_dataset
from geomap.output import write_atomic
from geomap.pipeline import export_events, render_map
from geomap.render import render_html
from geomap.safety import clean_text, csv_cell, safe_url
from geomap.schema import PartialDate, split_list
from geomap.validate import check, errors_of

from . import hostile
from .conftest import FIXTURES
from .helpers import page_payload as payload_of
from .helpers import payload_elements
from .test_browser_map import CLICK_AT

#: Tags a popup may contain: anything else came from the data.
POPUP_TAGS = {"DIV", "H3", "SPAN", "DL", "DT", "DD", "P", "BLOCKQUOTE", "STRONG", "OL", "LI", "A",
              "BUTTON"}


def hostile_title(marker) -> str:
    return (
        "</title><script>window.__pwned=1</script> {{ 7*7 }} {% if 1 %}yes{% endif %} {# c #} "
        "`${window.__pwned=1}` \u202e<img src=x onerror=alert(1)> @@GEOMAP_DATA@@ \\ "
        + hostile.TOUCH.replace(hostile.MARKER, str(marker))
    )


def shown(text: str) -> str:
    """A field as the map must show it: the loader strips it, clean_text drops controls."""
    return clean_text(text.strip())


class Written:
    """A hostile dataset on disk, what was written, and the canary path."""

    def __init__(self, folder, marker, hostile_urls: bool):
        self.folder = folder
        self.marker = marker
        self.rows = hostile.write_dataset(folder, marker, hostile_urls=hostile_urls)
        self.places = {row["id"]: row for row in self.rows["places"]}
        self.sources = {row["id"]: row for row in self.rows["sources"]}
        self.events = self.rows["events"]
        self.title = hostile_title(marker)

    def stop_names(self, event) -> list[str]:
        return [self.places[pid.strip()]["name"] for pid in event["places"].split(">")]

    def expected_popup(self, event) -> dict:
        """The popup's parts as geomap.js must build them from this event's fields."""
        names = [shown(n) for n in self.stop_names(event)]
        where = "Route" if event["kind"] in ("shipment", "flight") else (
            "Travel" if len(names) > 1 else "Place")
        sources, links = [], []
        for sid in split_list(event["sources"]):
            row = self.sources[sid]
            outlet, title, author = shown(row["outlet"]), shown(row["title"]), shown(row["author"])
            published = PartialDate.parse(row["published"]).label()
            href = safe_url(row["url"])
            if href:
                text = f"{outlet} — {title or href} — {published}"
                links.append({"href": href, "text": title or href})
            else:
                text = " — ".join(v for v in (outlet, title, published) if v)
            sources.append(text + (f" ({author})" if author else "")
                           + ("" if href else " · no public link found"))
        return {
            "title": shown(event["title"]),
            "rows": [["Actors", "; ".join(shown(a) for a in split_list(event["actors"]))],
                     [where, " → ".join(names)],
                     ["Carrier", shown(event["carrier"])]],
            "summary": shown(event["summary"]),
            "quote": "“" + shown(event["evidence"]) + "”",
            "sources": sources,
            "links": links,
        }

    def clickable(self) -> list[dict]:
        """Flights, and points at a place no route or travel reaches: a real click on them hits
        them alone (sea lanes share stretches of sea, so shipments are left out)."""
        reached = {pid.strip() for e in self.events if ">" in e["places"]
                   for pid in e["places"].split(">")}
        return [e for e in self.events if e["kind"] == "flight"
                or (">" not in e["places"] and e["places"].strip() not in reached)]

    def splits_a_stop(self, event) -> bool:
        """Whether a stop's name holds the stop separator '>'."""
        return any(">" in name for name in self.stop_names(event))


@pytest.fixture
def marker(tmp_path):
    path = tmp_path / f"geomap-pwned-{uuid.uuid4().hex}"
    yield path
    assert not path.exists(), "a template payload was evaluated"


@pytest.fixture
def valid_data(tmp_path, marker) -> Written:
    return Written(tmp_path / "valid", marker, hostile_urls=False)


@pytest.fixture
def url_tricks_data(tmp_path, marker) -> Written:
    return Written(tmp_path / "url-tricks", marker, hostile_urls=True)


# ---- the corpus and its dataset ----

def test_corpus_covers_every_kind_of_attack():
    names = [name for name, _ in hostile.PAYLOADS]
    texts = [text for _, text in hostile.PAYLOADS]
    assert len(texts) >= 30
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name) for name in names)
    joined = "\n".join(texts)
    for needle in ("onerror=", "<svg onload", "</script><script>", "<!--", '" onmouseover="',
                   "' onfocus='", "`", "${", "\\", "C:\\data\\2019", "\u2028", "\\x3c", "\\u",
                   "{{ 7*7 }}", "{% for", "{#", "os.popen('touch", "javascript:", "JaVaScRiPt:",
                   "java\tscript:", " javascript:", "data:text/html", "vbscript:", "//evil.example",
                   "../x", "\x00", "\u202e", "الجسر", "پل", "委内瑞拉", "Сотрудничество", "🛢"):
        assert needle in joined, needle
    assert any(len(text) == 10_000 for text in texts)
    assert hostile.TOUCH in texts
    assert len(hostile.EXECUTING) >= 25


def test_template_canary_would_fire_if_evaluated(tmp_path):
    """The touch payload is live: evaluated by Jinja2 (as folium would) it creates its file."""
    from jinja2 import Template

    canary = tmp_path / "canary"
    Template(hostile.TOUCH.replace(hostile.MARKER, str(canary))).render()
    assert canary.exists()


def test_hostile_dataset_validates(valid_data):
    result = CliRunner().invoke(cli, ["validate", "--data", str(valid_data.folder)])
    assert result.exit_code == 0, result.output
    assert re.search(r"\b0 errors\b", result.output), result.output
    assert errors_of(check(load_dataset(valid_data.folder))) == []
    assert len(valid_data.events) == len(hostile.PAYLOADS)


def test_url_tricks_fail_validation_only_on_urls(url_tricks_data):
    problems = errors_of(check(load_dataset(url_tricks_data.folder)))
    assert problems
    assert {p.column for p in problems} == {"url"}
    refused = {row["url"] for row in url_tricks_data.sources.values() if not safe_url(row["url"])}
    assert len(problems) == len(refused)


# ---- rendering and exporting: nothing is evaluated, everything is kept ----

def test_render_map_evaluates_nothing_and_embeds_every_payload_literally(valid_data, tmp_path):
    out = tmp_path / "map.html"
    render_map(valid_data.folder, out, title=valid_data.title)
    assert not valid_data.marker.exists()
    page = out.read_text(encoding="utf-8")

    elements = payload_elements(page)
    assert elements and all(re.fullmatch(r"[A-Za-z0-9+/=]+", text) for text in elements)
    # the data's markup is nowhere in the page as markup (only escaped in <title>)
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    payload = payload_of(page)
    assert payload["title"] == clean_text(valid_data.title)
    assert f"<title>{html.escape(clean_text(valid_data.title))}</title>" in page

    columns, names = payload["events"], payload["names"]
    sources = {s["id"]: s for s in payload["sources"]}
    assert columns["id"] == [e["id"] for e in valid_data.events]
    for i, event in enumerate(valid_data.events):
        for field in ("title", "summary", "carrier", "evidence"):
            assert columns[field][i] == shown(event[field]), (event["id"], field)
        assert [names[n] for n in columns["actors"][i]] == [
            shown(a) for a in split_list(event["actors"])
        ], event["id"]
        if not valid_data.splits_a_stop(event):
            assert [names[n] for n in columns["stops"][i]] == [
                shown(name) for name in valid_data.stop_names(event)
            ], event["id"]
    for sid, row in valid_data.sources.items():
        for field in ("title", "outlet", "author"):
            assert sources[sid][field] == shown(row[field]), (sid, field)
        assert sources[sid]["url"] == safe_url(row["url"])

    # Nothing from the data added an element: the page has the same tags as a benign one.
    benign = tmp_path / "benign.html"
    render_map(FIXTURES / "basic", benign, title="Benign")
    tags = re.compile(r"<(/?[a-zA-Z][a-zA-Z0-9]*)")
    assert sorted(tags.findall(page)) == sorted(tags.findall(benign.read_text(encoding="utf-8")))


def test_library_render_keeps_url_tricks_out_of_links(url_tricks_data):
    page = render_html(assemble(load_dataset(url_tricks_data.folder)), title=url_tricks_data.title)
    assert not url_tricks_data.marker.exists()
    sources = {s["id"]: s for s in payload_of(page)["sources"]}
    kept = {sid: s["url"] for sid, s in sources.items() if s["url"] is not None}
    assert kept == {
        sid: row["url"].strip() for sid, row in url_tricks_data.sources.items()
        if re.match(r"https?://", row["url"].strip(), re.I) and safe_url(row["url"])
    }
    assert all(re.match(r"https?://[^\s/?#]+", url, re.I) for url in kept.values())


def test_exports_keep_template_text_unchanged(valid_data, tmp_path):
    geojson = tmp_path / "events.geojson"
    table = tmp_path / "events.csv"
    export_events(valid_data.folder, "geojson", geojson)
    export_events(valid_data.folder, "csv", table)
    assert not valid_data.marker.exists()
    document = json.loads(geojson.read_text("utf-8"))
    features = {f["id"]: f["properties"] for f in document["features"]}
    with open(table, encoding="utf-8", newline="") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    templates = 0
    for event in valid_data.events:
        for field in ("title", "summary", "carrier", "evidence"):
            # Exports drop control characters as the map does (safety.clean_text).
            text = clean_text(event[field].strip())
            assert features[event["id"]][field] == text, (event["id"], field)
            # The CSV is for spreadsheets: formula-like text gains a leading "'" (see safety).
            expected = csv_cell(text)
            assert rows[event["id"]][field] == expected, (event["id"], field)
        if "{{" in event["title"] or "{%" in event["title"]:
            templates += 1
            assert "{{" in rows[event["id"]]["title"] or "{%" in rows[event["id"]]["title"]
    assert templates >= 5


def test_place_names_with_the_stop_separator_show_literally(valid_data):
    payload = map_payload_of(valid_data)
    columns, names = payload["events"], payload["names"]
    split = [e for e in valid_data.events if valid_data.splits_a_stop(e)]
    assert split
    for event in split:
        i = columns["id"].index(event["id"])
        assert [names[n] for n in columns["stops"][i]] == [
            shown(name) for name in valid_data.stop_names(event)
        ], event["id"]


def map_payload_of(written: Written) -> dict:
    return payload_of(render_html(assemble(load_dataset(written.folder)), title="t"))


# ---- in a real browser ----

POPUP_PARTS = """() => {
  const content = document.querySelector('.leaflet-popup-content');
  const box = content.querySelector('.gm-event');
  return {
    text: box.textContent,
    title: box.querySelector('h3').textContent,
    rows: [...box.querySelectorAll('dt')].map(
      dt => [dt.textContent, dt.nextElementSibling.textContent]),
    summary: box.querySelector(':scope > p').textContent,
    quote: box.querySelector('blockquote') ? box.querySelector('blockquote').textContent : null,
    sources: [...box.querySelectorAll('.gm-sources > li')].map(li => li.textContent),
    links: [...content.querySelectorAll('a')].map(a => ({
      href: a.getAttribute('href'), resolved: a.href, protocol: a.protocol,
      rel: a.getAttribute('rel'), target: a.getAttribute('target'), text: a.textContent})),
    tags: [...new Set([...content.querySelectorAll('*')].map(e => e.tagName))],
  };
}"""

#: A point on a link where a real click would land on it, or null.
REACHABLE = """(a) => {
  const r = a.getClientRects()[0];
  const x = r.left + Math.min(r.width, 24) / 2, y = r.top + r.height / 2;
  if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
  const hit = document.elementFromPoint(x, y);
  return hit && (hit === a || a.contains(hit)) ? [x, y] : null;
}"""

INJECTED = """() => {
  const handlers = [...document.querySelectorAll('*')].filter(
    e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')));
  const scripts = [...document.scripts].filter(s => !s.src && s.type !== 'application/json');
  return {
    handlers: handlers.map(e => e.outerHTML.slice(0, 80)),
    inline_scripts: scripts.length,
    frames: document.querySelectorAll('iframe, object, embed, frame').length,
    foreign: document.querySelectorAll('img[src="x"], details[ontoggle], math, template').length,
  };
}"""


def _render_for_browser(written: Written, out, via_cli: bool):
    if via_cli:
        render_map(written.folder, out, title=written.title)
    else:
        page = render_html(assemble(load_dataset(written.folder)), title=written.title)
        write_atomic(out, page.encode("utf-8"))
    assert not written.marker.exists()


def _sweep_mouse(page):
    for x in range(80, 1240, 70):
        page.mouse.move(x, 430)
        page.mouse.click(x, 330)
        page.keyboard.press("Escape")


@pytest.mark.browser
@pytest.mark.parametrize("variant", ["validated-via-cli", "url-tricks-via-library"])
def test_in_the_browser_nothing_runs_everything_draws_and_shows_literally(
    open_map, tmp_path, marker, variant
):
    written = Written(tmp_path / "data", marker, hostile_urls=variant.startswith("url"))
    out = tmp_path / "hostile.html"
    _render_for_browser(written, out, via_cli=variant.startswith("validated"))
    events = written.events

    opened = open_map(out)
    page = opened.page
    dialogs, new_pages, navigations = [], [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    def no_network(route):  # pages opened by links; the map's own page.route takes precedence
        navigations.append(route.request.url)
        route.abort()

    def close_new_page(new_page):
        new_pages.append(new_page)
        new_page.close()

    page.context.route("**/*", no_network)
    page.context.on("page", close_new_page)
    # Load again now that dialogs are recorded: a payload could run while the page loads.
    page.reload()
    page.wait_for_function("window.geomap !== undefined", timeout=20_000)

    assert opened.evaluate("window.geomap.drawnCount()") == len(events)
    assert opened.evaluate("window.geomap.featureCount()") == len(events)  # one feature each
    assert page.locator(".gm-title h1").evaluate("e => e.textContent") == clean_text(written.title)
    # The browser collapses white space in document.title.
    collapsed = re.sub(r"[ \t\n\f\r]+", " ", clean_text(written.title)).strip(" ")
    assert page.title() == collapsed

    # Every popup and tooltip, opened through the page's API, with the filter panel folded away
    # so that the mouse sweeps below reach the map.
    page.locator(".gm-panel > summary").click()
    links_seen = 0
    for event in events:
        opened.evaluate("(id) => window.geomap.openPopup(id)", event["id"])
        parts = opened.evaluate(POPUP_PARTS)
        want = written.expected_popup(event)
        assert shown(event["title"]) in parts["text"], event["id"]
        assert parts["title"] == want["title"], event["id"]
        assert parts["summary"] == want["summary"], event["id"]
        assert parts["quote"] == want["quote"], event["id"]
        assert parts["sources"] == want["sources"], event["id"]
        rows = dict(parts["rows"])
        for label, value in want["rows"]:
            if label in ("Route", "Travel", "Place") and written.splits_a_stop(event):
                continue  # see test_place_names_with_the_stop_separator_show_literally
            assert rows.get(label) == value, (event["id"], label)
        assert set(parts["tags"]) <= POPUP_TAGS, (event["id"], parts["tags"])
        assert [{"href": a["href"], "text": a["text"]} for a in parts["links"]] == want["links"]
        for link in parts["links"]:
            # The scheme as written may be upper case; as the browser resolves it, it is not.
            assert re.match(r"https?://", link["href"], re.I), link
            assert link["resolved"].startswith(("http://", "https://")), link
            assert link["protocol"] in ("http:", "https:"), link
            assert link["rel"] == "noopener noreferrer" and link["target"] == "_blank"
        # Click every link: a new page opens and is closed; with the network aborted it loads
        # nothing. A link that a very long value pushed out of reach is clicked from script.
        anchors = page.locator(".leaflet-popup-content a")
        for n in range(anchors.count()):
            point = anchors.nth(n).evaluate(REACHABLE)
            if point:
                page.mouse.click(*point)
            else:
                anchors.nth(n).evaluate("a => a.click()")
            links_seen += 1
        opened.evaluate("(id) => window.geomap.openTooltip(id)", event["id"])
        tip = page.locator(".leaflet-tooltip .gm-tip strong").evaluate("e => e.textContent")
        assert tip == shown(event["title"]), event["id"]
    assert links_seen == sum(len(written.expected_popup(e)["links"]) for e in events) > 0
    opened.evaluate("() => { window.geomap.map.closePopup(); }")

    # Real mouse hovers and clicks on a few features, as a reader would.
    for event in written.clickable()[:: max(1, len(written.clickable()) // 10)]:
        page.wait_for_selector(".leaflet-popup", state="detached")
        x, y = opened.evaluate(CLICK_AT, [event["id"], 0.5])
        page.mouse.move(x, y)
        page.wait_for_selector(".leaflet-tooltip .gm-tip")
        page.mouse.click(x, y)
        page.wait_for_selector(".leaflet-popup-content .gm-event h3")
        assert page.locator(".leaflet-popup-content h3").evaluate("e => e.textContent") == shown(
            event["title"]
        ), event["id"]
        page.keyboard.press("Escape")
    page.wait_for_selector(".leaflet-popup", state="detached")
    opened.evaluate("() => { window.geomap.map.fitWorld({animate: false}); }")
    _sweep_mouse(page)

    # Type every payload into the actor search box; each actor finds its own row.
    page.locator(".gm-panel > summary").click()
    search = page.locator(".gm-panel input[type=search]")
    rows = page.locator(".gm-actors label")
    for n, (_, text) in enumerate(hostile.payloads(marker)):
        if n % 10 == 0:
            search.fill("")
            search.press_sequentially(text[:60])
        else:
            search.fill(text)
        actor = shown(split_list(text)[0])
        if not re.search(r"[\r\n]", actor):  # a search box drops line breaks from its value
            search.fill(actor)
            assert rows.filter(visible=True).count() >= 1, actor[:80]
    search.fill("")
    assert rows.filter(visible=True).count() == rows.count()

    # Toggle every checkbox in the filter panel and the legend, and every confidence level.
    boxes = page.locator(".gm-panel input[type=checkbox], .gm-legend input[type=checkbox]")
    assert boxes.count() > len(hostile.PAYLOADS)
    for n in range(boxes.count()):
        boxes.nth(n).click()
    for radio in page.locator(".gm-panel input[type=radio]").all():
        radio.click()
    # The filter state, hostile actor names included, survives a reload through the URL.
    state = opened.evaluate("window.geomap.state()")
    assert state["actors"]
    page.reload()
    page.wait_for_function("window.geomap !== undefined", timeout=20_000)
    restored = opened.evaluate("window.geomap.state()")
    assert restored["kinds"] == state["kinds"] and restored["conf"] == state["conf"]
    assert set(restored["actors"]) == set(state["actors"])
    page.get_by_text("Reset filters").click()
    assert opened.evaluate("window.geomap.drawnCount()") == len(events)
    _sweep_mouse(page)

    injected = opened.evaluate(INJECTED)
    assert injected["handlers"] == [] and injected["frames"] == 0 and injected["foreign"] == 0
    assert opened.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert opened.errors == []
    assert opened.failed == []
    assert new_pages and navigations
    assert all(re.match(r"https?://", url) for url in navigations), navigations
    assert not marker.exists()


def _small_map(tmp_path, marker, corpus) -> Path:
    folder = tmp_path / "data"
    hostile.write_dataset(folder, marker, corpus=corpus)
    out = tmp_path / "map.html"
    render_map(folder, out)
    return out


@pytest.mark.browser
def test_actor_names_that_are_object_keys_break_nothing(open_map, tmp_path, marker):
    """An actor named ``__proto__`` once polluted Object.prototype, so the map never loaded."""
    out = _small_map(tmp_path, marker, [("plain", "Plain actor"),
                                        ("object-keys", hostile.PROTOTYPE_KEYS)])
    opened = open_map(out)
    assert opened.errors == []
    assert opened.evaluate("window.geomap.drawnCount()") == 2
    assert opened.evaluate("'count' in Object.prototype || 'count' in Object") is False
    labels = opened.page.locator(".gm-actors label").evaluate_all(
        "ls => ls.map(l => l.textContent.trim())")
    for actor in split_list(hostile.PROTOTYPE_KEYS):
        assert f"{actor} (1)" in labels
        opened.page.locator(".gm-panel input[type=search]").fill(actor)
        assert opened.page.locator(".gm-actors label").filter(visible=True).count() >= 1


#: How far, in pixels, the content of the panel, a popup and the tooltip reaches.
REACH = """() => {
  const right = (sel) => Math.max(...[...document.querySelectorAll(sel)].map(
    e => e.getBoundingClientRect().right));
  const box = (sel) => document.querySelector(sel).getBoundingClientRect();
  return {
    panel: box('.gm-panel').right, panelContent: right('.gm-panel *'),
    popup: box('.leaflet-popup-content').right, popupContent: right('.leaflet-popup-content *'),
    tooltipWidth: box('.leaflet-tooltip').width, viewport: innerWidth,
  };
}"""

#: Whether a click at the middle of the map reaches the map, not a control, popup or tooltip.
CENTRE_IS_MAP = """() => {
  const map = window.geomap.map.getContainer().getBoundingClientRect();
  const hit = document.elementFromPoint(map.left + map.width / 2, map.top + map.height / 2);
  return !hit.closest('.leaflet-control-container, .leaflet-popup, .leaflet-tooltip');
}"""


@pytest.mark.browser
def test_very_long_values_stay_inside_panel_popup_and_tooltip(open_map, tmp_path, marker):
    long_name, long_text = next(p for p in hostile.PAYLOADS if p[0] == "very-long-token")
    out = _small_map(tmp_path, marker, [("plain", "Plain"), (long_name, long_text)])
    opened = open_map(out)
    event_id = f"e001-{long_name}"
    opened.evaluate("(id) => window.geomap.openPopup(id)", event_id)
    opened.evaluate("(id) => window.geomap.openTooltip(id)", event_id)
    reach = opened.evaluate(REACH)
    assert reach["panelContent"] <= reach["panel"] + 1, reach
    assert reach["popupContent"] <= reach["popup"] + 1, reach
    assert reach["tooltipWidth"] <= reach["viewport"], reach
    opened.evaluate("() => { window.geomap.map.closePopup(); }")
    opened.page.wait_for_selector(".leaflet-popup", state="detached")  # after its fade-out
    assert opened.evaluate(CENTRE_IS_MAP)


@pytest.mark.browser
def test_actor_filter_with_a_pipe_survives_reload(open_map, tmp_path, marker):
    out = _small_map(tmp_path, marker, [("plain", "Plain"), ("pipe", "Left | Right")])
    opened = open_map(out)
    opened.page.get_by_label("Left | Right (1)").check()
    before = opened.evaluate("window.geomap.state()")["actors"]
    assert before == ["left | right"]
    opened.page.reload()
    opened.page.wait_for_function("window.geomap !== undefined", timeout=20_000)
    assert opened.evaluate("window.geomap.state()")["actors"] == before
