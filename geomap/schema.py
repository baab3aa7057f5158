"""The data model: column names, vocabularies, CRS and partial dates.

Everything a contributor can get wrong is named here once, so the loader, the validator,
the documentation test and the in-map filters all agree.
"""

from __future__ import annotations

import calendar
import re
import sys
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

CRS = "EPSG:4326"

PLACES_FILE = "places.csv"
SOURCES_FILE = "sources.csv"
EVENTS_FILE = "events.csv"
PACKAGE_FILE = "datapackage.json"

PLACE_COLUMNS = (
    "id", "name", "aliases", "kind", "admin1", "country", "lat", "lon", "precision", "note",
)
SOURCE_COLUMNS = (
    "id", "title", "outlet", "author", "published", "url", "archive_url", "language", "note",
    "verified", "rests_on",
)
EVENT_COLUMNS = (
    "id", "date", "end_date", "kind", "title", "summary", "actors", "places", "carrier",
    "confidence", "sources", "evidence",
)

#: Columns that must hold a value in every row.
REQUIRED_VALUES = {
    PLACES_FILE: ("id", "name", "kind", "country", "lat", "lon", "precision"),
    SOURCES_FILE: ("id",),
    EVENTS_FILE: ("id", "date", "kind", "title", "places", "sources"),
}
COLUMNS = {PLACES_FILE: PLACE_COLUMNS, SOURCES_FILE: SOURCE_COLUMNS, EVENTS_FILE: EVENT_COLUMNS}
#: Columns added later, which older data directories may lack (read as empty).
OPTIONAL_COLUMNS = {SOURCES_FILE: ("verified", "rests_on")}

#: Optional files: each source of an event with its own quote; journeys' stops; carriers.
CITATIONS_FILE = "citations.csv"
CITATION_COLUMNS = ("event", "source", "quote", "locator", "stance")
STANCES = ("supports", "disputes", "reports-claim")
STOPS_FILE = "stops.csv"
STOP_COLUMNS = ("event", "sequence", "place", "arrived", "departed", "leg", "sources")
#: How the leg that ends at a stop is known: drawn by a model, reported, or observed (tracking).
LEG_KINDS = ("modelled", "reported", "observed")
CARRIERS_FILE = "carriers.csv"
#: Optional: the areas that places stand for (GeoJSON polygons keyed by place id).
OUTLINES_FILE = "outlines.geojson"
CARRIER_COLUMNS = (
    "id", "name", "type", "imo", "mmsi", "icao24", "registration", "flag", "operator",
)
EXTRA_FILES = {
    CITATIONS_FILE: CITATION_COLUMNS, STOPS_FILE: STOP_COLUMNS, CARRIERS_FILE: CARRIER_COLUMNS,
}

EVENT_KINDS = (
    "shipment", "flight", "visit", "seizure", "statement", "agreement", "payment", "appointment",
)
#: Kinds drawn as a line through their stops; every other kind is a point at its last stop.
ROUTE_KINDS = {"shipment": "sea", "flight": "air"}

PLACE_KINDS = ("city", "state", "refinery", "port", "airport", "base", "sea", "region", "country")
PLACE_PRECISIONS = ("exact", "city", "region")

#: Confidence levels, weakest first: a minimum-confidence filter keeps this level and later ones.
CONFIDENCE_LEVELS = ("alleged", "reported", "confirmed")
CONFIDENCE_MEANING = {
    "confirmed": "acknowledged by the parties or physically documented",
    "reported": "reported as fact by a news outlet",
    "alleged": "one side's claim or an outlet's speculation, unverified",
}

LIST_SEPARATOR = ";"
STOP_SEPARATOR = ">"

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def split_list(cell: str) -> list[str]:
    """``'Iran; Venezuela;'`` -> ``['Iran', 'Venezuela']``."""
    return list(split_items(cell))


@lru_cache(maxsize=65536)
def split_items(cell: str) -> tuple[str, ...]:
    """``split_list`` as a cached tuple, which every record of the cell can share; the parts
    are interned, since thousands of distinct cells name the same few sources and actors."""
    return tuple(map(sys.intern, filter(None, map(str.strip, cell.split(LIST_SEPARATOR)))))


def split_stops(cell: str) -> list[str]:
    """``'tehran > damascus > caracas'`` -> ``['tehran', 'damascus', 'caracas']``."""
    return [part for part in map(str.strip, cell.split(STOP_SEPARATOR)) if part]


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day; the written form is the precision.

    >>> PartialDate.parse("2020-05").label()
    'May 2020'
    >>> PartialDate.parse("2020-05").last_day().isoformat()
    '2020-05-31'
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``ValueError`` names what is wrong."""
        return _parse_date(text)

    @classmethod
    def _parse(cls, text: str) -> PartialDate:
        match = _DATE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in match.groups())
        if year < 1000:
            raise ValueError(f"{text!r}: year out of range")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} does not exist")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"{text!r}: {_MONTHS[month - 1]} {year} has no day {day}")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day:
            return date(self.year, self.month, self.day)
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        return _iso(self)

    def _iso(self) -> str:
        return "-".join(
            [f"{self.year:04d}"] + [f"{v:02d}" for v in (self.month, self.day) if v]
        )

    def label(self) -> str:
        """The date as precisely as it is known: ``2020``, ``May 2020``, ``25 May 2020``."""
        return _label(self)

    def _label(self) -> str:
        if self.day:
            return f"{self.day} {_MONTHS[self.month - 1]} {self.year}"
        if self.month:
            return f"{_MONTHS[self.month - 1]} {self.year}"
        return str(self.year)


@lru_cache(maxsize=65536)
def _iso(value: PartialDate) -> str:
    return value._iso()


@lru_cache(maxsize=65536)
def _label(value: PartialDate) -> str:
    return value._label()


@lru_cache(maxsize=65536)
def _parse_date(text: str) -> PartialDate:
    return PartialDate._parse(text)


def date_span_label(start: PartialDate, end: PartialDate | None) -> str:
    """``May 2020``, or ``May – June 2020`` style spans for events with an end date."""
    if end is None or end == start:
        return start.label()
    return f"{start.label()} – {end.label()}"
