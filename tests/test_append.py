"""`geomap add`: validated first, then appended atomically without touching existing bytes."""

import pytest
from click.testing import CliRunner

from geomap.append import derive_id, slugify
from geomap.cli import cli
from geomap.load import load_dataset
from geomap.validate import check, errors_of

GOOD = [
    "--date", "2020-06", "--kind", "shipment", "--title", 'Tanker "Forest", to Cardón',
    "--places", "Bandar Abbas > Cardón", "--sources", "news-a", "--confidence", "reported",
    "--actors", "Iran; Venezuela", "--evidence", "The Forest arrived.",
    "--summary", "Second tanker.\nIt docked at the refinery.",
]


def add(data_dir, *args):
    return CliRunner().invoke(cli, ["add", "--data", str(data_dir), *args])


def test_add_then_validate_round_trips(basic_data):
    before = (basic_data / "events.csv").read_bytes()
    result = add(basic_data, *GOOD)
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"added {basic_data / 'events.csv'}:6: 2020-06-tanker-forest-to-cardon\n"
    )
    after = (basic_data / "events.csv").read_bytes()
    assert after.startswith(before)
    dataset = load_dataset(basic_data)
    assert errors_of(check(dataset)) == []
    row = dataset.events.rows[-1]
    assert row["title"] == 'Tanker "Forest", to Cardón'
    assert row["summary"] == "Second tanker.\nIt docked at the refinery."
    assert dataset.events.lines[-1] == 6
    validate = CliRunner().invoke(cli, ["validate", "--data", str(basic_data)])
    assert validate.exit_code == 0


def test_refused_add_leaves_the_file_byte_identical(basic_data):
    path = basic_data / "events.csv"
    before = path.read_bytes()
    bad = [v if v != "Bandar Abbas > Cardón" else "Bandar Abbas > Tachira statee" for v in GOOD]
    result = add(basic_data, *bad)
    assert result.exit_code == 1
    assert (
        f"{path}:6: places: unknown place 'Tachira statee' (did you mean 'tachira'?)"
        in result.output
    )
    assert path.read_bytes() == before
    assert sorted(p.name for p in basic_data.iterdir()) == [
        "events.csv", "places.csv", "sources.csv",
    ]


def test_duplicate_id_is_refused(basic_data):
    path = basic_data / "events.csv"
    before = path.read_bytes()
    result = add(basic_data, *GOOD, "--id", "air-bridge")
    assert result.exit_code == 1
    assert f"{path}:6: id: duplicate id 'air-bridge' (first on line 3)" in result.output
    assert path.read_bytes() == before


def test_dry_run_prints_the_row_and_writes_nothing(basic_data):
    path = basic_data / "events.csv"
    before = path.read_bytes()
    result = add(basic_data, *GOOD, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.startswith('2020-06-tanker-forest-to-cardon,2020-06,,shipment,"Tanker')
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("transform", "ending"),
    [
        (lambda b: b.replace(b"\n", b"\r\n"), b"\r\n"),  # CRLF file stays CRLF
        (lambda b: b.rstrip(b"\n"), b"\n"),  # no newline at the end
        (lambda b: b"\xef\xbb\xbf" + b, b"\n"),  # a byte order mark is kept
    ],
    ids=["crlf", "no-final-newline", "bom"],
)
def test_existing_bytes_and_line_endings_are_preserved(basic_data, transform, ending):
    path = basic_data / "events.csv"
    path.write_bytes(transform(path.read_bytes()))
    before = path.read_bytes()
    result = add(basic_data, *GOOD)
    assert result.exit_code == 0, result.output
    after = path.read_bytes()
    assert after.startswith(before)
    added = after[len(before):]
    assert added.endswith(ending)
    if ending == b"\r\n":  # the record ends in CRLF; the summary's own line break is kept as given
        assert added.count(b"\r\n") == 1
    assert errors_of(check(load_dataset(basic_data))) == []


def test_column_order_follows_the_file(basic_data):
    path = basic_data / "events.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    reordered = [header[1], header[0], *header[2:]]
    rows = [",".join([r.split(",")[1], r.split(",")[0], *r.split(",")[2:]]) for r in lines[1:]]
    path.write_text("\n".join([",".join(reordered), *rows]) + "\n", encoding="utf-8")
    result = add(basic_data, *GOOD)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").splitlines()[-2].startswith(
        "2020-06,2020-06-tanker-forest-to-cardon,"
    )


def test_ids_are_derived_from_date_and_title():
    assert slugify("Llegó el tanquero «Fortune»!") == "llego-el-tanquero-fortune"
    assert derive_id("2020-05-25", "Fortune arrives at El Palito") == (
        "2020-05-25-fortune-arrives-at-el-palito"
    )
    long = derive_id("2020", "word " * 40)
    assert len(long) <= 64 and not long.endswith("-")
