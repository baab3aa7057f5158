"""`geomap add`: validated first, then appended atomically without touching existing bytes."""

import errno
import fcntl
import os

import pytest
from click.testing import CliRunner

from geomap import append
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


# --- Writing through to the real file: links, mode, owner, read-only, a full disk, a lock. ---


def test_a_symlink_inside_the_data_directory_gets_the_row(basic_data):
    real = basic_data / "current" / "events-2020.csv"
    real.parent.mkdir()
    (basic_data / "events.csv").rename(real)
    (basic_data / "events.csv").symlink_to(os.path.join("current", "events-2020.csv"))
    result = add(basic_data, *GOOD)
    assert result.exit_code == 0, result.output
    assert (basic_data / "events.csv").is_symlink()
    assert real.read_text(encoding="utf-8").count("2020-06-tanker-forest-to-cardon") == 1


def test_a_symlink_leaving_the_data_directory_is_refused(basic_data, tmp_path):
    outside = tmp_path / "elsewhere.csv"
    (basic_data / "events.csv").rename(outside)
    (basic_data / "events.csv").symlink_to(outside)
    before = outside.read_bytes()
    result = add(basic_data, *GOOD)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {basic_data / 'events.csv'}: is a link to {outside}, outside the data "
        "directory; data files must live in it\n"
    )
    assert outside.read_bytes() == before


def test_hard_links_mode_and_owner_are_kept(basic_data, tmp_path):
    path = basic_data / "events.csv"
    twin = tmp_path / "events-twin.csv"
    os.link(path, twin)
    path.chmod(0o640)
    inode = path.stat().st_ino
    owner = (path.stat().st_uid, path.stat().st_gid)
    if os.geteuid() == 0:
        os.chown(path, 4321, 4321)
        owner = (4321, 4321)
    result = add(basic_data, *GOOD)
    assert result.exit_code == 0, result.output
    info = path.stat()
    assert (info.st_ino, info.st_nlink) == (inode, 2)
    assert info.st_mode & 0o7777 == 0o640
    assert (info.st_uid, info.st_gid) == owner
    assert twin.read_bytes() == path.read_bytes()


def test_a_read_only_file_is_refused(basic_data):
    path = basic_data / "events.csv"
    path.chmod(0o444)
    before = path.read_bytes()
    result = add(basic_data, *GOOD)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: is read-only; make it writable (chmod u+w) to add events, "
        "nothing written\n"
    )
    assert path.read_bytes() == before
    assert add(basic_data, *GOOD, "--dry-run").exit_code == 0  # reading is fine


def test_a_full_disk_leaves_the_file_as_it_was(basic_data, monkeypatch):
    path = basic_data / "events.csv"
    before = path.read_bytes()
    real = os.pwrite

    def half_then_full(fd, data, offset):
        if len(data) > 8:
            return real(fd, bytes(data[: len(data) // 2]), offset)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(append.os, "pwrite", half_then_full)
    result = add(basic_data, *GOOD)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: cannot add the row: No space left on device; the file is unchanged\n"
    )
    assert path.read_bytes() == before


def test_a_held_lock_waits_then_fails_clearly(basic_data, monkeypatch):
    path = basic_data / "events.csv"
    before = path.read_bytes()
    monkeypatch.setenv("GEOMAP_LOCK_TIMEOUT", "0.3")
    with open(path, "rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        result = add(basic_data, *GOOD)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {path}: another geomap process has held this file for 0.3 s; try again when "
        "it is done (nothing written)\n"
    )
    assert path.read_bytes() == before
    assert add(basic_data, *GOOD).exit_code == 0  # released: the next add goes through


def test_errors_elsewhere_are_summarised_not_listed(basic_data):
    places = basic_data / "places.csv"
    places.write_text(places.read_text(encoding="utf-8").replace(",VE,", ",Venezuela,"),
                      encoding="utf-8")
    before = (basic_data / "events.csv").read_bytes()
    result = add(basic_data, *GOOD)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert len(lines) == 3, lines  # the first error, the count, the summary
    assert "country: 'Venezuela' is not an ISO 3166-1 alpha-2 code" in lines[0]
    assert "errors elsewhere in the data (the first above)" in lines[1]
    assert (basic_data / "events.csv").read_bytes() == before
