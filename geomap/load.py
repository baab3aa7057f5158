"""Reading the three CSVs, keeping the line each record starts on.

Only the standard library is used so that ``geomap validate`` starts fast. Text is UTF-8; a byte
order mark and CRLF line endings are accepted. Anything unreadable becomes a ``DataFileError``
naming the file and line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from .errors import DataFileError
from .schema import EVENTS_FILE, PLACES_FILE, SOURCES_FILE


@dataclass
class Table:
    """One CSV: its header, its records as ``{column: text}``, and each record's first line."""

    path: Path
    header: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

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


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text without a BOM, or a ``DataFileError`` pointing at the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise DataFileError(
            f"not UTF-8: byte 0x{data[exc.start]:02x} at column {column}; "
            "save the file as UTF-8",
            path=path,
            line=line,
        ) from None


def parse_table(text: str, path: Path) -> Table:
    """Parse CSV text into a ``Table``; line numbers are those a text editor shows."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    table = None
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if not record or record == [""]:
                continue
            if header is None:
                header = [name.strip() for name in record]
                table = Table(path, header)
                continue
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
        raise DataFileError(
            f"malformed CSV ({exc}); check for an unbalanced double quote",
            path=path,
            line=previous_end + 1,
        ) from None
    if header is None:
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
    if not data_dir.is_dir():
        raise DataFileError("data directory not found", path=data_dir)
    return Dataset(
        places=read_table(data_dir / PLACES_FILE),
        sources=read_table(data_dir / SOURCES_FILE),
        events=read_table(data_dir / EVENTS_FILE),
    )
