"""Adding one event to ``events.csv`` without disturbing a byte of what is there.

The file is opened and locked (``flock``, exclusive) before it is read, so concurrent adds queue
and each one validates and appends to what the previous one left. The new row is validated with
the whole dataset, then appended in place to the real file: a symlink inside the data directory
is followed, and mode, owner and hard links stay as they are. A write that fails (a full disk) is
cut back to the old length, so the file is never left with half a row.

Why ``fcntl.flock`` on the data file itself rather than the ``filelock`` package: filelock needs a
separate lock file (it opens its path with ``O_TRUNC``), which would sit in ``data/`` forever;
``flock`` locks the very inode that is written, and the kernel drops it when a process dies.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from .errors import DataFileError, OutputError, ValidationError
from .load import Dataset, decode, lock_file, open_data_file, parse_table, read_fd, read_table
from .schema import EVENT_COLUMNS, EVENTS_FILE, PLACES_FILE, SOURCES_FILE, PartialDate
from .validate import Problem, check, errors_of

MAX_ID_LENGTH = 64


def slugify(text: str) -> str:
    """``'Fortune arrives at El Palito!'`` -> ``'fortune-arrives-at-el-palito'``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def derive_id(date: str, title: str) -> str:
    """An event id from its date and title, cut at a word boundary."""
    try:
        prefix = PartialDate.parse(date).iso()
    except ValueError:
        prefix = slugify(date)
    slug = f"{prefix}-{slugify(title)}".strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0]
    return slug


def _line_ending(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def format_row(values: dict[str, str], header: list[str], newline: str = "\n") -> str:
    """One CSV record in the header's column order (minimal quoting), ending with ``newline``."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerow([values.get(c, "") for c in header])
    return buffer.getvalue()


class Added(NamedTuple):
    """What ``add_event`` appended (or would append): the row, its line, its warnings, its id."""

    row: str
    line: int
    warnings: list
    id: str


def add_event(data_dir: Path | str, values: dict[str, str], *, dry_run: bool = False) -> Added:
    """Validate and append one event; returns ``Added(row, line, warnings, id)``.

    ``values`` maps event columns to text; a missing ``id`` is derived from date and title.
    Raises ``ValidationError`` (nothing written) if the dataset with the new row has errors.
    """
    data_dir = Path(data_dir)
    values = {k: (v or "").strip() for k, v in values.items() if k in EVENT_COLUMNS}
    if not values.get("id"):
        values["id"] = derive_id(values.get("date", ""), values.get("title", ""))

    path = data_dir / EVENTS_FILE
    if not data_dir.is_dir():
        raise DataFileError("data directory not found", path=data_dir)
    fd, _ = open_data_file(path, data_dir, write=not dry_run)
    try:
        lock_file(fd, path, exclusive=not dry_run)
        original = read_fd(fd, path)
        text = decode(original, path)
        dataset = Dataset(
            places=read_table(data_dir / PLACES_FILE, data_dir),
            sources=read_table(data_dir / SOURCES_FILE, data_dir),
            events=parse_table(text, path),
        )
        newline = _line_ending(text)
        row_text = format_row(values, dataset.events.header, newline)
        separator = "" if text.endswith(("\n", "\r")) or not text else newline

        # Re-parse the would-be file, so the new row is checked exactly as it will be read.
        before = len(dataset.events.lines)
        dataset.events = parse_table(text + separator + row_text, path)
        line = dataset.events.lines[-1]
        if len(dataset.events.lines) != before + 1:
            raise DataFileError(
                "the new row does not read back as one record", path=path, line=line
            )
        problems = check(dataset)
        ours = [p for p in problems if p.path == str(path) and p.line == line]
        if errors_of(ours):
            raise ValidationError(errors_of(ours))
        elsewhere = errors_of(problems)
        if elsewhere:
            raise ValidationError([*elsewhere[:1], Problem(
                str(path), line, "-",
                f"{len(elsewhere)} error{'s' * (len(elsewhere) != 1)} elsewhere in the data "
                "(the first above); `geomap validate` lists each, fix them before adding",
            )])
        warnings = [p for p in ours if p.severity == "warning"]
        if not dry_run:
            _append(fd, path, len(original), (separator + row_text).encode("utf-8"))
    finally:
        os.close(fd)  # also releases the lock
    return Added(row_text, line, warnings, values["id"])


def _append(fd: int, path: Path, size: int, data: bytes) -> None:
    """Write ``data`` at offset ``size`` and sync; on failure cut the file back to ``size``."""
    try:
        written = 0
        while written < len(data):
            count = os.pwrite(fd, data[written:], size + written)
            if count <= 0:
                raise OSError(28, "No space left on device")
            written += count
        os.fsync(fd)
        if os.fstat(fd).st_size != size + len(data):
            raise OSError(5, "the file does not have the expected length after writing")
    except OSError as exc:
        try:
            os.ftruncate(fd, size)
            os.fsync(fd)
        except OSError:
            pass
        raise OutputError(
            f"cannot add the row: {exc.strerror or exc}; the file is unchanged", path=path
        ) from None
