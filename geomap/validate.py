"""Every rule of the data model, checked at once, each problem pointing at ``file:line``.

``check(dataset)`` returns all problems (errors and warnings) sorted by file and line; nothing
here stops at the first one, so a contributor fixes everything in one pass.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, count, repeat
from operator import ne, not_

from .bulk import collector_paused
from .errors import ValidationError
from .gazetteer import Gazetteer, coordinate_problem, fold, parse_lat_lon, unknown_place_message
from .load import Dataset, Table
from .safety import FORMULA_STARTS, is_formula, safe_url
from .schema import (
    COLUMNS,
    CONFIDENCE_LEVELS,
    EVENTS_FILE,
    OPTIONAL_COLUMNS,
    PACKAGE_FILE,
    PLACE_KINDS,
    PLACE_PRECISIONS,
    PLACES_FILE,
    REQUIRED_VALUES,
    SLUG,
    SOURCES_FILE,
    STOP_SEPARATOR,
    PartialDate,
    split_items,
    split_list,
    split_stops,
)
from .vocabulary import (
    DEFAULT,
    HEX_COLOUR,
    KIND_COLUMNS,
    MARKS,
    ROUTES,
    Vocabulary,
)
from .vocabulary import from_rows as vocabulary_from_rows

_COUNTRY = re.compile(r"^[A-Z]{2}$")
#: A decimal number as written in a CSV: ``-66.9036``, ``10``, ``+7.5`` (no exponent, nan or inf).
_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$", re.ASCII)
_FILE_ORDER = {PLACES_FILE: 0, SOURCES_FILE: 1, EVENTS_FILE: 2}


@dataclass(frozen=True)
class Problem:
    """One broken rule. ``severity`` is ``error``, ``warning`` or ``silenced`` (a warning the
    dataset turned off in ``datapackage.json``); ``rule`` names a warning's rule."""

    path: str
    line: int
    column: str
    message: str
    severity: str = "error"
    rule: str = ""

    def __str__(self) -> str:
        note = "" if self.severity == "error" else " [warning]"
        return f"{self.path}:{self.line}: {self.column}: {self.message}{note}"


#: Every warning rule, by the id a dataset uses to silence it (``datapackage.json``:
#: ``{"geomap": {"silence": ["no-url"]}}``).
WARNING_RULES = {
    "no-url": "a source without a URL",
    "uncited-source": "a source no event cites",
    "actor-spelling": "one actor spelled two ways",
    "no-evidence": "an event without an evidence quote",
    "duplicate-event": "two events with the same date, kind and stops",
    "single-origin": "a confirmed event whose sources come down to one origin",
    "formula-cell": "a cell a spreadsheet would run as a formula",
    "outside-country": "a place outside the country it names",
    "evidence-not-quoted": "an evidence quote that is none of the event's citation quotes",
    "no-quote": "a source of an event without its quote in citations.csv",
    "outline-misses-place": "a place whose point lies outside its own outline",
}


class _Report:
    def __init__(self, silenced=()):
        self.problems: list[Problem] = []
        self.silenced = set(silenced)

    def error(self, table: Table, line: int, column: str, message: str):
        self.problems.append(Problem(str(table.path), line, column, message))

    def warn(self, table: Table, line: int, column: str, message: str, *, rule: str):
        severity = "silenced" if rule in self.silenced else "warning"
        self.problems.append(Problem(str(table.path), line, column, message, severity, rule))


def _closest(value: str, choices, cutoff: int = 60) -> str | None:
    """The choice spelled most like ``value`` (similarity ``cutoff`` % or more), found by
    rapidfuzz in C, so suggesting for every row of a large file stays fast."""
    from rapidfuzz import fuzz, process

    found = process.extractOne(value, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return found[0] if found else None


def _hint(value: str, choices) -> str:
    close = _closest(value, choices)
    return f" (did you mean {close!r}?)" if close else ""


def _vocabulary(value: str, allowed, what: str) -> str | None:
    if value in allowed:
        return None
    close = _closest(value.lower(), allowed)
    hint = f" (did you mean {close!r}?)" if close else ""
    return f"{what} {value!r} is not one of {', '.join(allowed)}{hint}"


def _check_header(report: _Report, name: str, table: Table) -> bool:
    """Header problems; ``False`` when rows cannot be checked because columns are missing."""
    expected = COLUMNS[name]
    line = table.header_line
    for column, times in Counter(table.header).items():
        if times > 1:
            report.error(table, line, column or "-", f"column {column!r} appears {times} times")
    for column in dict.fromkeys(table.header):
        if not column:
            report.error(table, line, "-", "empty column name (a trailing comma in the header?)")
        elif column not in expected:
            strict = name != EVENTS_FILE  # events.csv keeps other columns as attributes
            close = _closest(column.lower(), expected, 60 if strict else 80)
            if not strict and not close:
                continue
            hint = f" (did you mean {close!r}?)" if close else ""
            report.error(table, line, column, f"unknown column {column!r}{hint}")
    optional = OPTIONAL_COLUMNS.get(name, ())
    missing = [c for c in expected if c not in table.header and c not in optional]
    for column in missing:
        report.error(table, line, column, f"missing column {column!r}")
    if not table.lines and name != PLACES_FILE:  # every stop may be a literal lat,lon
        report.error(table, line, "-", "no records below the header")
    return not missing


def _check_ids_and_required(report: _Report, name: str, table: Table):
    seen: dict[str, int] = {}
    for i in _suspect_rows(name, table):
        line, row = table.lines[i], table.row(i)
        for column in REQUIRED_VALUES[name]:
            if not row[column].strip():
                report.error(table, line, column, "empty; a value is required")
        if name == SOURCES_FILE and not row["title"].strip() and not row["url"].strip():
            report.error(table, line, "title", "empty; a value is required")
        rid = row["id"].strip()
        if rid and not SLUG.match(rid):
            report.error(
                table, line, "id",
                f"{rid!r} is not a slug: lowercase letters, digits and single hyphens",
            )
        if rid in seen:
            report.error(table, line, "id", f"duplicate id {rid!r} (first on line {seen[rid]})")
        elif rid:
            seen[rid] = line


def _suspect_rows(name: str, table: Table):
    """The indices of the rows that may break a rule of ``_check_ids_and_required``, found
    column by column in C; every row when an id repeats (or is empty twice)."""
    ids = list(map(str.strip, table.column("id")))
    if len(set(ids)) < len(ids):
        return range(len(ids))
    suspects = set(compress(count(), map(not_, map(SLUG.match, ids))))
    required = REQUIRED_VALUES[name] + (("title",) if name == SOURCES_FILE else ())
    for column in required:
        suspects.update(compress(count(), map(not_, map(str.strip, table.column(column)))))
    return sorted(suspects)


def _check_places(report: _Report, table: Table):
    for line, row in table.records():
        if row["kind"].strip():
            problem = _vocabulary(row["kind"].strip(), PLACE_KINDS, "kind")
            if problem:
                report.error(table, line, "kind", problem)
        if row["precision"].strip():
            problem = _vocabulary(row["precision"].strip(), PLACE_PRECISIONS, "precision")
            if problem:
                report.error(table, line, "precision", problem)
        country = row["country"].strip()
        if country and not _COUNTRY.match(country):
            report.error(table, line, "country", f"{country!r} is not an ISO 3166-1 alpha-2 code")
        coords = {}
        for column in ("lat", "lon"):
            text = row[column].strip()
            if not text:
                continue
            if _DECIMAL.match(text):
                coords[column] = float(text)
            else:
                report.error(
                    table, line, column,
                    f"{text!r} is not a decimal number of degrees (like -66.9036)",
                )
        if len(coords) == 2:
            problem = coordinate_problem(coords["lat"], coords["lon"])
            if problem:
                column = "lon" if problem.startswith("longitude") else "lat"
                report.error(table, line, column, problem)
    _check_place_names(report, table)


def _check_place_names(report: _Report, table: Table):
    """Every id, name and alias must point at one place (lookups ignore case and accents).

    Ids and names are registered first, so a clash with an alias is reported at the alias.
    """
    owners: dict[str, tuple[str, int]] = {}
    names = [
        (line, row["id"].strip(), column, row[column])
        for line, row in table.records()
        for column in ("id", "name")
    ]
    names += [
        (line, row["id"].strip(), "aliases", alias)
        for line, row in table.records()
        for alias in split_list(row["aliases"])
    ]
    for line, pid, column, name in names:
        key = fold(name)
        if not key:
            continue
        owner = owners.setdefault(key, (pid, line))
        if owner[0] != pid:
            report.error(
                table, line, column,
                f"{name.strip()!r} already names place {owner[0]!r} (line {owner[1]}); "
                "a name must point at one place",
            )


def _check_url(report: _Report, table: Table, line: int, column: str, url: str):
    if url.strip() and safe_url(url) is None:
        report.error(table, line, column, f"{url!r} is not an http(s) URL with a host")


def _parse_date(report: _Report, table: Table, line: int, column: str, text: str):
    """The ``PartialDate`` in a cell, or ``None`` after reporting why it is not one."""
    try:
        if not text.isascii():
            raise ValueError(f"{text.strip()!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        return PartialDate.parse(text.strip())
    except ValueError as exc:
        report.error(table, line, column, str(exc))
    return None


def _check_sources(report: _Report, table: Table, cited: set[str] | None):
    """Source rules; ``cited`` is ``None`` when events.csv could not be read for citations."""
    for line, row in table.records():
        if row["published"].strip():
            _parse_date(report, table, line, "published", row["published"])
        _check_url(report, table, line, "url", row["url"])
        _check_url(report, table, line, "archive_url", row["archive_url"])
        if not row["url"].strip():
            report.warn(table, line, "url", "no URL: readers cannot follow this source",
                        rule="no-url")
        sid = row["id"].strip()
        if sid and cited is not None and sid not in cited:
            report.warn(table, line, "id", f"source {sid!r} is not cited by any event",
                        rule="uncited-source")


def _check_dates(report, table: Table, line: int, date: str, end_date: str) -> PartialDate | None:
    start = end = None
    if date.strip():
        start = _parse_date(report, table, line, "date", date)
    if end_date.strip():
        end = _parse_date(report, table, line, "end_date", end_date)
    if start and end and end.last_day() < start.first_day():
        report.error(
            table, line, "end_date", f"{end.iso()!r} is before the date {start.iso()!r}"
        )
    return start


class _Recorder:
    """Stands in for ``_Report`` while a cell's problems are found once, to be replayed at
    every line holding the same value (messages about a value never name its line)."""

    def __init__(self):
        self.problems: list[tuple[str, str]] = []

    def error(self, table, line, column, message):
        self.problems.append((column, message))


def _check_stops(report, table, line, cell: str, gazetteer) -> tuple[tuple[str, ...] | None, int]:
    """Stop rules; the resolved stops (place ids or ``lat,lon``, ``None`` if any fails) and how
    many stops the cell names."""
    cell = cell.strip()
    stops = split_stops(cell)
    if len(stops) != len(cell.split(STOP_SEPARATOR)):
        report.error(
            table, line, "places",
            f"empty stop in {cell!r}; write stops as 'origin > destination'",
        )
    resolved = []
    for stop in stops:
        place = gazetteer.lookup(stop)
        if place is not None:
            resolved.append(place.id or f"{place.lat},{place.lon}")
            continue
        pair = parse_lat_lon(stop)
        if pair is not None:
            report.error(table, line, "places", f"{stop!r}: {coordinate_problem(*pair)}")
        else:
            message = unknown_place_message(stop, gazetteer.suggest(stop))
            report.error(table, line, "places", message)
    return (tuple(resolved) if len(resolved) == len(stops) else None), len(stops)


def _check_event_sources(report, table, line, cell: str, source_ids, known: set, hints: dict):
    cited = split_list(cell)
    for sid in cited if source_ids is not None else ():
        if sid not in known:
            if sid not in hints:
                hints[sid] = _hint(sid, source_ids)
            report.error(table, line, "sources", f"unknown source {sid!r}{hints[sid]}")
    if cell.strip() and not cited:
        report.error(table, line, "sources", "no source id; cite at least one")


@lru_cache(maxsize=65536)
def _actor_key(actor: str) -> str:
    return re.sub(r"[\W_]+", "", fold(actor))


def _check_actor_spellings(report: _Report, table: Table):
    spellings: dict[str, Counter] = defaultdict(Counter)
    first_line: dict[str, int] = {}
    column = table.column("actors")
    uses = Counter(column)
    first = dict(zip(reversed(column), reversed(table.lines), strict=True))
    # Each distinct cell, in order of first use, with its first line.
    cells = {cell: first[cell] for cell in uses}
    for cell, line in cells.items():
        for actor in split_list(cell):
            spellings[_actor_key(actor)][actor] += uses[cell]
            first_line.setdefault(actor, line)
    for variants in spellings.values():
        if len(variants) < 2:
            continue
        usual = max(variants, key=lambda a: (variants[a], -first_line[a]))
        for actor in variants:
            if actor != usual:
                report.warn(
                    table, first_line[actor], "actors",
                    f"actor {actor!r} is also spelled {usual!r} (line {first_line[usual]}); "
                    "use one spelling",
                    rule="actor-spelling",
                )


def _warning(column: str, message: str, *, rule: str) -> tuple[str, str, str]:
    """A row's warning as ``_check_events`` keeps it until rows are reported in order."""
    return rule, column, message


def _by_value(values, check, *args) -> dict:
    """``check(recorder, value, *args)`` once per distinct value: value -> (result, problems).

    One recorder serves every value, and a value without problems shares one empty tuple: at
    100,000 events, a recorder and a list per value took 20 MB that was never given back.
    """
    checked, recorder = {}, _Recorder()
    for value in dict.fromkeys(values):
        checked[value] = (check(recorder, value, *args), recorder.problems or ())
        if recorder.problems:
            recorder.problems = []
    return checked


def _check_events(report, table, gazetteer, source_ids, vocabulary=DEFAULT):
    """Event rules; ``gazetteer`` or ``source_ids`` is ``None`` when that file is unusable,
    and the rules that need it are skipped.

    A large file repeats its values (dates, kinds, stops, source lists), so the rules go column
    by column, each distinct value checked once; a row's problems are then reported in the
    order the rules come, at every line that holds a bad value.
    """
    found: dict[int, list] = defaultdict(list)  # row index -> (rule or "", column, message)

    def report_rows(values, checked):
        bad = {value for value, (_, problems) in checked.items() if problems}
        for i, value in enumerate(values) if bad else ():
            if value in bad:
                found[i] += [("", column, message) for column, message in checked[value][1]]

    def check_kind(recorder, kind):
        problem = _vocabulary(kind, vocabulary.ids, "kind") if kind else None
        if problem:
            recorder.error(table, 0, "kind", problem)
        return vocabulary.route(kind) if kind else None

    def check_confidence(recorder, confidence):
        problem = _vocabulary(confidence, CONFIDENCE_LEVELS, "confidence") if confidence else None
        if problem:
            recorder.error(table, 0, "confidence", problem)

    def check_places(recorder, cell):
        if gazetteer is None or not cell.strip():
            return None, 2
        return _check_stops(recorder, table, 0, cell, gazetteer)

    dates = list(zip(table.column("date"), table.column("end_date"), strict=True))
    starts = _by_value(dates, lambda recorder, cells: _check_dates(recorder, table, 0, *cells))
    report_rows(dates, starts)
    kinds = list(map(str.strip, table.column("kind")))
    routes = _by_value(kinds, check_kind)
    report_rows(kinds, routes)
    confidences = list(map(str.strip, table.column("confidence")))
    report_rows(confidences, _by_value(confidences, check_confidence))
    places = table.column("places")
    stops = _by_value(places, check_places)
    report_rows(places, stops)
    short = {cell for cell, ((_, count), _) in stops.items() if count < 2}
    if short and any(route for route, _ in routes.values()):
        for i, (kind, cell) in enumerate(zip(kinds, places, strict=True)):
            if cell in short and routes[kind][0]:
                found[i].append(("", "places", f"a {kind} needs at least two stops, as "
                                               "'origin > destination'"))
    sources = table.column("sources")
    known, hints = set(source_ids or ()), {}
    report_rows(sources, _by_value(sources, lambda recorder, cell: _check_event_sources(
        recorder, table, 0, cell, source_ids, known, hints)))
    for i in compress(count(), map(not_, map(str.strip, table.column("evidence")))):
        found[i].append(_warning("evidence", "no evidence quote from the source",
                                 rule="no-evidence"))
    isos = {cells: start.iso() if start else None for cells, (start, _) in starts.items()}
    resolved = {cell: result[0] for cell, (result, _) in stops.items()}
    keys = zip(map(isos.get, dates), kinds, map(resolved.get, places), strict=True)
    for i, first in _repeats(keys):
        found[i].append(_warning(
            "id",
            f"same date, kind and stops as the event on line {table.lines[first]}; a duplicate?",
            rule="duplicate-event",
        ))
    for i in sorted(found):
        for rule, column, message in found[i]:
            if rule:
                report.warn(table, table.lines[i], column, message, rule=rule)
            else:
                report.error(table, table.lines[i], column, message)
    _check_actor_spellings(report, table)


def _repeats(keys) -> list[tuple[int, int]]:
    """``(index, first index)`` of each key equal to an earlier one; keys with a false part
    (no date, kind or resolved stops) are never compared. Done in C, row by row it took as long
    as the rest of the event rules' row work."""
    keys = list(keys)
    usable = list(compress(count(), map(all, keys)))
    first: dict[tuple, int] = {}
    firsts = list(map(first.setdefault, compress(keys, map(all, keys)), usable))
    return list(compress(zip(usable, firsts, strict=True), map(ne, usable, firsts)))


def _silenced(dataset: Dataset) -> list[str]:
    """The warning rules a dataset turns off in ``datapackage.json`` (``geomap.silence``)."""
    settings = dataset.package.get("geomap") if isinstance(dataset.package, dict) else None
    silence = settings.get("silence", []) if isinstance(settings, dict) else []
    return [rule for rule in silence if isinstance(rule, str)] if isinstance(silence, list) else []


def check_slug_id(report, table: Table, line: int, value: str, seen: dict[str, int]):
    """An id in an optional table: present, a slug, and unique (``seen`` maps id → line)."""
    if not value:
        report.error(table, line, "id", "empty; a value is required")
    elif not SLUG.match(value):
        report.error(table, line, "id",
                     f"{value!r} is not a slug: lowercase letters, digits and single hyphens")
    elif value in seen:
        report.error(table, line, "id", f"duplicate id {value!r} (first on line {seen[value]})")
    seen.setdefault(value, line)


def _check_kinds(report: _Report, table: Table | None) -> Vocabulary:
    """Rules of ``kinds.csv``; the dataset's vocabulary (the defaults when it has none)."""
    if table is None:
        return DEFAULT
    line = table.header_line
    for column in table.header:
        if column not in KIND_COLUMNS:
            hint = _hint(column.lower(), KIND_COLUMNS)
            report.error(table, line, column or "-", f"unknown column {column!r}{hint}")
    if "id" not in table.header:
        report.error(table, line, "id", "missing column 'id'")
        return DEFAULT
    if not table.lines:
        report.error(table, line, "-", "no kinds below the header")
        return DEFAULT
    seen: dict[str, int] = {}
    for row_line, row in table.records():
        check_slug_id(report, table, row_line, row["id"].strip(), seen)
        colour = (row.get("colour") or "").strip()
        if colour and not HEX_COLOUR.match(colour):
            report.error(table, row_line, "colour", f"{colour!r} is not a colour like #0072B2")
        for column, allowed in (("mark", MARKS), ("route", ROUTES)):
            value = (row.get(column) or "").strip()
            if value and value not in allowed:
                problem = _vocabulary(value, [a for a in allowed if a], column)
                report.error(table, row_line, column, problem)
    return vocabulary_from_rows([r for r in table.rows if r["id"].strip()])


def _check_links(report: _Report, dataset: Dataset, usable: dict, gazetteer):
    """Provenance and journeys: ``rests_on``, citations, stops and carriers."""
    from . import journeys, provenance

    source_ids = None
    origins = None
    if usable[SOURCES_FILE]:
        source_ids = {}
        for line, row in dataset.sources.records():
            source_ids.setdefault(row["id"].strip(), line)
        origins = provenance.check_sources(report, dataset.sources, source_ids)
    if not usable[EVENTS_FILE]:
        return
    events = dataset.events
    if origins is not None:
        single: dict[str, bool] = {}  # by sources cell
        confirmed = map("confirmed".__eq__, map(str.strip, events.column("confidence")))
        rows = compress(zip(events.lines, events.column("sources"), strict=True), confirmed)
        for line, cell in rows:
            if cell not in single:
                cited = split_items(cell)
                single[cell] = bool(cited) and all(s in origins for s in cited) and (
                    provenance.independent_origins(cited, origins) == 1)
            if single[cell]:
                report.warn(
                    events, line, "confidence",
                    "confirmed, but its sources come down to one independent origin",
                    rule="single-origin",
                )
    if dataset.citations is not None:
        event_sources = {
            eid.strip(): split_items(cell)
            for eid, cell in zip(events.column("id"), events.column("sources"), strict=True)
        }
        provenance.check_citations(report, dataset.citations, events, event_sources)
    if dataset.stops is not None:
        stops = {}
        rows = zip(events.lines, events.column("id"), events.column("places"), strict=True)
        for line, eid, cell in rows:
            resolved = [gazetteer.lookup(s) if gazetteer else None for s in split_stops(cell)]
            stops[eid.strip()] = (line, tuple(
                p.id if p is not None and p.id else s.strip()
                for p, s in zip(resolved, split_stops(cell), strict=True)
            ))
        journeys.check_stops(report, dataset.stops, stops, gazetteer, source_ids)
    if dataset.carriers is not None:
        journeys.check_carriers(report, dataset.carriers)


def _check_formulas(report: _Report, table: Table):
    """Cells a spreadsheet would run as a formula (``=HYPERLINK(...)``) when the data is opened
    or exported; numbers such as ``-66.9`` are fine. Column by column, only cells that start
    like a formula are looked at closely; the warnings then go row by row, in header order."""
    found = []
    for position, (column, values) in enumerate(table.columns.items()):
        starts = compress(count(), map(str.startswith, values, repeat(FORMULA_STARTS)))
        found += [(i, position, column, values[i]) for i in starts if is_formula(values[i])]
    for i, _, column, value in sorted(found):
        report.warn(
            table, table.lines[i], column,
            f"{value[:40]!r} starts with {value[0]!r}, which a spreadsheet runs as a "
            "formula; reword it (CSV exports get a leading \"'\")",
            rule="formula-cell",
        )


def _lookup_rows(rows: list[dict]) -> list[dict]:
    """Places rows for name lookup only: a place whose coordinates are wrong still has a name,
    so events naming it are not also reported as naming an unknown place."""
    return [
        {**row, **{c: "nan" for c in ("lat", "lon") if not _DECIMAL.match(row[c].strip())}}
        for row in rows
    ]


def check(dataset: Dataset) -> list[Problem]:
    """Every problem in the dataset, errors and warnings, sorted by file and line."""
    return inspect(dataset)[0]


def inspect(dataset: Dataset) -> tuple[list[Problem], Gazetteer | None]:
    """Every problem, and the place index built on the way (``None`` if places.csv is unusable),
    so that a valid dataset's places are indexed once per run."""
    with collector_paused():
        return _inspect(dataset)


def _inspect(dataset: Dataset) -> tuple[list[Problem], Gazetteer | None]:
    report = _Report(_silenced(dataset))
    for rule in sorted(report.silenced - set(WARNING_RULES)):
        report.problems.append(Problem(
            str(dataset.events.path.parent / PACKAGE_FILE), 1, "geomap.silence",
            f"unknown warning rule {rule!r}{_hint(rule, list(WARNING_RULES))}; the rules are "
            + ", ".join(WARNING_RULES),
        ))
    vocabulary = _check_kinds(report, dataset.kinds)
    usable = {
        name: _check_header(report, name, table) for name, table in dataset.tables().items()
    }
    for name, table in dataset.tables().items():
        if usable[name]:
            _check_ids_and_required(report, name, table)
            _check_formulas(report, table)
    gazetteer = source_ids = cited = None
    if usable[PLACES_FILE]:
        _check_places(report, dataset.places)
        from .outlines import outside_country

        for line, column, message in outside_country(dataset.places):
            report.warn(dataset.places, line, column, message, rule="outside-country")
        outlines = _check_outlines(report, dataset)
        gazetteer = Gazetteer.from_rows(_lookup_rows(dataset.places.rows), outlines)
    if usable[SOURCES_FILE]:
        source_ids = [row["id"].strip() for row in dataset.sources.rows]
    if usable[EVENTS_FILE]:
        _check_events(report, dataset.events, gazetteer, source_ids, vocabulary)
        if dataset.events.lines:  # else "not cited" would only repeat "no records"
            cited = {sid for cell in dict.fromkeys(dataset.events.column("sources"))
                     for sid in split_list(cell)}
            for extra, column in ((dataset.sources, "rests_on"), (dataset.stops, "sources")):
                if extra is not None and column in extra.header:
                    cited |= {s for cell in extra.column(column) for s in split_list(cell)}
    if usable[SOURCES_FILE]:
        _check_sources(report, dataset.sources, cited)
    _check_links(report, dataset, usable, gazetteer)
    order = {str(t.path): _FILE_ORDER[n] for n, t in dataset.tables().items()}
    return sorted(report.problems, key=lambda p: (order.get(p.path, 9), p.line)), gazetteer


def _check_outlines(report: _Report, dataset: Dataset) -> dict:
    """``outlines.geojson``: each outline names a place of places.csv, whose point it should
    hold. Returns place id -> area for the outlines that can be used."""
    found = dataset.outlines
    if found is None:
        return {}
    for line, message in found.problems:
        report.error(found, line, "outlines", message)
    places = {row["id"].strip(): row for row in dataset.places.rows}
    usable = {}
    for outline in found.outlines:
        row = places.get(outline.place)
        if row is None:
            report.error(found, outline.line, "place",
                         f"outline for unknown place {outline.place!r}"
                         + _hint(outline.place, list(places)))
            continue
        usable[outline.place] = outline.area
        try:
            lon, lat = float(row["lon"]), float(row["lat"])
        except ValueError:
            continue
        if not outline.area.contains(lon, lat):
            report.warn(found, outline.line, "place",
                        f"{outline.place!r} is at {lat:g},{lon:g}, outside its own outline",
                        rule="outline-misses-place")
    return usable


def warnings_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "warning"]


def errors_of(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def ensure_valid(dataset: Dataset) -> list[Problem]:
    """Raise ``ValidationError`` if the dataset has errors; return the warnings otherwise."""
    return validated(dataset)[0]


def validated(dataset: Dataset) -> tuple[list[Problem], Gazetteer]:
    """The warnings and the place index of a valid dataset; ``ValidationError`` otherwise."""
    problems, gazetteer = inspect(dataset)
    if errors_of(problems):
        raise ValidationError(problems)
    return problems, gazetteer
