import doctest
import re
from datetime import date

import pytest

from geomap import schema
from geomap.schema import PartialDate, date_span_label, split_list, split_stops


def test_doctests():
    assert doctest.testmod(schema).failed == 0


@pytest.mark.parametrize(
    ("text", "label", "first", "last"),
    [
        ("2020", "2020", date(2020, 1, 1), date(2020, 12, 31)),
        ("2020-02", "February 2020", date(2020, 2, 1), date(2020, 2, 29)),
        ("2024-11-21", "21 November 2024", date(2024, 11, 21), date(2024, 11, 21)),
    ],
)
def test_partial_dates_keep_their_precision(text, label, first, last):
    parsed = PartialDate.parse(text)
    assert parsed.label() == label
    assert parsed.iso() == text
    assert (parsed.first_day(), parsed.last_day()) == (first, last)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-02-30", "'2020-02-30': February 2020 has no day 30"),
        ("2021-02-29", "'2021-02-29': February 2021 has no day 29"),
        ("2020-13", "'2020-13': month 13 does not exist"),
        ("20-05-2020", "'20-05-2020' is not YYYY, YYYY-MM or YYYY-MM-DD"),
        ("May 2020", "'May 2020' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_impossible_dates_are_refused(text, message):
    with pytest.raises(ValueError) as info:
        PartialDate.parse(text)
    assert str(info.value) == message


def test_span_label():
    assert date_span_label(PartialDate.parse("2020-05"), None) == "May 2020"
    assert (
        date_span_label(PartialDate.parse("2020-05-25"), PartialDate.parse("2020-06"))
        == "25 May 2020 – June 2020"
    )


def test_lists_and_stops_split_and_trim():
    assert split_list(" Iran; Venezuela ;; ") == ["Iran", "Venezuela"]
    assert split_stops("tehran > damascus>caracas") == ["tehran", "damascus", "caracas"]


def _package():
    import json

    from .conftest import ROOT

    return json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))


def test_datapackage_agrees_with_the_code():
    """data/datapackage.json (Frictionless Table Schema) describes exactly the code's schema."""
    resources = {r["path"]: r for r in _package()["resources"]}
    assert set(schema.COLUMNS) <= set(resources) <= set(schema.COLUMNS) | set(schema.EXTRA_FILES)
    for filename in set(resources) & set(schema.EXTRA_FILES):
        fields = resources[filename]["schema"]["fields"]
        assert [f["name"] for f in fields] == list(schema.EXTRA_FILES[filename]), filename
        assert all(f.get("description") for f in fields), filename
    for filename, columns in schema.COLUMNS.items():
        fields = resources[filename]["schema"]["fields"]
        assert [f["name"] for f in fields] == list(columns)
        required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
        assert required == list(schema.REQUIRED_VALUES[filename]), filename
        assert resources[filename]["schema"]["primaryKey"] == ["id"]
        enums = {f["name"]: f["constraints"]["enum"] for f in fields
                 if "enum" in f.get("constraints", {})}
        expected = {
            schema.PLACES_FILE: {"kind": list(schema.PLACE_KINDS),
                                 "precision": list(schema.PLACE_PRECISIONS)},
            schema.SOURCES_FILE: {},
            schema.EVENTS_FILE: {"kind": list(schema.EVENT_KINDS),
                                 "confidence": list(schema.CONFIDENCE_LEVELS)},
        }[filename]
        assert enums == expected, filename
        for field in fields:
            pattern = field.get("constraints", {}).get("pattern")
            if field["name"] == "id":
                for sample in ("a", "tanker-1", "A", "a--b", "-a", "a-", "ñ"):
                    assert bool(re.match(pattern, sample)) == bool(schema.SLUG.match(sample))
            assert field.get("description"), (filename, field["name"])
