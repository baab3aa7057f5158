"""The map's filter panel selects exactly what the command line selects, and the URL keeps it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.pipeline import render_map

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
