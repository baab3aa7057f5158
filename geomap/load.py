"""Reading the three CSVs, keeping the line each record starts on.

Only the standard library is used so that ``geomap validate`` starts fast. Text is UTF-8; a byte
order mark and CRLF line endings are accepted. Anything unreadable becomes a ``DataFileError``
naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataFileError
from .schema import EVENTS_FILE, PLACES_FILE, SOURCES_FILE


@dataclass
class Table:
    """One CSV: its header, its records as ``{column: text}``, and each record's first line.

    ``header_line`` is the line the header is on (1 unless blank lines come before it).
    """

    path: Path
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    header_line: int = 1

    def records(self):
        """Pairs of (line, row), in file order."""
        return zip(self.lines, self.rows, strict=True)


@dataclass
class Dataset:
    places: Table
    sources: Table
    events: Table

    def tables(self):
        return {PLACES_FILE: self.places, SOURCES_FILE: self.sources, EVENTS_FILE: self.events}


_BOM = b"\xef\xbb\xbf"
_NEWLINE = re.compile(r"\r\n|\r|\n")


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text without a BOM, or a ``DataFileError`` pointing at the first bad byte.

    The line and column are those a text editor shows (``\\r\\n``, ``\\r`` and ``\\n`` end
    a line; the column counts characters, not bytes).
    """
    body = data[len(_BOM):] if data.startswith(_BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        if body.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DataFileError(
                "the file is UTF-16, not UTF-8; save it as UTF-8", path=path, line=1
            ) from None
        # Everything before the first bad byte is valid UTF-8.
        lines = _NEWLINE.split(body[: exc.start].decode("utf-8"))
        raise DataFileError(
            f"not UTF-8: byte 0x{body[exc.start]:02x} at column {len(lines[-1]) + 1}; "
            "save the file as UTF-8",
            path=path,
            line=len(lines),
        ) from None


def _blank(record: list[str]) -> bool:
    """An empty line, or one holding only white space or ``""``."""
    return len(record) <= 1 and not "".join(record).strip()


def parse_table(text: str, path: Path) -> Table:
    """Parse CSV text into a ``Table``; line numbers are those a text editor shows.

    A record's line is the one it starts on, also after values that span several lines.
    Blank lines are skipped; a record with fewer fields than the header is padded with empty
    values, one with more is an error.
    """
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table: Table | None = None
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if _blank(record):
                continue
            if table is None:
                table = Table(path, [name.strip() for name in record], header_line=start)
                names = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
                used = [n for d, n in names.items() if len(record) == 1 and d in record[0]]
                if used:
                    raise DataFileError(
                        f"values are separated by {used[0]}, not commas; save the file as "
                        "comma-separated CSV",
                        path=path, line=start,
                    )
                continue
            header = table.header
            if len(record) > len(header):
                raise DataFileError(
                    f"{len(record)} fields but the header has {len(header)}; "
                    "a value that contains a comma must be in double quotes",
                    path=path,
                    line=start,
                )
            record = record + [""] * (len(header) - len(record))
            table.rows.append(dict(zip(header, record, strict=True)))
            table.lines.append(start)
    except csv.Error as exc:
        reason = str(exc)
        start = previous_end + 1
        if "unexpected end of data" in reason:
            message = (
                "malformed CSV: unbalanced double quote; a quoted value in the record starting "
                "on this line is never closed"
            )
        elif "field larger than field limit" in reason:
            message = (
                f"malformed CSV: a value longer than {csv.field_size_limit():,} characters; "
                "probably an unbalanced double quote in the record starting on this line"
            )
        else:
            where = "" if reader.line_num == start else f" (on line {reader.line_num})"
            message = (
                f"malformed CSV{where}: {reason}; a double quote inside a quoted value must be "
                'written twice ("")'
            )
        raise DataFileError(message, path=path, line=start) from None
    if table is None:
        raise DataFileError("the file is empty; it needs at least a header line", path=path, line=1)
    return table


def read_table(path: Path) -> Table:
    """Read and parse one CSV file."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError("file not found", path=path) from None
    except IsADirectoryError:
        raise DataFileError("is a directory, not a CSV file", path=path) from None
    except PermissionError:
        raise DataFileError("permission denied", path=path) from None
    except OSError as exc:
        raise DataFileError(f"cannot be read: {exc.strerror}", path=path) from None
    return parse_table(decode(data, path), path)


def load_dataset(data_dir: Path | str) -> Dataset:
    """Read places, sources and events from a data directory."""
    data_dir = Path(data_dir)
    if not data_dir.exists():
        raise DataFileError("data directory not found", path=data_dir)
    if not data_dir.is_dir():
        raise DataFileError("is a file, not a data directory", path=data_dir)
    return Dataset(
        places=read_table(data_dir / PLACES_FILE),
        sources=read_table(data_dir / SOURCES_FILE),
        events=read_table(data_dir / EVENTS_FILE),
    )
