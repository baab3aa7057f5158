"""The map's filter panel selects exactly what the command line selects, and the URL keeps it."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.pipeline import render_map

from .conftest import copy_fixture
from .test_browser_reader import run_axe

pytestmark = pytest.mark.browser


def cli_ids(data_dir, *options) -> list[str]:
    result = CliRunner().invoke(
        cli, ["export", "--data", str(data_dir), "--format", "geojson", "-o", "-", *options]
    )
    if result.exit_code != 0:
        assert "no event matches" in result.output
        return []
    return [f["id"] for f in json.loads(result.stdout)["features"]]


@pytest.fixture
def rendered(basic_data, tmp_path):
    out = tmp_path / "map.html"
    render_map(basic_data, out)
    return out


def shown(opened) -> list[str]:
    return opened.evaluate("window.geomap.shownIds()")


def showing_text(opened) -> str:
    return opened.page.locator(".gm-showing").inner_text()


def test_panel_selection_equals_cli_selection_and_survives_reload(open_map, rendered, basic_data):
    opened = open_map(rendered)
    page = opened.page
    assert showing_text(opened) == "Showing 4 of 4 events"

    # "Only flights, reported or better" through the legend's kind toggles and the radio buttons.
    page.get_by_label("Show Shipment").uncheck()
    page.get_by_label("Show Visit").uncheck()
    page.locator("input[name=gm-confidence][value=reported]").check()
    expected = cli_ids(basic_data, "--kind", "flight", "--confidence", "reported")
    assert expected == ["pacific-flight"]
    assert shown(opened) == expected
    assert opened.evaluate("window.geomap.drawnCount()") == len(expected)
    assert showing_text(opened) == "Showing 1 of 4 events"
    assert page.locator(".gm-kind .gm-count").all_inner_texts() == ["0 / 1", "1 / 2", "0 / 1"]

    # Reload from the URL alone: the same view.
    url = page.url
    assert url.endswith("#kind=flight&confidence=reported")  # the CLI's option names
    again = open_map(rendered, fragment="#" + url.split("#", 1)[1])
    assert shown(again) == expected
    assert again.page.get_by_label("Show Shipment").is_checked() is False
    assert again.page.locator("input[name=gm-confidence][value=reported]").is_checked()
    assert showing_text(again) == "Showing 1 of 4 events"
    old = open_map(rendered, fragment="#kinds=flight&confidence=reported")  # links made before
    assert shown(old) == expected
    assert opened.errors == [] and again.errors == [] and old.errors == []


def test_actor_filter_with_search_box_matches_cli(open_map, rendered, basic_data):
    opened = open_map(rendered)
    page = opened.page
    page.get_by_label("Find an actor").fill("mahan")
    visible = [t.strip() for t in page.locator(".gm-actors label:visible").all_inner_texts()]
    assert visible == ["Mahan Air (1)"]
    assert page.locator(".gm-actors label").count() == 5  # the others are hidden, not removed
    page.locator(".gm-actors label:visible input").check()
    assert shown(opened) == cli_ids(basic_data, "--actor", "Mahan Air") == ["air-bridge"]
    page.get_by_label("Find an actor").fill("")
    page.locator(".gm-actors label", has_text="Example").locator("input").check()
    assert shown(opened) == cli_ids(basic_data, "--actor", "Mahan Air", "--actor", "Example")
    reloaded = open_map(rendered, fragment="#" + page.url.split("#", 1)[1])
    assert shown(reloaded) == ["air-bridge", "pacific-flight"]
    page.get_by_text("Reset filters").click()
    assert shown(opened) == cli_ids(basic_data)
    assert "#" not in page.url or page.url.endswith("#") or page.url.split("#", 1)[1] == ""


def test_year_slider_matches_cli_year_range(open_map, tmp_path, basic_data):
    events = basic_data / "events.csv"
    text = events.read_text(encoding="utf-8")
    text = text.replace("pacific-flight,2020-06-01,2020-06-02", "pacific-flight,2022-06-01,")
    events.write_text(text, encoding="utf-8")
    out = tmp_path / "years.html"
    render_map(basic_data, out)
    opened = open_map(out)
    page = opened.page
    page.get_by_label("From year").fill("2021")
    assert shown(opened) == cli_ids(basic_data, "--year", "2021-2022") == ["pacific-flight"]
    page.get_by_label("To year").fill("2021")
    assert shown(opened) == cli_ids(basic_data, "--year", "2021") == []
    assert showing_text(opened) == "Showing 0 of 4 events"
    reloaded = open_map(out, fragment="#years=2020-2020")
    assert shown(reloaded) == cli_ids(basic_data, "--year", "2020")


# ---- Space and the dataset's own columns, filled in as a reader would ----

DESKTOP, PHONE = (1280, 800), (390, 844)
PACIFIC_ROWS = (
    'f1,2023-05-01,,protest,Rally in Suva,,Students,"-18.1416,178.4419",,reported,monitor,,'
    "Central,Suva\n"
    'f2,2023-06-01,,protest,Rally in Apia,,Workers,"-13.8333,-171.7667",,alleged,monitor,,'
    "Tuamasaga,Apia\n"
)


@pytest.fixture(scope="module")
def attributed(tmp_path_factory) -> tuple:
    """The custom fixture (columns province and town) with two rallies across the antimeridian,
    rendered once."""
    data = copy_fixture("custom", tmp_path_factory.mktemp("attributed") / "data")
    with (data / "events.csv").open("a", encoding="utf-8") as out:
        out.write(PACIFIC_ROWS)
    html = data.parent / "map.html"
    render_map(data, html)
    return data, html


def stats_count(data_dir, *options) -> int:
    """How many events ``geomap stats`` counts with these options (a separate process)."""
    result = subprocess.run(
        [sys.executable, "-m", "geomap", "stats", "--data", str(data_dir), "--format", "json",
         *options],
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)["events"]


def showing_count(page) -> int:
    """The panel's "Showing X of Y events" (read even while the panel is folded on a phone)."""
    text = page.locator(".gm-showing").text_content()
    match = re.fullmatch(r"Showing (\d+) of (\d+) events", text)
    assert match, text
    return int(match.group(1))


def reach(page, target):
    """Scroll the filter panel with the mouse wheel until ``target`` is in view."""
    panel = page.locator(".gm-panel")
    height = page.viewport_size["height"]
    for _ in range(40):
        box, frame = target.bounding_box(), panel.bounding_box()
        bottom = min(frame["y"] + frame["height"], height)
        if box["y"] >= max(frame["y"], 0) and box["y"] + box["height"] <= bottom:
            return box
        page.mouse.move(frame["x"] + frame["width"] / 2, max(frame["y"], 0) + 40)
        page.mouse.wheel(0, 60 if box["y"] + box["height"] > bottom else -60)
        page.wait_for_timeout(50)
    raise AssertionError(f"{target} is not reachable in the panel")


def click(page, target):
    box = reach(page, target)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def type_into(page, target, text):
    """Click a field, replace what it holds with ``text`` and leave it (Tab), as a reader does."""
    click(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(text)
    page.keyboard.press("Tab")


def type_numbers(page, option, values):
    for n, value in enumerate(values):
        type_into(page, page.locator(f".gm-{option} input").nth(n), value)


def field_values(page, option) -> str:
    return ",".join(i.input_value() for i in page.locator(f".gm-{option} input").all())


def open_sections(page, size, names=("gm-space", "gm-columns")):
    if size == PHONE:
        click(page, page.locator(".gm-panel > summary"))
    for name in names:
        section = page.locator(f".{name}")
        if section.get_attribute("open") is None:
            click(page, section.locator("summary"))


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_space_and_column_filters_count_what_stats_counts(open_map, attributed, size):
    data, html = attributed
    opened = open_map(html, viewport=size)
    page = opened.page
    assert showing_count(page) == stats_count(data) == 6
    open_sections(page, size)

    type_into(page, page.get_by_label("Column town is"), "KYIV")
    options = ["--where", "town=KYIV"]
    assert showing_count(page) == stats_count(data, *options) == 2

    click(page, page.get_by_text("Within", exact=True))  # the label focuses its select
    page.keyboard.type("Ukr")
    options += ["--within", "Ukraine"]
    assert showing_count(page) == stats_count(data, *options) == 2

    type_numbers(page, "near", ["49.8", "24", "80"])  # Lviv, not Kyiv
    options += ["--near", "49.8,24,80"]
    assert showing_count(page) == stats_count(data, *options) == 1  # the airlift Lviv > Kyiv
    url = page.url
    assert url.split("#", 1)[1] == (
        "near=49.8,24,80&within=Ukraine&where=town=KYIV")  # the CLI's option names

    again = open_map(html, fragment="#" + url.split("#", 1)[1], viewport=size)
    assert showing_count(again.page) == 1
    assert field_values(again.page, "near") == "49.8,24,80"
    assert again.page.get_by_label("Within a country").input_value() == "Ukraine"
    assert again.page.get_by_label("Column town is").input_value() == "KYIV"

    click(page, page.get_by_text("Reset filters"))
    assert showing_count(page) == 6
    type_numbers(page, "bbox", ["170", "-30", "-170", "0"])  # across the antimeridian
    assert showing_count(page) == stats_count(data, "--bbox", "170,-30,-170,0") == 2
    type_into(page, page.get_by_label("Column province is"), "tuamasaga; central; nowhere")
    assert showing_count(page) == stats_count(
        data, "--bbox", "170,-30,-170,0", "--where", "province=tuamasaga",
        "--where", "province=central", "--where", "province=nowhere") == 2
    assert page.locator(".gm-note").is_hidden()
    assert run_axe(page) == []
    assert opened.errors == [] and again.errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_view_and_its_centre_become_a_box_and_a_circle(open_map, attributed, size):
    data, html = attributed
    opened = open_map(html, fragment="#map=5/49.5/27", viewport=size)
    page = opened.page
    open_sections(page, size)
    click(page, page.get_by_text("Limit to the current view"))
    box = field_values(page, "bbox")
    west, south, east, north = (float(v) for v in box.split(","))
    assert west < 24.0297 and east > 30.5234 and south < 49.8 and north > 50.5  # Lviv and Kyiv
    assert showing_count(page) == stats_count(data, "--bbox", box) == 3
    click(page, page.get_by_text("Reset filters"))
    click(page, page.get_by_text("Near the map centre"))
    near = field_values(page, "near")
    lat, lon, km = (float(v) for v in near.split(","))
    assert abs(lat - 49.5) < 0.01 and abs(lon - 27) < 0.01 and km == 100
    assert showing_count(page) == stats_count(data, "--near", near) == 0
    type_into(page, page.locator(".gm-near input").nth(2), "300")
    wider = near.rsplit(",", 1)[0] + ",300"  # Lviv is about 215 km away, Kyiv about 255 km
    assert showing_count(page) == stats_count(data, "--near", wider) == 3
    assert opened.errors == []


def test_bad_values_in_the_address_are_noted_and_ignored(open_map, attributed):
    data, html = attributed
    fragment = "#near=91,0,5&bbox=1,2&within=Atlantis&where=nocolumn=x&where=town=Lviv"
    opened = open_map(html, fragment=fragment)
    page = opened.page
    note = page.locator(".gm-note")
    assert note.is_visible()
    assert note.inner_text() == ("Not applied (not understood): near=91,0,5; bbox=1,2; "
                                 "within=Atlantis; where=nocolumn=x")
    assert showing_count(page) == stats_count(data, "--where", "town=Lviv") == 1
    assert page.locator(".gm-near input").first.get_attribute("aria-invalid") == "true"
    assert opened.errors == []


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_within_a_states_own_outline_counts_what_stats_counts(open_map, tmp_path, size):
    """A place with an outline (outlines.geojson) is an area the panel offers, as --within
    accepts it: chosen by keyboard, and from a link by the place's name."""
    data = copy_fixture("outlined", tmp_path / "data")
    html = tmp_path / "map.html"
    render_map(data, html)
    opened = open_map(html, viewport=size)
    page = opened.page
    open_sections(page, size, ("gm-space",))
    click(page, page.get_by_text("Within", exact=True))
    page.keyboard.type("Táchira")
    assert showing_count(page) == stats_count(data, "--within", "Táchira") == 1
    again = open_map(html, fragment="#within=tachira", viewport=size)
    assert showing_count(again.page) == stats_count(data, "--within", "tachira") == 1
    assert opened.errors == again.errors == []
