import json

from click.testing import CliRunner

from geomap.cli import cli

from .conftest import FIXTURES


def run(*args):
    result = CliRunner().invoke(cli, ["stats", "--data", str(FIXTURES / "basic"), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_table():
    lines = run().splitlines()
    assert lines[0] == "4 events from 2 sources"
    assert lines[2].split() == ["year", "shipment", "flight", "visit", "total"]
    assert lines[4].split() == ["2020", "1", "2", "1", "4"]
    assert ["Iran", "2"] in [line.split() for line in lines]
    assert ["Mahan", "Air", "1"] in [line.split() for line in lines]
    assert ["alleged", "1"] in [line.split() for line in lines]


def test_json_follows_filters():
    summary = json.loads(run("--format", "json", "--kind", "flight"))
    assert summary == {
        "events": 2,
        "sources": 2,
        "kinds": ["flight"],
        "by_year": {"2020": {"flight": 2}},
        "actors": [
            {"actor": "Conviasa", "events": 1},
            {"actor": "Example", "events": 1},
            {"actor": "Mahan Air", "events": 1},
        ],
        "confidence": {"confirmed": 0, "reported": 1, "alleged": 1},
    }


def test_csv():
    lines = run("--format", "csv").splitlines()
    assert lines[0] == "section,key,kind,count"
    assert "year,2020,flight,2" in lines
    assert "total,sources,,2" in lines


def test_empty_selection_gives_zero_counts():
    summary = json.loads(run("--format", "json", "--year", "2019"))
    assert summary["events"] == 0 and summary["by_year"] == {}


def test_by_month_top_and_attribute():
    from geomap.pipeline import event_stats

    custom = FIXTURES / "custom"
    summary = json.loads(event_stats(custom, "json", by="month", top=1, attribute="province"))
    assert summary["by"] == "month"
    assert summary["by_year"] == {
        "2022-03": {"protest": 2, "airlift": 0},
        "2022-04": {"protest": 0, "airlift": 1},
        "2023": {"protest": 1, "airlift": 0},
    }
    assert summary["actors"] == [{"actor": "Students", "events": 2}]
    assert summary["attribute"]["counts"][0] == {"value": "Kyiv City", "events": 2}
    everyone = json.loads(event_stats(custom, "json", top=None))
    assert len(everyone["actors"]) == 2
    table = event_stats(custom, "table", by="month", attribute="town")
    assert table.splitlines()[2].split() == ["month", "protest", "airlift", "total"]
    assert "(empty)" in table


def test_counting_by_an_unknown_column_is_an_error():
    import pytest

    from geomap.errors import FilterError
    from geomap.pipeline import event_stats

    with pytest.raises(FilterError, match="no column 'provnce' to count by"):
        event_stats(FIXTURES / "custom", "json", attribute="provnce")
