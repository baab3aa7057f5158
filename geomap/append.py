"""Adding one event to ``events.csv`` without disturbing a byte of what is there.

The new row is validated together with the whole dataset first; then the file is rewritten
atomically as its old bytes plus one row, in the file's own column order and line endings.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

from .errors import DataFileError, ValidationError
from .load import decode, load_dataset, parse_table
from .output import write_atomic
from .schema import EVENT_COLUMNS, EVENTS_FILE, PartialDate
from .validate import check, errors_of

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
    dataset = load_dataset(data_dir)
    original = path.read_bytes()
    text = decode(original, path)
    newline = _line_ending(text)
    row_text = format_row(values, dataset.events.header, newline)
    separator = "" if text.endswith(("\n", "\r")) else newline

    # Re-parse the would-be file, so the new row is checked exactly as it will be read.
    before = len(dataset.events.rows)
    dataset.events = parse_table(text + separator + row_text, path)
    line = dataset.events.lines[-1]
    if len(dataset.events.rows) != before + 1:
        raise DataFileError("the new row does not read back as one record", path=path, line=line)
    problems = check(dataset)
    if errors_of(problems):
        raise ValidationError(problems)
    warnings = [p for p in problems if p.path == str(path) and p.line == line]
    if not dry_run:
        write_atomic(path, original + (separator + row_text).encode("utf-8"))
    return Added(row_text, line, warnings, values["id"])
