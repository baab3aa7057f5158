"""Importing someone else's dataset (CSV, GeoJSON, GeoPackage) into a new data directory.

Columns map to geomap's fields (``--map FIELD=COLUMN``, or common names detected); every other
column is kept as an attribute. Nothing is invented: an unmapped field stays empty, and a row
that cannot be imported (bad coordinates, an unreadable date, a duplicate id) is reported as
``file:line: column: reason`` while the rest import. The files are validated together in memory
and only then written, each atomically, so a directory is never left half-imported.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import json
import re
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from .append import derive_id, slugify
from .errors import GeomapError, ValidationError
from .gazetteer import Gazetteer, coordinate_problem
from .load import Dataset, decode, parse_table, read_table
from .output import write_atomic
from .safety import safe_url
from .schema import (
    CONFIDENCE_LEVELS,
    EVENT_COLUMNS,
    EVENTS_FILE,
    PACKAGE_FILE,
    PLACE_COLUMNS,
    PLACES_FILE,
    SOURCE_COLUMNS,
    SOURCES_FILE,
    PartialDate,
    split_list,
    split_stops,
)
from .validate import errors_of, inspect
from .vocabulary import KIND_COLUMNS, KINDS_FILE
from .words import plural

#: Fields a source column can be mapped to with ``--map FIELD=COLUMN``.
FIELDS = (
    "id", "date", "end_date", "kind", "title", "summary", "actors", "place", "lat", "lon",
    "wkt", "url", "evidence", "confidence", "carrier",
)
#: Column names recognised without ``--map``, compared lower-cased with spaces and hyphens as
#: underscores; the first name present wins.
DETECTED = {
    "id": ("id", "event_id", "event_id_cnty", "uid", "identifier"),
    "date": ("date", "event_date", "start_date", "date_start", "begin_date"),
    "end_date": ("end_date", "date_end", "enddate"),
    "kind": ("kind", "type", "category", "event_type"),
    "title": ("title", "name", "headline"),
    "summary": ("summary", "description", "notes", "note", "details"),
    "actors": ("actors", "actor"),
    "place": ("place", "places", "place_name", "location"),
    "lat": ("lat", "latitude", "y"),
    "lon": ("lon", "lng", "long", "longitude", "x"),
    "wkt": ("wkt", "geometry", "geom", "the_geom"),
    "url": ("url", "link", "source_url", "href"),
    "evidence": ("evidence", "quote"),
    "confidence": ("confidence",),
    "carrier": ("carrier",),
}
#: The kind of events whose source gives none: id and label.
DEFAULT_KIND = ("event", "Event")
#: The kind of a row whose kind column is empty.
UNSPECIFIED_KIND = ("unspecified", "Not given")

_DECIMAL = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$", re.ASCII)
_ISO_DATETIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_MONTH_NAMES = {
    name: n
    for n, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}
#: ``21 May 2020``, ``21-May-2020``, ``May 21, 2020``, ``May 2020``, ``Sept. 3rd 2020``.
_WORDY = re.compile(
    r"^(?:(\d{1,2})[\s-]+)?([a-z]+)\.?,?[\s-]+(?:(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(\d{4})$"
)


class ImportFailed(GeomapError):
    """A source that cannot be imported at all, or a target that must not be written."""


@dataclass(frozen=True)
class Preset:
    """A known export format: its column mapping, renamed attributes and date rule."""

    name: str
    mapping: dict[str, str]
    renames: dict[str, str] = field(default_factory=dict)
    #: Columns named in a template that stay attributes too (others are consumed).
    keep: tuple[str, ...] = ()
    #: ``(row, date) -> (date, end_date)``: how the export's own precision code widens a date.
    dates: Callable[[dict[str, str], str], tuple[str, str]] | None = None
    #: Numeric dates such as ``05-06-2023`` are day first.
    day_first: bool = False




@dataclass(frozen=True)
class Skipped:
    """A row left out, and why: ``where`` is ``file:line`` or ``file: feature N``."""

    where: str
    column: str
    reason: str

    def __str__(self) -> str:
        column = f"{self.column}: " if self.column else ""
        return f"{self.where}: {column}{self.reason}"


@dataclass
class ImportSummary:
    """What an import did; ``lines()`` is the report the command prints."""

    source: str
    target: Path
    rows: int
    imported: int
    skipped: list[Skipped]
    notes: list[Skipped]
    mapping: dict[str, str]
    attributes: list[str]
    kinds: list[tuple[str, str]]
    sources: int
    places: int
    warnings: list = field(default_factory=list)

    def lines(self, limit: int = 20) -> list[str]:
        out = []
        if self.skipped:
            out.append(f"skipped {plural(len(self.skipped), 'row')}:")
            out += [f"  {s}" for s in self.skipped[:limit]]
            if len(self.skipped) > limit:
                out.append(f"  … and {len(self.skipped) - limit:,} more")
        if self.notes:
            out.append(f"imported with a change ({len(self.notes):,}):")
            out += [f"  {s}" for s in self.notes[:limit]]
            if len(self.notes) > limit:
                out.append(f"  … and {len(self.notes) - limit:,} more")
        mapped = ", ".join(f"{f} ← {c}" for f, c in self.mapping.items())
        unmapped = [f for f in ("id", "date", "end_date", "kind", "title", "summary", "actors",
                                "url", "evidence", "confidence", "carrier")
                    if f not in self.mapping]
        out.append(f"mapped: {mapped}")
        if unmapped:
            out.append(f"not mapped (left empty or derived): {', '.join(unmapped)}")
        if self.attributes:
            out.append(f"kept as attributes: {', '.join(self.attributes)}")
        out.append(
            "kinds: " + ", ".join(f"{kid} ({label})" for kid, label in self.kinds[:limit])
            + (f" … and {len(self.kinds) - limit} more" if len(self.kinds) > limit else "")
        )
        for rule, count, example in group_warnings(self.warnings):
            out.append(f"warning ×{count:,}: {rule} (e.g. {example})")
        out.append(
            f"imported {plural(self.imported, 'event')}, skipped {plural(len(self.skipped), 'row')}"
            f" of {self.rows:,} from {self.source} into {self.target} "
            f"({plural(len(self.kinds), 'kind')}, {plural(self.sources, 'source')}, "
            f"{plural(self.places, 'place')})"
        )
        return out


def group_warnings(problems) -> list[tuple[str, int, str]]:
    """Warnings grouped by rule (their message with quoted values elided), most frequent first:
    ``(rule, count, first location)``."""
    groups: dict[str, list] = {}
    for problem in problems:
        rule = f"{problem.column}: " + re.sub(r"'[^']*'|\d+", "…", problem.message)
        groups.setdefault(rule, []).append(problem)
    ranked = sorted(groups.items(), key=lambda item: -len(item[1]))
    return [(rule, len(items), f"{items[0].path}:{items[0].line}") for rule, items in ranked]


# ---------------------------------------------------------------------------------------------
# Reading the source


@dataclass
class _Record:
    where: str  # ``file:line`` or ``file: feature N``
    label: str  # ``line N`` or ``feature N``
    row: dict[str, str]
    geometry: object = None  # a shapely geometry from a vector file, else None


def _read_source(path: Path, layer: str | None, encoding: str | None):
    """The columns, the records, and whether records carry a geometry."""
    if not path.exists():
        raise ImportFailed("file not found", path=path)
    if path.is_dir() and path.suffix.lower() != ".gdb":
        raise ImportFailed("is a directory; give a CSV, GeoJSON or GeoPackage file", path=path)
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        return _read_csv(path, encoding)
    return _read_vector(path, layer)


def _read_csv(path: Path, encoding: str | None) -> tuple[list[str], list[_Record], bool]:
    """A delimited text file: comma-separated, or tab- or semicolon-separated when the header
    has no comma (as spreadsheets export them in many locales)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"cannot be read: {exc.strerror or exc}", path=path) from None
    if encoding:
        try:
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise ImportFailed(f"cannot be read as {encoding}: {exc}", path=path) from None
    else:
        text = decode(data, path)
    header = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    if delimiter == "," and "," not in header:
        delimiter = next((d for d in ("\t", ";") if d in header), ",")
    if delimiter != ",":
        text = _as_csv(text, delimiter, path)
    table = parse_table(text, path)
    for column, count in Counter(table.header).items():
        if count > 1 or not column:
            raise ImportFailed(
                f"column {column!r} appears {count} times in the header" if column
                else "empty column name in the header",
                path=path, line=table.header_line,
            )
    records = [_Record(f"{path}:{line}", f"line {line}", row) for line, row in table.records()]
    return list(table.header), records, False


def _as_csv(text: str, delimiter: str, path: Path) -> str:
    """Comma-separated text with the same records on the same lines."""
    try:
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""),
                               delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise ImportFailed(f"malformed delimited text: {exc}", path=path) from None
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _read_vector(path: Path, layer: str | None) -> tuple[list[str], list[_Record], bool]:
    import warnings

    import geopandas
    import pyogrio

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # pyogrio raises its own DataSourceError, DataLayerError, …
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ImportFailed(f"cannot be read as a vector file: {message}", path=path) from None
    has_geometry = isinstance(frame, geopandas.GeoDataFrame)
    if has_geometry and frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    columns = [c for c in frame.columns if c != "geometry"]
    records = []
    geometries = list(frame.geometry) if has_geometry else [None] * len(frame)
    for n, (values, geometry) in enumerate(
        zip(frame[columns].itertuples(index=False, name=None), geometries, strict=True), start=1
    ):
        row = {column: _text(value) for column, value in zip(columns, values, strict=True)}
        records.append(_Record(f"{path}: feature {n}", f"feature {n}", row, geometry))
    return [str(c) for c in columns], records, has_geometry


def _text(value) -> str:
    """A cell of a vector file's attribute table as text; a missing value is empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):  # date, datetime, pandas Timestamp (NaT when missing)
        text = value.isoformat()
        return "" if text == "NaT" else text
    text = str(value)
    return "" if text in ("NaT", "nan", "<NA>") else text


# ---------------------------------------------------------------------------------------------
# Mapping columns to fields


def _norm(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def _template_columns(spec: str) -> list[str]:
    """The columns a ``{column}`` template names; empty for a plain column name."""
    if "{" not in spec:
        return []
    try:
        return [name for _, name, _, _ in string.Formatter().parse(spec) if name is not None]
    except ValueError:
        return []


def resolve_mapping(
    columns: list[str], explicit: dict[str, str], preset: Preset | None, has_geometry: bool
) -> dict[str, str]:
    """Field → column (or ``{column}`` template): explicit ``--map`` first, then the preset,
    then detected names. Position comes from the geometry, else lat/lon, else WKT, else a
    place-name column; a column used for position is not also detected for another field."""
    for fname in explicit:
        if fname not in FIELDS:
            close = difflib.get_close_matches(fname, FIELDS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ImportFailed(f"--map: unknown field {fname!r}{hint}; fields: {', '.join(FIELDS)}")
    mapping = dict(preset.mapping) if preset else {}
    mapping.update(explicit)
    present = set(columns)
    for fname, spec in mapping.items():
        for column in _template_columns(spec) or [spec]:
            if column not in present:
                close = difflib.get_close_matches(column, columns, n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise ImportFailed(
                    f"--map {fname}={spec}: no column {column!r} in the source{hint}"
                )
    by_norm = {}
    for column in columns:
        by_norm.setdefault(_norm(column), column)
    position = {"lat", "lon", "wkt", "place"}
    explicit_position = position & set(mapping)
    used = {c for spec in mapping.values() for c in (_template_columns(spec) or [spec])}
    for fname, names in DETECTED.items():
        if fname in mapping:
            continue
        if fname in position and (has_geometry or explicit_position):
            continue
        for name in names:
            column = by_norm.get(name)
            if column is not None and column not in used:
                mapping[fname] = column
                used.add(column)
                break
    if not has_geometry and not explicit_position:
        if "lat" in mapping and "lon" in mapping:
            mapping.pop("wkt", None)
            mapping.pop("place", None)
        else:
            mapping.pop("lat", None)
            mapping.pop("lon", None)
            if "wkt" in mapping:
                mapping.pop("place", None)
    if not has_geometry and not (("lat" in mapping and "lon" in mapping)
                                 or "wkt" in mapping or "place" in mapping):
        if "lat" in mapping or "lon" in mapping:
            raise ImportFailed("--map gives only one of lat and lon; map both")
        raise ImportFailed(
            "no position: map lat and lon (--map lat=COLUMN --map lon=COLUMN), a WKT column "
            "(--map wkt=COLUMN) or a place-name column (--map place=COLUMN); columns are "
            + ", ".join(columns)
        )
    return {f: mapping[f] for f in FIELDS if f in mapping}


def _value(row: dict[str, str], spec: str | None) -> str:
    """A field's text from a row: a column's value, or a template filled with values. Literal
    text joins only values that are present: ``"{a} in {b}"`` with ``b`` empty gives ``a``."""
    if spec is None:
        return ""
    columns = _template_columns(spec)
    if not columns:
        return row.get(spec, "").strip()
    out: list[str] = []
    last = False
    for n, (literal, column, _, _) in enumerate(string.Formatter().parse(spec)):
        if column is None:
            if out and last:
                out.append(literal)
            continue
        value = row.get(column, "").strip()
        last = bool(value)
        if value:
            if out or n == 0:
                out.append(literal)
            out.append(value)
    return "".join(out).strip()


# ---------------------------------------------------------------------------------------------
# Values


class _Bad(Exception):
    """A row that cannot be imported: ``column`` and ``reason``."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


def parse_date(text: str, date_format: str | None = None, day_first: bool = False) -> str:
    """A date in a common form as geomap's ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; day and
    month order is accepted only when it cannot be misread, or when the source is known to
    write the day first (``day_first``).

    >>> [parse_date(t) for t in ("2020-05-21T10:00:00", "21 May 2020", "2020/05/21",
    ...                          "May 21, 2020", "May 2020", "25/12/2020")]
    ['2020-05-21', '2020-05-21', '2020-05-21', '2020-05-21', '2020-05', '2020-12-25']
    """
    text = text.strip()
    if date_format:
        try:
            parsed = datetime.strptime(text, date_format)
        except ValueError:
            raise ValueError(f"{text!r} does not match --date-format {date_format!r}") from None
        if any(code in date_format for code in ("%d", "%j")):
            return parsed.date().isoformat()
        if any(code in date_format for code in ("%m", "%b", "%B")):
            return f"{parsed.year:04d}-{parsed.month:02d}"
        return f"{parsed.year:04d}"
    match = _ISO_DATETIME.match(text)
    if match:
        text = match.group(1)
    match = _YEAR_FIRST.match(text)
    if match:
        year, month, day = match.groups()
        text = f"{year}-{int(month):02d}" + (f"-{int(day):02d}" if day else "")
    match = _NUMERIC_DMY.match(text)
    if match:
        first, second, year = (int(g) for g in match.groups())
        if first > 12 >= second:
            text = f"{year:04d}-{second:02d}-{first:02d}"
        elif second > 12 >= first or first == second:
            text = f"{year:04d}-{first:02d}-{second:02d}"
        elif day_first and max(first, second) <= 12:
            text = f"{year:04d}-{second:02d}-{first:02d}"
        else:
            raise ValueError(
                f"{text!r} is ambiguous (day/month or month/day?); give --date-format "
                "%d/%m/%Y or %m/%d/%Y"
            )
    match = _WORDY.match(text.lower())
    if match:
        day_before, month_name, day_after, year = match.groups()
        month = _MONTH_NAMES.get(month_name)
        day = day_before or day_after
        if month is None or (day_before and day_after):
            raise ValueError(f"{text!r} is not a date geomap can read")
        text = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "")
    try:
        if not text.isascii():
            raise ValueError(text)
        return PartialDate.parse(text).iso()
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date geomap can read (YYYY-MM-DD, 2020-05-21T10:00, 21 May 2020, "
            "2020/05/21…; or give --date-format)"
        ) from None


def _acled_dates(row: dict[str, str], start: str) -> tuple[str, str]:
    """ACLED's ``time_precision``: 1, the day as given; 2, the source gives a week or weekend
    and ACLED records a day in its middle, so the span is that day ± 3 days; 3, the source
    gives only the month, so the date is that month."""
    precision = row.get("time_precision", "").strip()
    if precision == "2" and len(start) == 10:
        day = date.fromisoformat(start)
        return (day - timedelta(days=3)).isoformat(), (day + timedelta(days=3)).isoformat()
    if precision == "3" and len(start) >= 7:
        return start[:7], ""
    return start, ""


#: ACLED exports. ``time_precision`` widens the date (see ``_acled_dates``); numeric dates are
#: day first (dd-mm-yyyy, as ACLED's codebook gives them); ``source`` names
#: outlets, not links, so it is kept as the attribute ``outlets``; ``sub_event_type``,
#: ``location``, ``geo_precision``, ``fatalities`` and every other column stay as attributes
#: (``geo_precision`` cannot become a place's precision: each stop is a literal coordinate).
ACLED = Preset(
    name="acled",
    mapping={
        "id": "event_id_cnty",
        "date": "event_date",
        "kind": "event_type",
        "title": "{sub_event_type} in {location}",
        "summary": "notes",
        "actors": "{actor1}; {actor2}",
        "lat": "latitude",
        "lon": "longitude",
    },
    renames={"source": "outlets"},
    keep=("sub_event_type", "location"),
    dates=_acled_dates,
    day_first=True,
)
PRESETS = {"acled": ACLED}


def _coordinate(text: str, column: str) -> float:
    text = text.strip()
    if not text:
        raise _Bad(column, "empty; no coordinate")
    if not _DECIMAL.match(text):
        raise _Bad(column, f"{text!r} is not a decimal number of degrees")
    return float(text)


def _number(value: float) -> str:
    """Degrees as plain decimal text (no exponent), at most 7 decimals (about 1 cm)."""
    text = f"{value:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _stop(lat: float, lon: float, column: str) -> str:
    problem = coordinate_problem(lat, lon)
    if problem:
        raise _Bad(column, problem)
    return f"{_number(lat)},{_number(lon)}"


def _geometry_stops(geometry, column: str) -> list[str]:
    """Stops from a point (one), a line or a multipoint (its vertices, in order)."""
    if geometry is None or geometry.is_empty:
        raise _Bad(column, "no geometry")
    kind = geometry.geom_type
    if kind == "Point":
        coords = [geometry.coords[0]]
    elif kind in ("LineString", "LinearRing"):
        coords = list(geometry.coords)
    elif kind == "MultiPoint":
        coords = [point.coords[0] for point in geometry.geoms]
    elif kind == "MultiLineString" and len(geometry.geoms) == 1:
        coords = list(geometry.geoms[0].coords)
    else:
        raise _Bad(column, f"a {kind} is not a point or a line; geomap maps points and routes")
    stops = [_stop(c[1], c[0], column) for c in coords]
    return [s for n, s in enumerate(stops) if n == 0 or s != stops[n - 1]]


def _wkt_stops(text: str, column: str) -> list[str]:
    import shapely

    if not text.strip():
        raise _Bad(column, "empty; no geometry")
    try:
        geometry = shapely.from_wkt(text.strip())
    except Exception:  # shapely raises GEOSException for malformed text
        shown = text.strip() if len(text.strip()) <= 60 else text.strip()[:57] + "…"
        raise _Bad(column, f"{shown!r} is not WKT (like POINT (30.52 50.45))") from None
    return _geometry_stops(geometry, column)


# ---------------------------------------------------------------------------------------------
# Building the tables


def _attribute_name(column: str, taken: set[str], renames: dict[str, str]) -> str:
    """The events.csv column an unmapped source column becomes: its own name unless it is,
    or is close enough to be mistaken for, one of geomap's columns."""
    name = renames.get(column, column.strip())
    clash = name in EVENT_COLUMNS or difflib.get_close_matches(
        name.lower(), EVENT_COLUMNS, n=1, cutoff=0.8
    )
    if clash:
        name = f"original_{name}"
    base, n = name, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _csv_text(header, rows) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([[row.get(c, "") for c in header] for row in rows])
    return buffer.getvalue()


def _gazetteer_rows(places_file: Path | None, target: Path) -> list[dict[str, str]]:
    path = places_file or (target / PLACES_FILE)
    if places_file is None and not path.exists():
        return []
    table = read_table(path)
    missing = [c for c in ("id", "name", "lat", "lon") if c not in table.header]
    if missing:
        raise ImportFailed(f"not a gazetteer: missing column {missing[0]!r}", path=path, line=1)
    return table.rows


def _link_source_id(url: str) -> str:
    return "link-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:10]


def _check_target(target: Path, force: bool):
    """Refuse a target that holds anything but a gazetteer (``places.csv``), unless forced."""
    if target.exists() and not target.is_dir():
        raise ImportFailed("is a file; give a directory to import into", path=target)
    if not target.is_dir() or force:
        return
    others = [p.name for p in target.iterdir() if p.name != PLACES_FILE]
    if others:
        dataset = {EVENTS_FILE, SOURCES_FILE, KINDS_FILE, PACKAGE_FILE} & set(others)
        raise ImportFailed(
            f"{'holds a dataset' if dataset else 'is not empty'}; import into a new or empty "
            "directory (a places.csv alone is used as the gazetteer and kept), or give --force "
            "to replace its events, sources, kinds and datapackage.json",
            path=target,
        )


def import_dataset(
    src: Path | str,
    target: Path | str,
    *,
    mapping: dict[str, str] | None = None,
    preset: str | None = None,
    places_file: Path | str | None = None,
    source_title: str | None = None,
    source_url: str | None = None,
    licence: str | None = None,
    title: str | None = None,
    description: str | None = None,
    citation: str | None = None,
    constants: dict[str, str] | None = None,
    date_format: str | None = None,
    route: str | None = None,
    layer: str | None = None,
    encoding: str | None = None,
    force: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """Import ``src`` into the data directory ``target`` and return what was done.

    ``mapping`` is field → column, or a template such as ``"{actor1}; {actor2}"``;
    ``constants`` sets a field to one value for every row (only what the user states, e.g.
    ``{"kind": "airport"}`` or ``{"confidence": "reported"}``); ``route`` (``sea`` or ``air``)
    draws every kind as a line through its stops. Raises ``GeomapError`` if the source cannot
    be read, nothing can be imported, the target holds data (unless ``force``) or the result
    would not validate; nothing is written then.
    """
    src, target = Path(src), Path(target)
    chosen = None
    if preset:
        chosen = PRESETS.get(preset.lower())
        if chosen is None:
            raise ImportFailed(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
    if route not in (None, "", "sea", "air"):
        raise ImportFailed(f"route {route!r} is not sea or air")
    if source_url and safe_url(source_url) is None:
        raise ImportFailed(f"--source-url {source_url!r} is not an http(s) URL with a host")
    constants = _checked_constants(constants or {})
    _check_target(target, force)

    columns, records, has_geometry = _read_source(src, layer, encoding)
    if not records:
        raise ImportFailed("no rows below the header", path=src)
    explicit = {k: v for k, v in (mapping or {}).items() if k not in constants}
    fields = resolve_mapping(columns, explicit, chosen, has_geometry)
    for fname in constants:
        fields.pop(fname, None)
    if "date" not in fields and "date" not in constants:
        raise ImportFailed(
            "no date column: map one with --map date=COLUMN (or --set date=DATE if one date is "
            "true of every row); columns are " + ", ".join(columns), path=src,
        )
    gazetteer_rows = []
    own_places = places_file is None and (target / PLACES_FILE).is_file()
    if "place" in fields or own_places:
        gazetteer_rows = _gazetteer_rows(Path(places_file) if places_file else None, target)

    dataset_title = source_title or src.name
    builder = _Builder(fields, constants, chosen, date_format, route, gazetteer_rows,
                       dataset_source=derive_id("", dataset_title) or "dataset",
                       use_geometry=has_geometry and not POSITION_FIELDS & fields.keys())
    consumed = {c for spec in fields.values() for c in (_template_columns(spec) or [spec])}
    consumed -= set(chosen.keep if chosen else ())
    taken: set[str] = set(EVENT_COLUMNS)
    builder.attributes = {c: _attribute_name(c, taken, chosen.renames if chosen else {})
                          for c in columns if c not in consumed}
    for record in records:
        builder.add(record)
    if not builder.events:
        shown = "\n".join(str(s) for s in builder.skipped[:20])
        raise ImportFailed(f"no row could be imported; nothing written\n{shown}", path=src)

    package = {
        "name": slugify(title or dataset_title) or "imported-dataset",
        "title": title or dataset_title,
        "description": description or f"Imported by geomap from {src.name}.",
    }
    if licence:
        package["licenses"] = [{"name": licence}]
    if citation:
        package["citation"] = citation
    package["sources"] = [{"title": dataset_title, **({"path": source_url} if source_url else {})}]
    files = builder.files(dataset_title, source_url, licence)
    if own_places:  # the target's own gazetteer is kept as it is, every place of it
        files[PLACES_FILE] = decode((target / PLACES_FILE).read_bytes(), target / PLACES_FILE)
    files[PACKAGE_FILE] = json.dumps(package, ensure_ascii=False, indent=2) + "\n"

    tables = {name: parse_table(text, target / name)
              for name, text in files.items() if name != PACKAGE_FILE}
    dataset = Dataset(places=tables[PLACES_FILE], sources=tables[SOURCES_FILE],
                      events=tables[EVENTS_FILE], kinds=tables[KINDS_FILE], package=package)
    problems, _ = inspect(dataset)
    if errors_of(problems):  # only the errors: thousands of warnings would bury them
        raise ValidationError(errors_of(problems))
    if not dry_run:
        target.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            if not (own_places and name == PLACES_FILE):
                write_atomic(target / name, text.encode("utf-8"), dataset=True)
    return ImportSummary(
        source=str(src), target=target, rows=len(records), imported=len(builder.events),
        skipped=builder.skipped, notes=builder.notes,
        mapping=fields | {f: f"{v!r} (--set)" for f, v in constants.items()},
        attributes=list(builder.attributes.values()), kinds=list(builder.kinds.items()),
        sources=len(tables[SOURCES_FILE].rows), places=len(tables[PLACES_FILE].rows),
        warnings=problems,
    )


POSITION_FIELDS = frozenset({"lat", "lon", "wkt", "place"})
#: Fields ``--set`` may give every row.
SETTABLE = ("kind", "date", "end_date", "confidence", "carrier", "actors")


def _checked_constants(constants: dict[str, str]) -> dict[str, str]:
    checked = {}
    for fname, value in constants.items():
        value = value.strip()
        if fname not in SETTABLE:
            raise ImportFailed(f"--set {fname}: only {', '.join(SETTABLE)} can be set for "
                               "every row")
        if fname == "confidence" and value not in CONFIDENCE_LEVELS:
            raise ImportFailed(f"confidence {value!r} is not one of "
                               f"{', '.join(CONFIDENCE_LEVELS)}")
        if fname in ("date", "end_date"):
            try:
                value = parse_date(value)
            except ValueError as exc:
                raise ImportFailed(f"--set {fname}: {exc}") from None
        checked[fname] = value
    return checked


class _Builder:
    """The rows of the new directory, built one source record at a time."""

    def __init__(self, fields, constants, preset, date_format, route, gazetteer_rows, *,
                 dataset_source, use_geometry):
        self.fields = fields
        self.constants = constants
        self.preset = preset
        self.date_format = date_format
        self.day_first = bool(preset and preset.day_first)
        self.route = route
        self.gazetteer_rows = gazetteer_rows
        self.gazetteer = Gazetteer.from_rows(gazetteer_rows)
        self.dataset_source = dataset_source
        self.use_geometry = use_geometry
        self.attributes: dict[str, str] = {}
        self.kinds: dict[str, str] = {}  # id -> label, in order of first use
        self.events: list[dict[str, str]] = []
        self.skipped: list[Skipped] = []
        self.notes: list[Skipped] = []
        self._kind_of_text: dict[str, str] = {}  # text -> id, for kinds that do not slugify
        self._pending_kind: tuple[str, str] = UNSPECIFIED_KIND
        self._links: dict[str, str] = {}  # url -> source id
        self._used_places: set[str] = set()
        self._seen_ids: dict[str, str] = {}
        self._derived: Counter = Counter()

    def add(self, record: _Record):
        """Add one record as an event, or list it as skipped with the reason."""
        try:
            event = self._event(record)
            event["id"] = self._id(record, event)
        except _Bad as bad:
            self.skipped.append(Skipped(record.where, bad.column, bad.reason))
            return
        self._seen_ids[event["id"]] = record.label
        kid, label = self._pending_kind
        self.kinds.setdefault(kid, label)
        if kid != UNSPECIFIED_KIND[0]:
            self._kind_of_text.setdefault(label, kid)
        event["sources"] = "; ".join([self.dataset_source, *self._link(record)])
        for column, name in self.attributes.items():
            event[name] = record.row.get(column, "").strip()
        self.events.append(event)

    def _get(self, row: dict[str, str], fname: str) -> str:
        if fname in self.constants:
            return self.constants[fname]
        return _value(row, self.fields.get(fname))

    def _event(self, record: _Record) -> dict[str, str]:
        """The geomap columns of one record; ``_Bad`` when it cannot be imported."""
        row = record.row
        start, end = self._dates(row)
        stops = self._stops(record)
        if self.route and len(stops) < 2:
            column = next((self.fields[f] for f in ("place", "wkt", "lat") if f in self.fields),
                          "geometry")
            raise _Bad(column, "one stop; a route needs at least two")
        confidence = self._get(row, "confidence").lower()
        if confidence and confidence not in CONFIDENCE_LEVELS:
            raise _Bad(self.fields.get("confidence", "--set"),
                       f"confidence {confidence!r} is not one of {', '.join(CONFIDENCE_LEVELS)}")
        if {"kind"} & (self.fields.keys() | self.constants.keys()):
            kind, label = self._pending_kind = self._kind(self._get(row, "kind"))
        else:
            kind, label = self._pending_kind = DEFAULT_KIND
        return {
            "date": start,
            "end_date": end,
            "kind": kind,
            "title": self._get(row, "title") or label,
            "summary": self._get(row, "summary"),
            "actors": "; ".join(dict.fromkeys(split_list(self._get(row, "actors")))),
            "places": " > ".join(stops),
            "carrier": self._get(row, "carrier"),
            "confidence": confidence,
            "evidence": self._get(row, "evidence"),
        }

    def _dates(self, row: dict[str, str]) -> tuple[str, str]:
        dates = {}
        for fname in ("date", "end_date"):
            text = self._get(row, fname)
            column = self.fields.get(fname, "--set")
            if not text:
                if fname == "date":
                    raise _Bad(column, "no date")
                dates[fname] = ""
            elif fname in self.constants:
                dates[fname] = text
            else:
                try:
                    dates[fname] = parse_date(text, self.date_format, self.day_first)
                except ValueError as exc:
                    raise _Bad(column, str(exc)) from None
        start, end = dates["date"], dates["end_date"]
        if self.preset is not None and self.preset.dates and "date" not in self.constants:
            start, widened = self.preset.dates(row, start)
            end = end or widened
        if end and PartialDate.parse(end).last_day() < PartialDate.parse(start).first_day():
            raise _Bad(self.fields.get("end_date", "--set"),
                       f"{end!r} is before the date {start!r}")
        return start, end

    def _stops(self, record: _Record) -> list[str]:
        fields, row = self.fields, record.row
        if self.use_geometry:
            return _geometry_stops(record.geometry, "geometry")
        if "lat" in fields:
            lat = _coordinate(_value(row, fields["lat"]), fields["lat"])
            lon = _coordinate(_value(row, fields["lon"]), fields["lon"])
            return [_stop(lat, lon, f"{fields['lat']}/{fields['lon']}")]
        if "wkt" in fields:
            return _wkt_stops(_value(row, fields["wkt"]), fields["wkt"])
        return self._place_stops(_value(row, fields["place"]), fields["place"])

    def _place_stops(self, text: str, column: str) -> list[str]:
        stops = []
        for stop in split_stops(text):
            place = self.gazetteer.lookup(stop)
            if place is None:
                close = self.gazetteer.suggest(stop)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise _Bad(column, f"unknown place {stop!r}{hint}; add it to the gazetteer "
                                   "(--places FILE)")
            if place.id:
                self._used_places.add(place.id)
                stops.append(place.id)
            else:
                stops.append(_stop(place.lat, place.lon, column))
        if not stops:
            raise _Bad(column, "empty; no place")
        return stops

    def _kind(self, text: str) -> tuple[str, str]:
        """The kind id and label for a kind column's text; the first spelling of an id is its
        label, and text with no letters or digits to keep gets a numbered id."""
        if not text:
            return UNSPECIFIED_KIND
        kid = self._kind_of_text.get(text) or slugify(text) or f"kind-{len(self.kinds) + 1}"
        return kid, self.kinds.get(kid, text)

    def _id(self, record: _Record, event: dict[str, str]) -> str:
        """The source's id as a slug (a duplicate is ``_Bad``), else one derived from date and
        title, numbered when taken."""
        raw = _value(record.row, self.fields.get("id"))
        if raw:
            eid = slugify(raw)
            if not eid:
                raise _Bad(self.fields["id"], f"id {raw!r} has no letters or digits to keep")
            if eid in self._seen_ids:
                same = "" if eid == raw else f" (as {eid!r})"
                raise _Bad(self.fields["id"], f"duplicate id {raw!r}{same}; "
                                              f"first on {self._seen_ids[eid]}")
            return eid
        base = eid = derive_id(event["date"], event["title"]) or "event"
        while eid in self._seen_ids:  # the counter keeps this loop short for common titles
            self._derived[base] += 1
            eid = f"{base}-{self._derived[base] + 1}"
        return eid

    def _link(self, record: _Record) -> list[str]:
        """The source id of the row's link, if it is an http(s) URL."""
        link = _value(record.row, self.fields.get("url"))
        if not link:
            return []
        if safe_url(link) is None:
            self.notes.append(Skipped(record.where, self.fields["url"],
                                      f"{link[:80]!r} is not an http(s) URL; the link is left out"))
            return []
        return [self._links.setdefault(link, _link_source_id(link))]

    def files(self, dataset_title: str, source_url: str | None, licence: str | None):
        """The CSV text of each file, by name."""
        sources = [{
            "id": self.dataset_source, "title": dataset_title, "url": source_url or "",
            "note": "The imported dataset" + (f" ({licence})" if licence else "") + ".",
        }]
        sources += [{"id": sid, "url": url} for url, sid in self._links.items()]
        places = [row for row in self.gazetteer_rows
                  if row.get("id", "").strip() in self._used_places]
        kinds = [{"id": kid, "label": label, "route": self.route or ""}
                 for kid, label in self.kinds.items()]
        header = list(EVENT_COLUMNS) + list(self.attributes.values())
        return {
            PLACES_FILE: _csv_text(PLACE_COLUMNS, places),
            SOURCES_FILE: _csv_text(SOURCE_COLUMNS, sources),
            KINDS_FILE: _csv_text(KIND_COLUMNS, kinds),
            EVENTS_FILE: _csv_text(header, self.events),
        }
