"""Library functions behind the thin commands: validating a data directory, finding places,
checking filter values against the data, and reporting problems compactly.

Only the standard library and geomap's light modules are used, so ``geomap validate``,
``geomap places`` and the filter checks start fast.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from .errors import DataFileError, FilterError
from .gazetteer import Gazetteer, Place, fold
from .load import Dataset, load_dataset, read_table, require_columns
from .schema import PLACE_COLUMNS, PLACES_FILE, split_list
from .words import plural

DATA_HINT = "run inside a geomap checkout or pass --data DIR"


def data_directory(data_dir: Path | str) -> Path:
    """The data directory, or a ``DataFileError`` that says how to point at one."""
    path = Path(data_dir)
    if not path.exists():
        raise DataFileError(f"data directory not found; {DATA_HINT}", path=path)
    return path


@dataclass
class ValidationReport:
    """Every problem of a data directory, and how many records each file holds."""

    data_dir: Path
    problems: list
    counts: dict[str, int]

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    @property
    def silenced(self) -> int:
        return sum(p.severity == "silenced" for p in self.problems)

    def summary(self) -> str:
        counts = ", ".join(f"{n} {name.removesuffix('.csv')}" for name, n in self.counts.items())
        quiet = f" ({self.silenced} more silenced in datapackage.json)" if self.silenced else ""
        return (
            f"{plural(self.errors, 'error')}, {plural(self.warnings, 'warning')}{quiet} "
            f"in {self.data_dir} ({counts})"
        )


def validate_data(data_dir: Path | str) -> ValidationReport:
    """Load a data directory and check it against every rule."""
    from .validate import check

    dataset = load_dataset(data_directory(data_dir))
    counts = {name: len(table.lines) for name, table in dataset.tables().items()}
    return ValidationReport(Path(data_dir), check(dataset), counts)


def find_places(data_dir: Path | str, query: str = "", limit: int = 10) -> list[Place]:
    """Places matching ``query`` (all of them, by id, without one), at most ``limit``."""
    folder = data_directory(data_dir)
    table = require_columns(read_table(folder / PLACES_FILE, folder), PLACE_COLUMNS)
    found = Gazetteer.from_rows(table.rows).search(query, limit=limit)[:limit]
    if not found:
        raise FilterError(f"no place matches {query!r}")
    return found


def _suggest(value: str, known: dict[str, str]) -> str | None:
    """The known name closest to ``value``: by spelling, or as a whole word of a longer name.

    ``known`` maps folded names to names as written.
    """
    key = fold(value)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return known[close[0]]
    words = [name for folded, name in known.items() if key and key in folded.split()]
    return sorted(words)[0] if words else None


def filter_warnings(dataset: Dataset, criteria) -> list[str]:
    """One line for each ``--actor`` value that names no actor in the data, with the closest
    spelling; such a value can only match nothing.

    Places are checked when the events are selected (an unknown place is an error there);
    kinds and confidence levels are fixed vocabularies that the command line checks itself.
    """
    known: dict[str, str] = {}
    for cell in dict.fromkeys(dataset.events.column("actors")):
        for actor in split_list(cell):
            known.setdefault(fold(actor), actor)
    lines = []
    for actor in criteria.actors:
        if fold(actor) in known:
            continue
        close = _suggest(actor, known)
        hint = f" (did you mean {close!r}?)" if close else ""
        lines.append(f"--actor: {actor!r} names no actor in the data{hint}")
    return lines


def format_problem(problem) -> str:
    """``file:line: column: message``; a problem about the whole file has no column."""
    text = str(problem)
    if problem.column == "-":
        text = text.replace(f":{problem.line}: -: ", f":{problem.line}: ", 1)
    return text


_VALUE = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


def report_lines(problems, *, every: bool = False, show_warnings: bool = True) -> list[str]:
    """Errors first, one per line; then warnings, one line per rule with a count.

    A rule is a file, a column and a message with its quoted values and numbers left out;
    ``every`` lists each warning instead.
    """
    errors = [format_problem(p) for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    if not show_warnings:
        return errors
    if every:
        return errors + [format_problem(p) for p in warnings]
    groups = defaultdict(list)
    for problem in warnings:
        groups[problem.path, problem.column, _VALUE.sub("…", problem.message)].append(problem)
    lines = []
    for group in groups.values():
        first = format_problem(group[0])
        if len(group) == 1:
            lines.append(first)
            continue
        shown = ", ".join(str(p.line) for p in group[:5]) + (", …" if len(group) > 5 else "")
        rule = f" (rule {group[0].rule})" if getattr(group[0], "rule", "") else ""
        lines.append(
            f"{first.removesuffix(' [warning]')} [{len(group)} warnings like this{rule}, on "
            f"lines {shown}; geomap validate --all lists each]"
        )
    return errors + lines


def kind_ids(data_dir: Path | str) -> tuple[str, ...]:
    """The kinds a data directory declares (``kinds.csv``), else the default ones."""
    from .vocabulary import DEFAULT, KINDS_FILE, from_rows

    folder = data_directory(data_dir)
    path = folder / KINDS_FILE
    if not (path.exists() or path.is_symlink()):
        return DEFAULT.ids
    return from_rows([r for r in read_table(path, folder).rows if r.get("id", "").strip()]).ids
