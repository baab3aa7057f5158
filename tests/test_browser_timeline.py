"""The timeline strip as a reader uses it: real mouse drags, touch drags, keys, Play, links.

Nothing here calls ``window.geomap`` for the behaviour under test: what is shown is read from
the event list, the "Showing X of Y" line and the address, and compared with the command line
(``geomap export`` and ``geomap stats``) for the same ``--since``/``--until``. Where a month is
on the strip is read from the axis's own labels, as a reader would.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.pipeline import render_map

from .browser_support import offline_router
from .conftest import FIXTURES, ROOT, MapPage
from .helpers import page_payload
from .test_browser_reader import run_axe

pytestmark = pytest.mark.browser

DESKTOP, PHONE = (1280, 800), (390, 844)
PRECISION = FIXTURES / "precision"
with open(ROOT / "data" / "events.csv", encoding="utf-8") as _handle:
    DEFAULT_TOTAL = sum(1 for _ in csv.DictReader(_handle))  # the shipped data's events


def cli_ids(data_dir, *options) -> list[str]:
    result = CliRunner().invoke(
        cli, ["export", "--data", str(data_dir), "--format", "geojson", "-o", "-", *options]
    )
    if result.exit_code != 0:
        assert "no event matches" in result.output
        return []
    return sorted(f["id"] for f in json.loads(result.stdout)["features"])


def cli_count(data_dir, *options) -> int:
    result = CliRunner().invoke(
        cli, ["stats", "--data", str(data_dir), "--format", "json", *options]
    )
    if result.exit_code != 0:
        assert "no event matches" in result.output, result.output
        return 0
    return json.loads(result.stdout)["events"]


def address_options(url: str) -> list[str]:
    """`#since=2020-05&until=2020-08` -> ["--since", "2020-05", "--until", "2020-08"]."""
    fragment = url.split("#", 1)[1] if "#" in url else ""
    out = []
    for pair in filter(None, fragment.split("&")):
        key, _, value = pair.partition("=")
        if key == "map":
            continue  # the view, not a filter
        assert key in ("since", "until"), fragment
        out += [f"--{key}", value]
    return out


def listed(page) -> list[str]:
    return sorted(page.locator("button.gm-item").evaluate_all("bs => bs.map(b => b.dataset.id)"))


def showing(page) -> str:
    return page.locator(".gm-showing").text_content()


def assert_like_cli(page, data_dir, total: int) -> list[str]:
    """The list, "Showing X of Y" and the legend's counts equal the CLI for the address."""
    options = address_options(page.url)
    expected = cli_ids(data_dir, *options)
    assert listed(page) == expected, options
    assert showing(page) == f"Showing {cli_count(data_dir, *options)} of {total} events"
    counts = page.locator(".gm-kind .gm-count").all_text_contents()
    assert sum(int(c.split("/")[0]) for c in counts) == len(expected)
    return expected


def tick_x(page, label: str, nth: int = 0) -> float:
    """Where the axis labels a month (or year) on screen: the tick the label stands beside."""
    xs = page.locator(".gm-tl-axis text").evaluate_all(
        "(ts, label) => ts.filter(t => t.textContent === label)"
        ".map(t => t.getBoundingClientRect().left)",
        label,
    )
    return xs[nth] - 2


def plot_y(page) -> float:
    box = page.locator(".gm-tl-plot").bounding_box()
    return box["y"] + 25


def mouse_drag(page, x0: float, x1: float) -> None:
    y = plot_y(page)
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move((x0 + x1) / 2, y, steps=6)
    page.mouse.move(x1, y, steps=6)
    page.mouse.up()


def touch_drag(page, x0: float, x1: float) -> None:
    cdp = page.context.new_cdp_session(page)
    y = plot_y(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
    for i in range(1, 9):
        x = x0 + (x1 - x0) * i / 8
        cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def wait_hash(page, fragment: str) -> None:
    page.wait_for_function("(h) => location.hash === h", arg=fragment, timeout=5000)


@pytest.fixture(scope="module")
def default_map(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("timeline") / "index.html"
    render_map(ROOT / "data", out)
    return out


@pytest.fixture(scope="module")
def precision_map(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("precision") / "map.html"
    render_map(PRECISION, out)
    return out


@pytest.fixture
def open_touch(browser, cdn_files):
    """A phone with a touch screen (the shared `open_map` opens pages without touch)."""
    contexts = []

    def _open(path: Path) -> MapPage:
        context = browser.new_context(
            viewport={"width": PHONE[0], "height": PHONE[1]}, has_touch=True
        )
        contexts.append(context)
        page = context.new_page()
        opened = MapPage(page)
        page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
        page.route("**/*", offline_router(cdn_files, opened.blocked))
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_function("window.geomap !== undefined", timeout=20_000)
        return opened

    yield _open
    for context in contexts:
        context.close()


def test_the_strip_draws_every_event_by_kind_and_squeezes_the_empty_years(open_map, default_map):
    opened = open_map(default_map)
    page = opened.page
    strip = page.get_by_role("region", name=re.compile("Timeline"))
    assert strip.count() == 1
    doc_kinds = {
        k["id"]: k
        for k in page_payload(default_map.read_text(encoding="utf-8"))["kinds"]
    }
    marks = strip.locator(".gm-tl-mark")
    assert marks.count() == DEFAULT_TOTAL
    colours = marks.evaluate_all(
        "gs => gs.map(g => [g.getAttribute('aria-label'),"
        " g.querySelector('rect').getAttribute('fill'),"
        " g.querySelector('rect').getAttribute('stroke'), g.classList.contains('gm-tl-bound')])"
    )
    labels = {k["label"]: k["color"] for k in doc_kinds.values()}
    bound = 0
    for label, fill, stroke, is_bound in colours:
        colour = labels[label.split(":", 1)[0]]
        if is_bound:
            bound += 1
            assert fill.startswith("url(#gm-tl-fade-") and stroke == colour, label
        else:
            assert fill == colour, label
    with open(ROOT / "data" / "events.csv", encoding="utf-8") as handle:
        assert bound == sum(1 for row in csv.DictReader(handle) if row["end_date"]) > 0
    # 2021-2023 reads as one empty, labelled stretch between 2020 and 2024.
    gap = strip.locator(".gm-tl-gap")
    assert gap.count() == 1
    assert gap.text_content() == "No events: Nov 2020 – Dec 2023no eventsNov 2020 –Dec 2023"
    box = gap.bounding_box()
    assert tick_x(page, "Oct") < box["x"] < box["x"] + box["width"] <= tick_x(page, "2024") + 1
    years = page.locator(".gm-tl-axis text").all_text_contents()
    assert "2020" in years and "2024" in years
    assert not {"2021", "2022", "2023"} & set(years)
    assert opened.errors == []


@pytest.mark.parametrize("which", ["default", "precision"])
def test_a_mouse_brush_selects_what_the_cli_selects_and_a_link_reloads_it(
    open_map, default_map, precision_map, which
):
    html, data, total = (
        (default_map, ROOT / "data", DEFAULT_TOTAL) if which == "default"
        else (precision_map, PRECISION, 6)
    )
    opened = open_map(html)
    page = opened.page
    assert showing(page) == f"Showing {total} of {total} events"
    # From inside May to inside August, 2020.
    mouse_drag(page, tick_x(page, "May") + 6, tick_x(page, "Aug") + 6)
    wait_hash(page, "#since=2020-05&until=2020-08")
    selected = assert_like_cli(page, data, total)
    assert 0 < len(selected) < total
    assert page.locator(".gm-tl-status").text_content() == "Dates: May 2020 – Aug 2020"
    # Inside one month: that month.
    mouse_drag(page, tick_x(page, "May") + 9, tick_x(page, "May") + 22)
    wait_hash(page, "#since=2020-05&until=2020-05")
    assert_like_cli(page, data, total)
    # The link reloads to the same selection.
    again = open_map(html, fragment="#" + page.url.split("#", 1)[1])
    assert listed(again.page) == listed(page)
    assert showing(again.page) == showing(page)
    assert again.page.get_by_role("textbox", name="Since").input_value() == "2020-05"
    # "All dates" clears the range.
    page.get_by_role("button", name="All dates").click()
    assert showing(page) == f"Showing {total} of {total} events"
    assert "since=" not in page.url
    assert opened.errors == [] and again.errors == []


def test_the_handles_move_by_months_with_the_keys(open_map, precision_map):
    opened = open_map(precision_map)
    page = opened.page
    page.get_by_role("slider", name="Timeline start (since)").focus()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_hash(page, "#since=2020-05")
    page.keyboard.press("Tab")  # on to the end handle
    assert (
        page.evaluate("document.activeElement.getAttribute('aria-label')") == "Timeline end (until)"
    )
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    wait_hash(page, "#since=2020-05&until=2020-08")
    assert_like_cli(page, PRECISION, 6)
    page.keyboard.press("End")  # back to the end of the axis: no upper bound
    wait_hash(page, "#since=2020-05")
    assert (
        page.get_by_role("slider", name="Timeline end (until)").get_attribute("aria-valuetext")
        == "end, Dec 2020"
    )
    assert_like_cli(page, PRECISION, 6)
    assert opened.errors == []


def test_a_day_in_the_link_is_kept_and_drawn_where_it_falls(open_map, precision_map):
    opened = open_map(precision_map, fragment="#since=2020-05-22&until=2020-08")
    page = opened.page
    # 2020-05-21 is left out, the month and the year it may fall in are kept (the CLI's rule).
    expected = assert_like_cli(page, PRECISION, 6)
    assert "day-statement" not in expected and "month-visit" in expected
    handle = page.get_by_role("slider", name="Timeline start (since)").bounding_box()
    centre = handle["x"] + handle["width"] / 2
    may, jun = tick_x(page, "May"), tick_x(page, "Jun")
    assert may + (jun - may) * 0.6 < centre < jun
    assert page.locator(".gm-tl-status").text_content() == "Dates: 22 May 2020 – Aug 2020"
    assert opened.errors == []


def test_a_touch_brush_on_a_phone_selects_what_the_cli_selects(open_touch, default_map):
    opened = open_touch(default_map)
    page = opened.page
    # A phone's axis labels every third month.
    touch_drag(page, tick_x(page, "Apr") + 4, tick_x(page, "Jul") + 4)
    wait_hash(page, "#since=2020-04&until=2020-07")
    assert_like_cli(page, ROOT / "data", DEFAULT_TOTAL)
    strip = page.get_by_role("region", name=re.compile("Timeline")).bounding_box()
    assert strip["y"] + strip["height"] <= PHONE[1] + 1 and strip["width"] <= PHONE[0]
    assert opened.errors == []


def test_typed_dates_and_places_in_the_panel_match_the_cli(open_map, default_map):
    opened = open_map(default_map)
    page = opened.page
    page.get_by_role("textbox", name="Since").fill("2020-05-20")
    page.get_by_role("textbox", name="Until").fill("2020-09")
    page.get_by_role("textbox", name="Until").press("Enter")
    wait_hash(page, "#since=2020-05-20&until=2020-09")
    assert_like_cli(page, ROOT / "data", DEFAULT_TOTAL)
    page.get_by_role("combobox", name="Place").fill("Caracas")
    page.get_by_role("combobox", name="Place").press("Enter")
    wait_hash(page, "#since=2020-05-20&until=2020-09&place=Caracas")
    expected = cli_ids(
        ROOT / "data", "--since", "2020-05-20", "--until", "2020-09", "--place", "Caracas"
    )
    assert listed(page) == expected
    count = cli_count(
        ROOT / "data", "--since", "2020-05-20", "--until", "2020-09", "--place", "Caracas"
    )
    assert showing(page) == f"Showing {count} of {DEFAULT_TOTAL} events"
    page.get_by_role("textbox", name="Since").fill("May")
    page.get_by_role("textbox", name="Since").press("Enter")
    assert page.get_by_role("textbox", name="Since").get_attribute("aria-invalid") == "true"
    assert opened.errors == []


def play_to_the_end(page) -> tuple[list[str], list[str]]:
    """Press Play at the fastest speed; the addresses and counts seen until it stops."""
    page.get_by_label("Playback speed").select_option(label="4×")
    page.get_by_role("button", name="▶ Play").click()
    hashes, counts = [], []
    for _ in range(400):
        hashes.append(page.evaluate("location.hash"))
        counts.append(showing(page))
        if page.locator(".gm-tl-play").get_attribute("aria-pressed") == "false":
            break
        page.wait_for_timeout(50)
    hashes.append(page.evaluate("location.hash"))  # it may have stepped since the last look
    counts.append(showing(page))
    return hashes, counts


def test_play_steps_month_by_month_and_stops_at_the_end(open_map, default_map):
    opened = open_map(default_map)
    page = opened.page
    hashes, counts = play_to_the_end(page)
    assert page.locator(".gm-tl-play").get_attribute("aria-pressed") == "false"
    assert hashes[-1] == "#since=2024-12&until=2024-12"
    months = [h.split("since=")[1][:7] for h in dict.fromkeys(hashes) if "since=" in h]
    assert months == sorted(months) and len(months) >= 15  # 22 steps, sampled
    assert months[0] == "2020-01" and "2022-06" not in months  # the empty years pass in one step
    assert len(set(counts)) >= 3
    assert_like_cli(page, ROOT / "data", DEFAULT_TOTAL)
    # Stopped at the end: the trail has gone, every marker drawn is a shown event's.
    assert page.locator(".gm-marker.gm-fading").count() == 0
    assert page.locator(".gm-tl-note").is_hidden()
    # Pause holds the window; the step keys move it a month.
    page.get_by_role("button", name="All dates").click()
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_timeout(900)
    page.get_by_role("button", name="❚❚ Pause").click()
    held = page.evaluate("location.hash")
    page.wait_for_timeout(1000)
    assert page.evaluate("location.hash") == held
    month = held.split("since=")[1][:7]
    page.keyboard.press(".")
    next_month = page.evaluate("location.hash").split("since=")[1][:7]
    assert next_month > month
    page.keyboard.press(",")
    assert page.evaluate("location.hash") == held
    assert opened.errors == []


def test_play_works_in_the_self_contained_file(open_map, tmp_path):
    out = tmp_path / "alone.html"
    render_map(ROOT / "data", out, self_contained=True)
    opened = open_map(out)
    hashes, counts = play_to_the_end(opened.page)
    assert hashes[-1] == "#since=2024-12&until=2024-12" and len(set(counts)) >= 3
    assert opened.blocked == [] and opened.failed == [] and opened.errors == []


def test_marks_are_as_wide_as_their_dates_are_uncertain(open_map, precision_map):
    opened = open_map(precision_map)
    page = opened.page

    def width(event_id):
        return page.locator(f'.gm-tl-mark[data-id="{event_id}"]').bounding_box()["width"]

    year, month, day = width("year-visit"), width("month-visit"), width("day-statement")
    assert year / day == pytest.approx(366, rel=0.02)
    assert month / day == pytest.approx(31, rel=0.02)
    assert year / month == pytest.approx(366 / 31, rel=0.01)
    plot = page.locator(".gm-tl-plot").bounding_box()
    assert year == pytest.approx(plot["width"], abs=1)  # the fixture's axis is the year 2020
    # A bound ends in a bar at its end date and fades in from its start: not a solid block.
    bound = page.locator('.gm-tl-mark[data-id="bound-statement"]')
    assert bound.locator("rect.gm-tl-end").count() == 1
    jul, aug = tick_x(page, "Jul"), tick_x(page, "Aug")
    right = bound.bounding_box()["x"] + bound.bounding_box()["width"]
    assert jul + (aug - jul) * 0.8 < right < aug
    assert opened.errors == []


def test_hovering_and_focusing_links_the_strip_the_map_and_the_list(open_map, precision_map):
    opened = open_map(precision_map)
    page = opened.page
    mark = page.locator('.gm-tl-mark[data-id="month-visit"]')
    box = mark.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    marker = page.locator('.gm-marker[aria-label^="Visit: Known to its month"]')
    assert "gm-linked" in marker.get_attribute("class")
    item = page.locator('button.gm-item[data-id="month-visit"]')
    assert "gm-linked" in item.get_attribute("class")
    assert page.locator(".gm-tl-tip").text_content().startswith("Known to its month")
    page.mouse.move(640, 300)
    assert "gm-linked" not in item.get_attribute("class")
    # The reverse: the list and the map's markers light the mark on the strip.
    page.locator('button.gm-item[data-id="day-statement"]').hover()
    assert "gm-tl-lit" in page.locator('.gm-tl-mark[data-id="day-statement"]').get_attribute(
        "class"
    )
    page.locator('.gm-marker[aria-label^="Statement: Known by a bound"]').focus()
    assert "gm-tl-lit" in page.locator('.gm-tl-mark[data-id="bound-statement"]').get_attribute(
        "class"
    )
    assert "gm-tl-lit" not in page.locator('.gm-tl-mark[data-id="day-statement"]').get_attribute(
        "class"
    )
    # Marks are reached with the keys, and Enter opens the event.
    page.locator(".gm-tl-mark[tabindex='0']").focus()
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.dataset.id")
    assert focused == "year-visit"  # by first day, then last: the bound ends first
    page.keyboard.press("Enter")
    assert "Known to its year" in page.locator(".leaflet-popup-content").inner_text()
    assert opened.errors == []


def test_thousands_of_events_draw_a_histogram_that_brushes_like_the_cli(
    open_map, basic_data, tmp_path
):
    rows = ["id,date,end_date,kind,title,summary,actors,places,carrier,confidence,sources,evidence"]
    for i in range(1500):
        year, month = 2019 + i % 3, 1 + (i * 7) % 12
        date = str(year) if i % 5 == 0 else f"{year}-{month:02d}"
        rows.append(
            f"e{i},{date},,{'visit' if i % 2 else 'statement'},Event {i},Summary {i}.,Iran,"
            f"{['caracas', 'tehran', 'damascus'][i % 3]},,reported,news-a,Quote {i}."
        )
    (basic_data / "events.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "many.html"
    render_map(basic_data, out)
    opened = open_map(out)
    page = opened.page
    assert page.locator(".gm-tl-mark").count() == 0
    canvas = page.locator("canvas.gm-tl-hist")
    painted = canvas.evaluate(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"
    )
    assert painted > 1000
    mouse_drag(page, tick_x(page, "2020") + 3, tick_x(page, "2021") - 3)
    wait_hash(page, "#since=2020-01&until=2020-12")
    options = address_options(page.url)
    assert showing(page) == f"Showing {cli_count(basic_data, *options)} of 1500 events"
    # Brush after brush, each step applied to the last one's selection, then the handles with
    # the keys: always the CLI's count, the list's too, and only events the CLI keeps listed.
    since = page.get_by_role("slider", name="Timeline start (since)")
    for move in ("drag", "since-drag", "left", "keys", "wide"):
        before = page.url
        if move == "drag":
            mouse_drag(page, tick_x(page, "2019") + 30, tick_x(page, "2020") + 40)
        elif move == "since-drag":
            box = since.bounding_box()
            mouse_drag(page, box["x"] + box["width"] / 2, box["x"] + 90)
        elif move == "left":
            mouse_drag(page, tick_x(page, "2021") + 50, tick_x(page, "2019") + 5)
        elif move == "keys":
            since.focus()
            for key in ("ArrowRight", "ArrowRight", "PageUp", "ArrowLeft"):
                page.keyboard.press(key)
        else:
            mouse_drag(page, tick_x(page, "2019") + 1, tick_x(page, "2021") + 60)
        page.wait_for_function("u => location.href !== u", arg=before, timeout=5000)
        options = address_options(page.url)
        count = cli_count(basic_data, *options)
        assert showing(page) == f"Showing {count} of 1500 events", (move, options)
        assert page.locator(".gm-list-count").text_content() == f"{count} events shown"
        # The rows a reader sees come at once, the others (up to 300) when the page is idle.
        page.wait_for_function(
            "n => document.querySelectorAll('button.gm-item').length === n", arg=min(count, 300)
        )
        dates = page.locator("button.gm-item .gm-item-date").all_text_contents()
        assert 0 < len(dates) == min(count, 300)
        ids = listed(page)
        assert set(ids) <= set(cli_ids(basic_data, *options)), move
    # The histogram drawn after these steps equals the one drawn afresh for the same range.
    pixels = "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).join()"
    stepped = canvas.evaluate(pixels)
    again = open_map(out, fragment="#" + page.url.split("#", 1)[1])
    assert again.page.locator("canvas.gm-tl-hist").evaluate(pixels) == stepped
    assert opened.errors == [] and again.errors == []


SNAPSHOT = """(label) => {
  const marker = document.querySelector(`.gm-marker[aria-label^="${label}"]`);
  const style = marker && getComputedStyle(marker);
  const note = document.querySelector('.gm-tl-note');
  return {
    hash: location.hash,
    playing: document.querySelector('.gm-tl-play').getAttribute('aria-pressed') === 'true',
    opacity: marker ? +style.opacity : null,
    transition: marker ? style.transitionDuration : null,
    hidden: marker ? marker.getAttribute('aria-hidden') : null,
    clickable: marker ? style.pointerEvents !== 'none' : null,
    faded: document.querySelectorAll('.gm-marker.gm-fading').length,
    mark: +getComputedStyle(document.querySelector('.gm-tl-mark[data-id="day-statement"]')).opacity,
    note: note.offsetParent !== null ? note.textContent : null,
    showing: document.querySelector('.gm-showing').textContent,
  };
}"""
DAY_MARKER = "Statement: Known to its day"  # day-statement, 21 May 2020, alone at its place
#: Damascus and Tehran in view, far enough apart at this zoom that neither joins a cluster.
PLAY_VIEW = "&map=3/33.0000/42.0000"


def steps_while_playing(page, count: int) -> list[dict]:
    """A snapshot of each of the next `count` playback steps, once its fade has settled."""
    out, last = [], page.evaluate("location.hash")
    for _ in range(count):
        page.wait_for_function(
            "h => location.hash !== h ||"
            " document.querySelector('.gm-tl-play').getAttribute('aria-pressed') === 'false'",
            arg=last,
            timeout=10_000,
        )
        page.wait_for_timeout(400)  # longer than the fade's transition, shorter than a step
        snap = page.evaluate(SNAPSHOT, DAY_MARKER)
        if out and snap["hash"] == out[-1]["hash"]:
            break  # stopped
        out.append(snap)
        last = snap["hash"]
        if not snap["playing"]:
            break
    return out


def window_of(snap) -> str:
    return snap["hash"].split("since=")[1][:7]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_play_leaves_a_fading_trail_that_is_not_counted(open_map, precision_map, size):
    opened = open_map(precision_map, fragment="#since=2020-04&until=2020-04" + PLAY_VIEW,
                      viewport=size)
    page = opened.page
    assert page.locator(f'.gm-marker[aria-label^="{DAY_MARKER}"]').count() == 0  # April
    assert page.locator(".gm-tl-note").is_hidden()
    box = page.get_by_role("button", name="▶ Play").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    snaps = steps_while_playing(page, 5)
    assert [window_of(s) for s in snaps] == ["2020-05", "2020-06", "2020-07", "2020-08", "2020-09"]
    may, jun, jul, aug, sep = snaps
    # In its month the event is drawn in full and counted.
    assert may["opacity"] == 1 and may["hidden"] is None and may["clickable"]
    count = cli_count(PRECISION, "--since", "2020-05", "--until", "2020-05")
    assert may["showing"] == f"Showing {count} of 6 events"
    # The window passed it: drawn ever fainter for three steps, then gone.
    assert jun["opacity"] == pytest.approx(0.55, abs=0.02)
    assert jul["opacity"] == pytest.approx(0.30, abs=0.02)
    assert aug["opacity"] == pytest.approx(0.12, abs=0.02)
    assert sep["opacity"] is None
    for snap in (jun, jul, aug):
        # Faded marks are neither counted, nor listed, nor clickable, nor read out; a note says so.
        month = window_of(snap)
        count = cli_count(PRECISION, "--since", month, "--until", month)
        assert snap["showing"] == f"Showing {count} of 6 events", month
        assert snap["hidden"] == "true" and not snap["clickable"]
        assert snap["faded"] >= 1
        assert snap["note"] == " faded: passed in the last 3 steps, not counted"
        assert snap["transition"] == "0.3s"  # the fade is animated (no reduced motion asked)
    assert "day-statement" not in listed(page)
    # On the strip the passed mark fades too, down to how a mark out of the range is drawn.
    assert [s["mark"] for s in snaps] == pytest.approx([1, 0.55, 0.3, 0.18, 0.18], abs=0.02)
    # Pausing with the mouse clears the trail (the bound statement of July is fading now):
    # what is drawn is what is counted.
    box = page.get_by_role("button", name="❚❚ Pause").bounding_box()
    assert page.evaluate(SNAPSHOT, DAY_MARKER)["faded"] >= 1
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    paused = page.evaluate(SNAPSHOT, DAY_MARKER)
    assert not paused["playing"] and paused["faded"] == 0 and paused["note"] is None
    assert_like_cli(page, PRECISION, 6)
    assert opened.errors == []


def test_play_by_keyboard_fades_without_animation_when_motion_is_reduced(open_map, precision_map):
    opened = open_map(precision_map, fragment="#since=2020-04&until=2020-04" + PLAY_VIEW)
    page = opened.page
    page.emulate_media(reduced_motion="reduce")
    page.get_by_label("Playback speed").select_option(label="½×")  # time for axe-core
    page.get_by_role("button", name="▶ Play").focus()
    page.keyboard.press("Enter")
    may, jun = steps_while_playing(page, 2)
    assert [window_of(may), window_of(jun)] == ["2020-05", "2020-06"]
    # Still drawn faded, and said so, but not animated.
    assert jun["opacity"] == pytest.approx(0.55, abs=0.01) and jun["hidden"] == "true"
    assert jun["transition"] == "0s"
    assert jun["note"] == " faded: passed in the last 3 steps, not counted"
    month = window_of(jun)
    count = cli_count(PRECISION, "--since", month, "--until", month)
    assert jun["showing"] == f"Showing {count} of 6 events"
    assert run_axe(page) == []
    # The day's statement fades until August: axe-core ran over the trail from start to end.
    during = page.evaluate(SNAPSHOT, DAY_MARKER)
    assert window_of(during) <= "2020-08" and during["opacity"] is not None
    # K pauses: the trail goes at once; a step with "." draws only the new window's events.
    page.keyboard.press("k")
    paused = page.evaluate(SNAPSHOT, DAY_MARKER)
    assert not paused["playing"] and paused["faded"] == 0 and paused["opacity"] is None
    assert paused["note"] is None
    held = paused["hash"]
    page.keyboard.press(".")
    stepped = page.evaluate(SNAPSHOT, DAY_MARKER)
    assert stepped["hash"] > held and stepped["faded"] == 0
    assert_like_cli(page, PRECISION, 6)
    # Play again from there; a brush while playing stops it and clears the trail.
    page.keyboard.press("k")
    (aug,) = steps_while_playing(page, 1)
    assert window_of(aug) == "2020-08" and aug["faded"] >= 1  # July's bound statement
    mouse_drag(page, tick_x(page, "Feb") + 6, tick_x(page, "Mar") + 6)
    wait_hash(page, "#since=2020-02&until=2020-03" + PLAY_VIEW)
    after = page.evaluate(SNAPSHOT, DAY_MARKER)
    assert not after["playing"] and after["faded"] == 0
    assert_like_cli(page, PRECISION, 6)
    assert opened.errors == []
