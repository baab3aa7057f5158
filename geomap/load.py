"""Reading the three CSVs, keeping the line each record starts on.

Only the standard library is used so that ``geomap validate`` starts fast. Text is UTF-8; a byte
order mark and CRLF line endings are accepted. Anything unreadable becomes a ``DataFileError``
naming the file and line.

A data file must be a regular file inside the data directory, no larger than
``GEOMAP_MAX_CSV_MB``: a symlink leading out of it, a FIFO or a device is refused before a byte is
read, so a link to ``/proc/self/environ`` or ``/dev/zero`` never reaches the terminal or memory.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import os
import re
import stat
import time
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from .bulk import collector_paused
from .errors import DataFileError
from .safety import file_kind, max_csv_bytes
from .schema import (
    CARRIERS_FILE,
    CITATIONS_FILE,
    EVENTS_FILE,
    OUTLINES_FILE,
    PACKAGE_FILE,
    PLACES_FILE,
    SOURCES_FILE,
    STOPS_FILE,
)
from .vocabulary import KINDS_FILE


@dataclass
class Table:
    """One CSV: its header, its records column by column, and each record's first line.

    ``columns`` maps each column name to its values in file order; a name the header repeats
    holds its last column's values, as a ``{column: text}`` row would. Columns take a fraction
    of the memory of one dict per record (36 MB less at 100,000 events).
    ``header_line`` is the line the header is on (1 unless blank lines come before it).
    """

    path: Path
    header: list[str]
    columns: dict[str, list[str]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    header_line: int = 1

    @property
    def rows(self) -> list[dict[str, str]]:
        """Every record as ``{column: text}``, in file order, made anew on each call."""
        names = list(self.columns)
        return [
            dict(zip(names, values, strict=True))
            for values in zip(*self.columns.values(), strict=True)
        ]

    def row(self, index: int) -> dict[str, str]:
        """Record ``index`` (0 is the first below the header) as ``{column: text}``."""
        return {name: values[index] for name, values in self.columns.items()}

    def records(self):
        """Pairs of (line, row), in file order."""
        return zip(self.lines, self.rows, strict=True)

    def column(self, name: str) -> list[str]:
        """Every row's value in one column, in file order (``""`` for a column the header
        lacks); the table's own list, to read without changing it."""
        values = self.columns.get(name)
        return values if values is not None else [""] * len(self.lines)


@dataclass
class OutlineFile:
    """A parsed ``outlines.geojson``: usable outlines and ``(line, message)`` problems, which
    validation reports as errors."""

    path: Path
    outlines: list
    problems: list

    def areas(self) -> dict:
        """Place id -> ``areas.Area``."""
        return {outline.place: outline.area for outline in self.outlines}


@dataclass
class Dataset:
    """The tables of a data directory; ``kinds`` is ``None`` when it declares no vocabulary,
    ``package`` the parsed ``datapackage.json`` (empty when there is none)."""

    places: Table
    sources: Table
    events: Table
    kinds: Table | None = None
    package: dict = field(default_factory=dict)
    citations: Table | None = None
    stops: Table | None = None
    carriers: Table | None = None
    #: ``outlines.geojson``, when present (see ``OutlineFile``).
    outlines: OutlineFile | None = None

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


#: Line breaks other than \r, \n and \r\n that ``str.splitlines`` would also split at.
_OTHER_BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _lines(text: str):
    """The lines of ``text`` with their endings, as ``open(newline="")`` gives them (``\r\n``,
    ``\r`` and ``\n`` end a line), a megabyte at a time: no copy of the whole text is made."""
    if any(map(text.__contains__, _OTHER_BREAKS)):  # in C: 6 times a regex's speed
        yield from map(re.Match.group, _LINE.finditer(text))
        return
    start = 0
    while start < len(text):
        end = text.find("\n", start + (1 << 20))  # a chunk ends after a \n, never inside \r\n
        end = len(text) if end < 0 else end + 1
        yield from text[start:end].splitlines(keepends=True)
        start = end


def _blank(record: list[str]) -> bool:
    """An empty line, or one holding only white space or ``""``."""
    return len(record) <= 1 and not "".join(record).strip()


def parse_table(text: str, path: Path) -> Table:
    """Parse CSV text into a ``Table``; line numbers are those a text editor shows.

    A record's line is the one it starts on, also after values that span several lines.
    Blank lines are skipped; a record with fewer fields than the header is padded with empty
    values, one with more is an error.
    """
    with collector_paused():
        return _parse_table(text, path)


def _parse_table(text: str, path: Path) -> Table:
    text = text.removeprefix("\ufeff")
    reader = csv.reader(_lines(text), strict=True)
    table: Table | None = None
    previous_end = 0
    try:
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if _blank(record):
                continue
            table = Table(path, [name.strip() for name in record], header_line=start)
            names = {";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
            used = [n for d, n in names.items() if len(record) == 1 and d in record[0]]
            if used:
                raise DataFileError(
                    f"values are separated by {used[0]}, not commas; save the file as "
                    "comma-separated CSV",
                    path=path, line=start,
                )
            break
        header = table.header if table is not None else []
        width = len(header)
        records, lines = [], table.lines if table is not None else []
        columns = _Columns(width)
        for record in reader:
            start, previous_end = previous_end + 1, reader.line_num
            if len(record) != width or width <= 1:
                if _blank(record):
                    continue
                if len(record) > width:
                    raise DataFileError(
                        f"{len(record)} fields but the header has {width}; "
                        "a value that contains a comma must be in double quotes",
                        path=path,
                        line=start,
                    )
                record += [""] * (width - len(record))
            records.append(record)
            lines.append(start)
            if len(records) == _CHUNK:
                columns.add(records)
                records.clear()
        columns.add(records)
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
    for name, values in zip(table.header, columns.values, strict=True):
        table.columns[name] = values
    return table


#: Records parsed before they are turned into columns; at least ``_SAMPLE``.
_CHUNK = 4096
#: How many of a column's first values show whether it repeats itself.
_SAMPLE = 1000


class _Columns:
    """Records turned into columns a chunk at a time, so that each chunk's lists and repeated
    texts are freed while the file is still being read, in memory the next chunk reuses.

    In a column whose first ``_SAMPLE`` values repeat themselves (dates, kinds, source lists)
    equal texts are one object: each copy costs some 60 bytes, 40 MB at 100,000 events. Columns
    whose first values all differ (ids, titles) are kept as read.
    """

    def __init__(self, width: int):
        self.values: list[list[str]] = [[] for _ in range(width)]
        self.seen: list[dict[str, str] | None] | None = None

    def add(self, records: list[list[str]]) -> None:
        if not records:
            return
        chunk = [list(map(itemgetter(p), records)) for p in range(len(self.values))]
        if self.seen is None:
            self.seen = [None if len(set(c[:_SAMPLE])) == len(c[:_SAMPLE]) else {} for c in chunk]
        for values, column, seen in zip(self.values, chunk, self.seen, strict=True):
            values += column if seen is None else map(seen.setdefault, column, column)


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def open_data_file(path: Path | str, data_dir: Path | str | None = None, *, write=False):
    """An open descriptor on a data file, after checking it is safe to read (or to append to).

    The file's real path (symlinks followed) must lie inside ``data_dir`` (default: the file's
    own directory) and be a regular file within the size limit; with ``write`` it must not be
    read-only. It is opened without blocking, so a FIFO swapped in after the check cannot hang,
    and checked again through the descriptor. Returns ``(fd, real_path)``.
    """
    path = Path(path)
    root = os.path.realpath(data_dir if data_dir is not None else path.parent)
    try:
        os.lstat(path)
    except FileNotFoundError:
        raise DataFileError("file not found", path=path) from None
    except OSError as exc:
        raise DataFileError(f"cannot be read: {exc.strerror}", path=path) from None
    real = os.path.realpath(path)
    if not _inside(real, root):
        raise DataFileError(
            f"is a link to {real}, outside the data directory; data files must live in it",
            path=path,
        )
    try:
        info = os.stat(real)
    except OSError as exc:
        raise DataFileError(f"cannot be read: {exc.strerror}", path=path) from None
    _check_regular(info, path)
    if write and not info.st_mode & 0o222:
        raise DataFileError(
            "is read-only; make it writable (chmod u+w) to add events, nothing written",
            path=path,
        )
    flags = (os.O_RDWR if write else os.O_RDONLY) | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(real, flags)
    except PermissionError:
        raise DataFileError("permission denied", path=path) from None
    except OSError as exc:
        raise DataFileError(f"cannot be read: {exc.strerror}", path=path) from None
    opened = os.fstat(fd)
    if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
        os.close(fd)
        raise DataFileError("changed while being opened; try again", path=path)
    try:
        _check_regular(opened, path)
    except DataFileError:
        os.close(fd)
        raise
    return fd, Path(real)


def _check_regular(info: os.stat_result, path: Path) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise DataFileError("is a directory, not a CSV file", path=path)
    if not stat.S_ISREG(info.st_mode):
        raise DataFileError(
            f"is a {file_kind(info.st_mode)}, not a regular file; data files must be plain files",
            path=path,
        )
    _check_size(info.st_size, path)


def _check_size(size: int, path: Path) -> None:
    limit = max_csv_bytes()
    if size > limit:
        raise DataFileError(
            f"is larger than the limit of {limit / 1e6:g} MB; split it, or raise "
            "GEOMAP_MAX_CSV_MB",
            path=path,
        )


def lock_file(fd: int, path: Path, *, exclusive: bool, timeout: float | None = None) -> None:
    """Take an advisory ``flock`` on the open data file, waiting up to ``timeout`` seconds
    (``GEOMAP_LOCK_TIMEOUT``, default 60) for another geomap process to finish."""
    if timeout is None:
        try:
            timeout = float(os.environ.get("GEOMAP_LOCK_TIMEOUT", "60"))
        except ValueError:
            timeout = 60.0
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise DataFileError(
                    f"another geomap process has held this file for {timeout:g} s; "
                    "try again when it is done (nothing written)",
                    path=path,
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.2)
        except OSError as exc:
            if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL) and not exclusive:
                return  # a file system without locks: readers go ahead
            raise DataFileError(f"cannot be locked: {exc.strerror}", path=path) from None


def read_fd(fd: int, path: Path) -> bytes:
    """All bytes of an open data file, from the start, refusing more than the size limit.

    The first read asks for the whole file (as large as it was found, within the limit), so a
    large file comes in one piece, not in chunks copied together; the reads that follow catch
    what was added meanwhile.
    """
    chunks, total = [], 0
    try:
        want = min(os.fstat(fd).st_size, max_csv_bytes()) + 1
        while chunk := os.pread(fd, want, total):
            chunks.append(chunk)
            total += len(chunk)
            _check_size(total, path)
            want = 1 << 20
    except OSError as exc:
        raise DataFileError(f"cannot be read: {exc.strerror}", path=path) from None
    return b"".join(chunks)  # one chunk is returned as it is


def read_data_file(path: Path | str, data_dir: Path | str | None = None) -> bytes:
    """The bytes of a data file, read under a shared lock so a concurrent ``add`` is never seen
    half-written."""
    fd, _ = open_data_file(path, data_dir)
    try:
        lock_file(fd, Path(path), exclusive=False)
        return read_fd(fd, Path(path))
    finally:
        os.close(fd)


def read_table(path: Path | str, data_dir: Path | str | None = None) -> Table:
    """Read and parse one CSV file (see ``open_data_file`` for what is refused)."""
    path = Path(path)
    return parse_table(decode(read_data_file(path, data_dir), path), path)


def load_dataset(data_dir: Path | str) -> Dataset:
    """Read places, sources and events from a data directory."""
    data_dir = Path(data_dir)
    if not data_dir.exists():
        raise DataFileError("data directory not found", path=data_dir)
    if not data_dir.is_dir():
        raise DataFileError("is a file, not a data directory", path=data_dir)

    def optional(name: str) -> Table | None:
        path = data_dir / name
        present = path.exists() or path.is_symlink()
        return read_table(path, data_dir) if present else None

    return Dataset(
        places=read_table(data_dir / PLACES_FILE, data_dir),
        sources=read_table(data_dir / SOURCES_FILE, data_dir),
        events=read_table(data_dir / EVENTS_FILE, data_dir),
        kinds=optional(KINDS_FILE),
        package=read_package(data_dir / PACKAGE_FILE, data_dir),
        citations=optional(CITATIONS_FILE),
        stops=optional(STOPS_FILE),
        carriers=optional(CARRIERS_FILE),
        outlines=read_outlines(data_dir / OUTLINES_FILE, data_dir),
    )


def _read_json(path: Path, data_dir: Path | None):
    """A JSON file's text and value; bad JSON names its line and column."""
    import json

    text = decode(read_data_file(path, data_dir), path)
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(
            f"not valid JSON: {exc.msg} at column {exc.colno}", path=path, line=exc.lineno
        ) from None


def read_outlines(path: Path, data_dir: Path | None = None) -> OutlineFile | None:
    """``outlines.geojson`` (``None`` when absent)."""
    from .areas import place_outlines

    if not (path.exists() or path.is_symlink()):
        return None
    text, collection = _read_json(path, data_dir)
    return OutlineFile(path, *place_outlines(collection, text))


def read_package(path: Path, data_dir: Path | None = None) -> dict:
    """``datapackage.json`` as a dict (empty when absent); bad JSON names its line and column."""
    if not (path.exists() or path.is_symlink()):
        return {}
    package = _read_json(path, data_dir)[1]
    if not isinstance(package, dict):
        raise DataFileError("must hold a JSON object", path=path, line=1)
    return package


def require_columns(table: Table, columns) -> Table:
    """The table, or a ``DataFileError`` at its header naming the first missing column."""
    missing = [c for c in columns if c not in table.header]
    if missing:
        raise DataFileError(
            f"missing column {missing[0]!r}" + (f" (and {len(missing) - 1} more)"
                                                if len(missing) > 1 else ""),
            path=table.path, line=table.header_line, column=missing[0],
        )
    return table
