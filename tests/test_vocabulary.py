"""Datasets declare their own kinds; confidence may be left unassessed; extra columns are kept."""

import json
import shutil

import pytest

from geomap.assemble import assemble
from geomap.load import load_dataset
from geomap.payload import map_payload
from geomap.pipeline import event_stats
from geomap.records import resolve
from geomap.vocabulary import DEFAULT, from_rows, vocabulary_of

from .conftest import FIXTURES
from .helpers import problems

CUSTOM = FIXTURES / "custom"


@pytest.fixture
def custom(tmp_path):
    return shutil.copytree(CUSTOM, tmp_path / "data")



def test_a_declared_vocabulary_replaces_the_defaults():
    vocabulary = vocabulary_of(load_dataset(CUSTOM))
    assert vocabulary.ids == ("protest", "airlift")
    assert vocabulary.route("airlift") == "air" and vocabulary.route("protest") == ""
    assert vocabulary_of(load_dataset(FIXTURES / "basic")) == DEFAULT
    assert problems(CUSTOM) == []


def test_custom_kinds_reach_the_map_with_their_style():
    payload = map_payload(assemble(load_dataset(CUSTOM)), "t", "m")
    assert [(k["id"], k["label"], k["color"], k["mark"], k["count"]) for k in payload["kinds"]] == [
        ("protest", "Protest", "#0072B2", "circle", 3),
        ("airlift", "Airlift", "#D55E00", "triangle", 1),
    ]
    airlift = payload["events"]["id"].index("a1")
    assert payload["geoms"][payload["events"]["geom"][airlift]]["t"] == "L"


def test_an_event_kind_outside_the_vocabulary_is_an_error(custom):
    text = (custom / "events.csv").read_text().replace(",airlift,", ",shipment,")
    (custom / "events.csv").write_text(text)
    assert any("kind 'shipment' is not one of protest, airlift" in e for e in problems(custom))


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("riot,Riot,red,circle,", "colour: 'red' is not a colour like #0072B2"),
        ("riot,Riot,#123456,blob,", "mark: mark 'blob' is not one of circle"),
        ("riot,Riot,#123456,circle,rail", "route: route 'rail' is not one of sea, air"),
        ("Riot,Riot,,,", "'Riot' is not a slug"),
        ("protest,Again,,,", "duplicate id 'protest' (first on line 2)"),
    ],
)
def test_kinds_file_rules(custom, row, message):
    with (custom / "kinds.csv").open("a") as handle:
        handle.write(row + "\n")
    found = problems(custom)
    assert any(message in e and "kinds.csv:4:" in e for e in found), found


def test_missing_colour_and_mark_come_from_the_defaults():
    vocabulary = from_rows([{"id": "a"}, {"id": "b", "label": "Bee"}])
    assert [(k.label, k.colour, k.mark) for k in vocabulary.kinds] == [
        ("A", "#0072B2", "circle"), ("Bee", "#D05A00", "square"),
    ]


def test_unassessed_confidence_is_said_not_claimed():
    payload = map_payload(assemble(load_dataset(CUSTOM)), "t", "m")
    assert payload["levels"][0] == "unassessed"
    assert payload["confidence"]["unassessed"].startswith("not assessed")
    first = payload["events"]["id"].index("p1")
    assert payload["levels"][payload["events"]["confidence"][first]] == "unassessed"
    summary = json.loads(event_stats(CUSTOM, "json"))
    assert summary["confidence"] == {
        "confirmed": 1, "reported": 1, "alleged": 0, "unassessed": 2,
    }
    assert json.loads(event_stats(CUSTOM, "json", criteria=_min("alleged")))["events"] == 2


def _min(level):
    from geomap.filters import Criteria

    return Criteria.from_options(confidence=level)


def test_extra_columns_are_kept_as_attributes():
    events = resolve(load_dataset(CUSTOM))
    assert events[0].attributes == (("province", "Kyiv City"), ("town", "Kyiv"))
    payload = map_payload(assemble(load_dataset(CUSTOM)), "t", "m")
    assert payload["attribute_names"] == ["province", "town"]
    assert payload["events"]["attributes"][1] == ["Lviv Oblast", "Lviv"]


def test_a_misspelt_known_column_is_still_an_error(custom):
    text = (custom / "events.csv").read_text().replace(",summary,", ",sumary,", 1)
    (custom / "events.csv").write_text(text)
    assert any("unknown column 'sumary' (did you mean 'summary'?)" in e for e in problems(custom))


def test_the_dataset_titles_its_map(tmp_path):
    from geomap.pipeline import render_map

    out = tmp_path / "m.html"
    render_map(CUSTOM, out)
    assert "<title>A monitor of rallies</title>" in out.read_text()
