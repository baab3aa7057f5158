"""Loading the three CSVs: encodings, line endings, editor line numbers, unreadable files."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import stat
import tempfile
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap.errors import DataFileError, GeomapError
from geomap.load import (
    Dataset,
    Table,
    decode,
    load_dataset,
    open_data_file,
    parse_table,
    read_fd,
    read_table,
)
from geomap.schema import EVENT_COLUMNS
from geomap.validate import check

from .conftest import FIXTURES

HEADER = ",".join(EVENT_COLUMNS)
ROW_A = "a-event,2020,,visit,A,,Iran,caracas,,reported,news-a,Quote."
ROW_B = "b-event,2021,,visit,B,,Iran,tehran,,reported,news-a,Quote."


def write(path: Path, text: str, *, bom: bool = False, newline: str = "\n") -> Path:
    data = text.replace("\n", newline).encode("utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + data if bom else data)
    return path


def table_of(tmp_path: Path, text: str, **kwargs) -> Table:
    return read_table(write(tmp_path / "events.csv", text, **kwargs))


def load_error(path: Path) -> DataFileError:
    with pytest.raises(DataFileError) as info:
        read_table(path)
    return info.value


# -- the fixture and what a Table holds ------------------------------------------------------


def test_basic_fixture_loads_with_editor_line_numbers():
    dataset = load_dataset(FIXTURES / "basic")
    assert isinstance(dataset, Dataset)
    assert [len(t.rows) for t in dataset.tables().values()] == [8, 2, 4]
    assert dataset.events.header == list(EVENT_COLUMNS)
    assert dataset.events.lines == [2, 3, 4, 5]
    assert dataset.places.lines == list(range(2, 10))
    assert dataset.events.header_line == 1
    first = dataset.events.rows[0]
    assert first["id"] == "tanker-to-cardon"
    assert first["title"] == "Tanker to Cardón"
    assert first["end_date"] == ""
    assert [line for line, _ in dataset.events.records()] == [2, 3, 4, 5]


def test_load_dataset_accepts_a_string_path():
    assert len(load_dataset(str(FIXTURES / "basic")).events.rows) == 4


# -- BOM and line endings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "newline"),
    [(True, "\n"), (False, "\r\n"), (True, "\r\n"), (False, "\r")],
    ids=["bom", "crlf", "bom-crlf", "cr"],
)
def test_bom_and_line_endings_give_the_same_rows_as_lf(tmp_path, bom, newline):
    text = (FIXTURES / "basic" / "events.csv").read_text(encoding="utf-8")
    plain = parse_table(text, tmp_path / "events.csv")
    other = table_of(tmp_path, text, bom=bom, newline=newline)
    assert other.header == plain.header == list(EVENT_COLUMNS)
    assert other.rows == plain.rows
    assert other.lines == plain.lines == [2, 3, 4, 5]


def test_bom_on_the_whole_dataset_validates_the_same(basic_data):
    for path in basic_data.iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    problems = [str(p) for p in check(load_dataset(basic_data))]
    assert problems == [
        f"{basic_data / 'sources.csv'}:3: url: no URL: readers cannot follow this source [warning]"
    ]


def test_decode_strips_only_a_leading_bom(tmp_path):
    assert decode(b"\xef\xbb\xbfid\n", tmp_path / "x.csv") == "id\n"
    assert decode("id,\ufeffx\n".encode(), tmp_path / "x.csv") == "id,\ufeffx\n"


def test_parse_table_accepts_text_that_still_has_a_bom(tmp_path):
    table = parse_table("\ufeffid,name\nx,y\n", tmp_path / "x.csv")
    assert table.header == ["id", "name"]


# -- line numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_record_after_a_three_line_quoted_field_gets_the_editor_line(tmp_path, newline):
    middle = 'm-event,2020,,visit,M,"one\ntwo\nthree",,caracas,,reported,x,'
    text = f"{HEADER}\n{ROW_A}\n{middle}\n{ROW_B}\n"
    table = table_of(tmp_path, text, newline=newline)
    assert [row["id"] for row in table.rows] == ["a-event", "m-event", "b-event"]
    assert table.lines == [2, 3, 6]
    assert table.rows[1]["summary"] == f"one{newline}two{newline}three"


def test_line_numbers_reach_validation_problems(basic_data):
    events = basic_data / "events.csv"
    text = events.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    # A summary spanning three lines in the first record, a bad kind in the second one.
    lines[1] = lines[1].replace(
        "A tanker sailed to the Cardón refinery.", '"A tanker\nsailed\nto Cardón."'
    )
    lines[2] = lines[2].replace(",flight,", ",flihgt,")
    events.write_text("".join(lines), encoding="utf-8")
    problems = [str(p) for p in check(load_dataset(basic_data)) if p.severity == "error"]
    assert problems == [
        f"{events}:5: kind: kind 'flihgt' is not one of shipment, flight, visit, seizure, "
        "statement, agreement, payment, appointment (did you mean 'flight'?)"
    ]


def test_blank_lines_are_skipped_but_counted(tmp_path):
    table = table_of(tmp_path, f"{HEADER}\n\n{ROW_A}\n\n   \n\n{ROW_B}\n\n")
    assert [row["id"] for row in table.rows] == ["a-event", "b-event"]
    assert table.lines == [3, 7]


def test_blank_lines_before_the_header(tmp_path, basic_data):
    table = table_of(tmp_path, f"\n\n{HEADER}\n{ROW_A}\n")
    assert table.header_line == 3
    assert table.lines == [4]
    events = basic_data / "events.csv"
    events.write_text("\n" + events.read_text(encoding="utf-8").replace(",evidence", ",evidense"))
    problems = [str(p) for p in check(load_dataset(basic_data)) if p.severity == "error"]
    assert problems == [
        f"{events}:2: evidense: unknown column 'evidense' (did you mean 'evidence'?)",
        f"{events}:2: evidence: missing column 'evidence'",
    ]


def test_short_records_are_padded_with_empty_values(tmp_path):
    table = table_of(tmp_path, "id,name,note\nx,y\n")
    assert table.rows == [{"id": "x", "name": "y", "note": ""}]


def test_header_names_are_stripped(tmp_path):
    assert table_of(tmp_path, " id , name\nx,y\n").header == ["id", "name"]


# -- files that cannot be read ---------------------------------------------------------------


def test_not_utf8_names_path_line_and_column(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(f"{HEADER}\n{ROW_A}\n".encode() + b"bad,T\xe1chira\n")
    exc = load_error(path)
    assert (exc.location.path, exc.location.line) == (path, 3)
    assert str(exc) == f"{path}:3: not UTF-8: byte 0xe1 at column 6; save the file as UTF-8"


def test_not_utf8_column_counts_characters_after_a_bom_and_crlf(tmp_path):
    path = tmp_path / "places.csv"
    path.write_bytes(b"\xef\xbb\xbfid,name\r\ncardon,Refiner\xc3\xada Card\xf3n\r\n")
    assert str(load_error(path)) == (
        f"{path}:2: not UTF-8: byte 0xf3 at column 22; save the file as UTF-8"
    )


def test_utf16_is_named(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(f"{HEADER}\n".encode("utf-16"))
    assert str(load_error(path)) == f"{path}:1: the file is UTF-16, not UTF-8; save it as UTF-8"


def test_unbalanced_quote_points_at_the_line_where_the_record_starts(tmp_path):
    path = write(tmp_path / "events.csv", f'{HEADER}\n{ROW_A}\nm,2020,,visit,"Open\n{ROW_B}\n')
    assert str(load_error(path)) == (
        f"{path}:3: malformed CSV: unbalanced double quote; a quoted value in the record "
        "starting on this line is never closed"
    )


def test_unbalanced_quote_in_a_long_file(tmp_path):
    rows = "\n".join([ROW_A] * 3000)
    path = write(tmp_path / "events.csv", f'{HEADER}\nm,2020,,visit,"Open\n{rows}\n')
    assert str(load_error(path)) == (
        f"{path}:2: malformed CSV: a value longer than 131,072 characters; probably an "
        "unbalanced double quote in the record starting on this line"
    )


def test_text_after_a_closing_quote(tmp_path):
    path = write(tmp_path / "events.csv", f'{HEADER}\n{ROW_A}\nm,2020,,visit,"Tanker" Fortune,\n')
    assert str(load_error(path)) == (
        f"{path}:3: malformed CSV: ',' expected after '\"'; a double quote inside a quoted "
        'value must be written twice ("")'
    )


def test_text_after_a_closing_quote_on_a_later_line_of_the_record(tmp_path):
    path = write(tmp_path / "events.csv", f'{HEADER}\nm,2020,,visit,"A\nB" C,\n')
    assert str(load_error(path)) == (
        f"{path}:2: malformed CSV (on line 3): ',' expected after '\"'; a double quote inside "
        'a quoted value must be written twice ("")'
    )


def test_quotes_written_twice_are_fine(tmp_path):
    table = table_of(tmp_path, f'{HEADER}\nm,2020,,visit,"Tanker ""Fortune"", Iran",\n')
    assert table.rows[0]["title"] == 'Tanker "Fortune", Iran'


@pytest.mark.parametrize("text", ["", "\n\n", "\r\n  \r\n"], ids=["empty", "blank", "spaces"])
def test_empty_file(tmp_path, text):
    path = write(tmp_path / "events.csv", text)
    assert str(load_error(path)) == (
        f"{path}:1: the file is empty; it needs at least a header line"
    )


def test_header_only_loads_and_validation_reports_no_records(basic_data):
    events = basic_data / "events.csv"
    events.write_text(HEADER + "\n", encoding="utf-8")
    dataset = load_dataset(basic_data)
    assert dataset.events.rows == []
    assert dataset.events.lines == []
    errors = [str(p) for p in check(dataset) if p.severity == "error"]
    assert errors == [f"{events}:1: -: no records below the header"]


def test_too_many_fields(tmp_path):
    path = write(tmp_path / "events.csv", f"{HEADER}\n{ROW_A}\n{ROW_B},Iran\n")
    assert str(load_error(path)) == (
        f"{path}:3: 13 fields but the header has 12; a value that contains a comma must be in "
        "double quotes"
    )


def test_missing_file(tmp_path):
    path = tmp_path / "events.csv"
    assert str(load_error(path)) == f"{path}: file not found"


def test_a_directory_where_a_file_should_be(basic_data):
    path = basic_data / "sources.csv"
    path.unlink()
    path.mkdir()
    with pytest.raises(DataFileError) as info:
        load_dataset(basic_data)
    assert str(info.value) == f"{path}: is a directory, not a CSV file"


def test_missing_data_file_in_a_dataset(basic_data):
    (basic_data / "places.csv").unlink()
    with pytest.raises(DataFileError) as info:
        load_dataset(basic_data)
    assert str(info.value) == f"{basic_data / 'places.csv'}: file not found"


def test_missing_data_directory(tmp_path):
    with pytest.raises(DataFileError) as info:
        load_dataset(tmp_path / "nowhere")
    assert str(info.value) == f"{tmp_path / 'nowhere'}: data directory not found"
    assert info.value.location.line is None


def test_a_file_where_the_data_directory_should_be(tmp_path):
    path = write(tmp_path / "data", "")
    with pytest.raises(DataFileError) as info:
        load_dataset(path)
    assert str(info.value) == f"{path}: is a file, not a data directory"


def test_load_errors_are_value_errors():
    assert issubclass(DataFileError, GeomapError)
    assert issubclass(DataFileError, ValueError)


# -- properties ------------------------------------------------------------------------------

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
cells = st.text(max_size=20)
records = st.lists(st.lists(cells, min_size=3, max_size=3), max_size=8)


@settings(max_examples=200, deadline=None)
@given(rows=records, bom=st.booleans())
def test_csv_written_rows_read_back_with_their_editor_lines(rows, bom):
    """Any cells written by the csv module (CRLF, quotes as needed) read back unchanged, each
    record on the line an editor shows it starting on."""
    path = Path("events.csv")
    chunks = []
    for row in [["id", "name", "note"], *rows]:
        buffer = io.StringIO()
        csv.writer(buffer).writerow(row)  # lineterminator \r\n quotes \r and \n
        chunks.append(buffer.getvalue())
    text = "".join(chunks)
    table = parse_table(decode((b"\xef\xbb\xbf" if bom else b"") + text.encode(), path), path)
    assert table.rows == [dict(zip(["id", "name", "note"], row, strict=True)) for row in rows]
    expected_lines = []
    for index in range(1, len(chunks)):
        expected_lines.append(len(_LINE_BREAK.findall("".join(chunks[:index]))) + 1)
    assert table.lines == expected_lines


_HEADER_BYTES = (HEADER + "\n").encode()


@settings(max_examples=200, deadline=None)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=300).map(lambda b: _HEADER_BYTES + b),
        st.lists(st.sampled_from([b'"', b",", b"\n", b"\r", b"\xef\xbb\xbf", b"\xff", b"\xc3",
                                  b"\xa1", b"\x00", b"x", b"caracas", b"2020"]), max_size=60)
        .map(lambda parts: _HEADER_BYTES + b"".join(parts)),
    )
)
def test_arbitrary_bytes_as_events_only_raise_geomap_errors(data):
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "data"
        shutil.copytree(FIXTURES / "basic", directory)
        (directory / "events.csv").write_bytes(data)
        try:
            check(load_dataset(directory))
        except GeomapError as exc:
            assert isinstance(exc, DataFileError)
            assert str(exc).startswith(f"{directory / 'events.csv'}:")


def test_a_100000_row_file_reports_the_right_line(tmp_path):
    """Large files load, and a problem near the end is reported at its editor line."""
    import shutil

    from geomap.validate import check

    from .conftest import FIXTURES

    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "basic", data)
    header = (data / "events.csv").read_text(encoding="utf-8").splitlines()[0]
    rows = [
        f"e{n},2020-05,,visit,Visit {n},\"A summary, with a comma\",Iran,caracas,,reported,news-a,"
        "Quote."
        for n in range(100_000)
    ]
    rows[99_998] = rows[99_998].replace("caracas", "Atlantis")
    (data / "events.csv").write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    problems = [p for p in check(load_dataset(data)) if p.severity == "error"]
    assert [str(p) for p in problems] == [
        f"{data / 'events.csv'}:100000: places: unknown place 'Atlantis'"
    ]


# --- Files that are not what they seem: refused with one line, before any byte is read. ---

def _refusal(data_dir) -> str:
    with pytest.raises(DataFileError) as info:
        load_dataset(data_dir)
    return str(info.value)


def test_a_symlink_leaving_the_data_directory_is_refused(basic_data, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("id,name\nTOKEN=hunter2,x\n")
    (basic_data / "sources.csv").unlink()
    (basic_data / "sources.csv").symlink_to(secret)
    message = _refusal(basic_data)
    assert message == (
        f"{basic_data / 'sources.csv'}: is a link to {secret}, outside the data directory; "
        "data files must live in it"
    )
    assert "hunter2" not in message


def test_a_symlink_to_proc_environ_is_refused(basic_data):
    (basic_data / "events.csv").unlink()
    (basic_data / "events.csv").symlink_to("/proc/self/environ")
    assert "outside the data directory" in _refusal(basic_data)


def test_a_symlink_inside_the_data_directory_is_followed(basic_data):
    (basic_data / "archive").mkdir()
    (basic_data / "events.csv").rename(basic_data / "archive" / "events-2020.csv")
    (basic_data / "events.csv").symlink_to(os.path.join("archive", "events-2020.csv"))
    assert len(load_dataset(basic_data).events.rows) == 4


def test_a_fifo_is_refused_without_blocking(basic_data):
    (basic_data / "places.csv").unlink()
    os.mkfifo(basic_data / "places.csv")
    assert _refusal(basic_data) == (
        f"{basic_data / 'places.csv'}: is a FIFO (named pipe), not a regular file; "
        "data files must be plain files"
    )


def test_a_device_is_refused(basic_data):
    (basic_data / "events.csv").unlink()
    try:
        os.mknod(basic_data / "events.csv", 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # zero
    except PermissionError:
        pytest.skip("creating a device node needs root")
    assert _refusal(basic_data) == (
        f"{basic_data / 'events.csv'}: is a character device, not a regular file; "
        "data files must be plain files"
    )


def test_a_symlink_to_dev_zero_is_refused(basic_data):
    (basic_data / "events.csv").unlink()
    (basic_data / "events.csv").symlink_to("/dev/zero")
    assert "outside the data directory" in _refusal(basic_data)


def test_a_file_over_the_size_limit_is_refused(basic_data, monkeypatch):
    monkeypatch.setenv("GEOMAP_MAX_CSV_MB", "0.0002")  # 200 bytes
    assert _refusal(basic_data).endswith(
        "is larger than the limit of 0.0002 MB; split it, or raise GEOMAP_MAX_CSV_MB"
    )
    monkeypatch.setenv("GEOMAP_MAX_CSV_MB", "1")
    assert len(load_dataset(basic_data).events.rows) == 4


def test_a_hard_linked_data_file_reads_normally(basic_data, tmp_path):
    os.link(basic_data / "places.csv", tmp_path / "places-link.csv")
    assert len(read_table(basic_data / "places.csv").rows) >= 1


# --- Lines are split as a text file opened with newline="" splits them. ---

LINE_TEXT = st.text(alphabet=["a", ",", '"', "\r", "\n", "\x0b", "\x0c", "\x1c", "\x85",
                              "\u2028", "é"], max_size=60)


@given(LINE_TEXT)
def test_lines_are_those_of_a_text_file(text):
    from geomap.load import _lines

    assert list(_lines(text)) == list(io.StringIO(text, newline=""))


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_lines_of_a_text_longer_than_one_chunk(ending):
    from geomap.load import _lines

    text = "".join(f"{i},x{ending}" for i in range(400_000))  # several megabytes
    assert list(_lines(text)) == list(io.StringIO(text, newline=""))


@given(st.lists(st.lists(st.text(alphabet=["a", ",", '"', "\r", "\n", " ", "\u2028"],
                                 max_size=5), min_size=1, max_size=3), min_size=1, max_size=6))
@settings(max_examples=200)
def test_parsed_rows_and_lines_match_the_csv_module(records):
    """Records written by the csv module read back with the lines they start on."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([["a", "b", "c"], *records])
    text = out.getvalue()
    reader = csv.reader(io.StringIO(text, newline=""))
    expected, lines, previous = [], [], 0
    for record in reader:
        start, previous = previous + 1, reader.line_num
        if len(record) <= 1 and not "".join(record).strip():
            continue
        expected.append(record + [""] * (3 - len(record)))
        lines.append(start)
    table = parse_table(text, Path("t.csv"))
    assert [list(row.values()) for row in table.rows] == expected[1:]
    assert table.lines == lines[1:] and table.header_line == lines[0]


def test_a_column_is_every_rows_value_in_file_order(tmp_path):
    table = parse_table("id,name\na,Caracas\n\nb,Tehran\n", tmp_path / "t.csv")
    assert table.column("name") == ["Caracas", "Tehran"]
    assert table.column("note") == ["", ""]  # a column the header lacks



@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["", "2020", "visit", "a; b", "é"]), max_size=40),
       st.integers(2, 8))
def test_a_column_holds_each_repeated_value_once(values, chunk):
    """Equal cells of a column that repeats itself are one object, across the chunks the
    records are read in; a column whose values all differ is kept as read."""
    values = ["visit", "visit", *values]  # a repeat among the first two values
    text = "kind,n\n" + "".join(f"{v},{i}\n" for i, v in enumerate(values))
    with patch("geomap.load._SAMPLE", 2), patch("geomap.load._CHUNK", chunk):
        table = parse_table(text, Path("t.csv"))
    assert table.lines == list(range(2, len(values) + 2))
    assert table.column("kind") == values
    assert len({id(v) for v in table.column("kind")}) == len(set(values))
    assert table.column("n") == [str(i) for i in range(len(values))]


def test_reading_an_open_file_gets_what_was_added_since_it_was_opened(tmp_path, monkeypatch):
    """All of the file as it is when read, within the size limit, not as it was opened."""
    path = tmp_path / "events.csv"
    path.write_bytes(b"id\n" + b"a\n" * 50)
    fd, _ = open_data_file(path, tmp_path)
    try:
        with open(path, "ab") as handle:
            handle.write(b"b\n" * 100)
        assert read_fd(fd, path) == b"id\n" + b"a\n" * 50 + b"b\n" * 100
        monkeypatch.setenv("GEOMAP_MAX_CSV_MB", "0.0002")  # 200 bytes
        with pytest.raises(DataFileError, match="larger than the limit"):
            read_fd(fd, path)
    finally:
        os.close(fd)
