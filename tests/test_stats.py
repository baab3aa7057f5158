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
