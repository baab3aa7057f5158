"""Typed event records: a validated ``events.csv`` row with its dates parsed and stops resolved.

Rows are resolved once, right after validation; filters, ``stats``, the payload and the
GeoDataFrames all read these records, so no cell is split or parsed again downstream.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from itertools import repeat

from .bulk import collector_paused
from .gazetteer import Gazetteer, Place, fold
from .journeys import Carrier, JourneyStop, carriers_of, journeys_of
from .load import Dataset
from .provenance import independent_origins
from .schema import (
    EVENT_COLUMNS,
    PartialDate,
    date_span_label,
    split_items,
    split_list,
    split_stops,
)


@dataclass(frozen=True, slots=True)
class Citation:
    """One source of an event with its own quote (``citations.csv``)."""

    source: str
    quote: str
    locator: str = ""
    stance: str = "supports"


@dataclass(frozen=True, slots=True)
class Event:
    """One event as the rest of geomap sees it.

    >>> from geomap.gazetteer import Place
    >>> caracas = Place("caracas", "Caracas", -66.9, 10.5, "city")
    >>> ev = Event("e", PartialDate.parse("2020-05"), None, "visit", "T", stops=(caracas,))
    >>> ev.start.isoformat(), ev.end.isoformat(), ev.date_label, ev.place_ids
    ('2020-05-01', '2020-05-31', 'May 2020', ('caracas',))
    """

    id: str
    date: PartialDate
    end_date: PartialDate | None
    kind: str
    title: str
    summary: str = ""
    actors: tuple[str, ...] = ()
    stops: tuple[Place, ...] = ()
    places_text: str = ""
    carrier: str = ""
    confidence: str = ""
    sources: tuple[str, ...] = ()
    evidence: str = ""
    line: int = 0
    #: The dataset's own columns beyond geomap's, as ``(column, value)`` pairs in file order.
    attributes: tuple[tuple[str, str], ...] = ()
    citations: tuple[Citation, ...] = ()
    #: How many independent origins its sources come down to (``sources.csv``'s ``rests_on``).
    origins: int = 0
    journey: tuple[JourneyStop, ...] = ()
    carrier_info: Carrier | None = None

    @property
    def start(self) -> date:
        """The first day the event may have happened on."""
        return self.date.first_day()

    @property
    def end(self) -> date:
        """The last day the event may have happened on (its end date's, else its date's)."""
        return (self.end_date or self.date).last_day()

    @property
    def date_label(self) -> str:
        return date_span_label(self.date, self.end_date)

    @property
    def place_ids(self) -> tuple[str, ...]:
        """Gazetteer ids of the stops; literal ``lat,lon`` stops have none."""
        return tuple(p.id for p in self.stops if p.id)

    @property
    def stop_names(self) -> tuple[str, ...]:
        return _names(self.stops)

    @property
    def precision(self) -> str:
        """How precisely the event's own place (its last stop) is known."""
        return self.stops[-1].precision


@lru_cache(maxsize=65536)
def _names(stops: tuple[Place, ...]) -> tuple[str, ...]:
    return tuple(p.name for p in stops)


def resolve(dataset: Dataset, gazetteer: Gazetteer | None = None) -> list[Event]:
    """Every row of a validated dataset as an ``Event``, in file order.

    Distinct ``places`` cells are resolved once; dates go through the cached date parser.
    """
    with collector_paused():
        return _resolve(dataset, gazetteer)


def _resolve(dataset: Dataset, gazetteer: Gazetteer | None) -> list[Event]:
    """Column by column: each distinct cell is parsed, split or resolved once, and the records
    are then made from the columns in one pass."""
    gazetteer = gazetteer or Gazetteer.from_rows(
        dataset.places.rows, dataset.outlines.areas() if dataset.outlines else None
    )

    def column(name: str, strip: bool = True):
        cells = dataset.events.column(name)
        return list(map(str.strip, cells)) if strip else cells

    def per_cell(cells: list[str], make) -> list:
        made = {cell: make(cell) for cell in dict.fromkeys(cells)}
        return list(map(made.__getitem__, cells))

    places = column("places", strip=False)
    stops = per_cell(places, lambda cell: tuple(map(gazetteer.resolve, split_stops(cell))))
    dates = per_cell(column("date"), PartialDate.parse)
    ends = per_cell(column("end_date"), lambda text: PartialDate.parse(text) if text else None)
    source_cells = column("sources", strip=False)
    sources = per_cell(source_cells, split_items)
    origins = _origins(dataset)
    counts: dict[frozenset, int] = {}  # the count depends on the set of sources alone

    def origin_count(cited: tuple[str, ...]) -> int:
        key = frozenset(cited)
        if key not in counts:
            counts[key] = independent_origins(cited, origins)
        return counts[key]

    ids = column("id")
    citations = _citations(dataset)
    journeys = _journeys(dataset, gazetteer)
    carriers = carriers_of(dataset.carriers)
    carrier_names = column("carrier")
    extra = [c for c in dataset.events.columns if c and c not in EVENT_COLUMNS]
    attributes = list(
        zip(*(zip(repeat(c), column(c)) for c in extra), strict=True)
    ) or [()] * len(ids)
    none = [()] * len(ids)
    columns = {
        "id": ids,
        "date": dates,
        "end_date": ends,
        "kind": column("kind"),
        "title": column("title"),
        "summary": column("summary"),
        "actors": per_cell(column("actors", strip=False), split_items),
        "stops": stops,
        "places_text": list(map(str.strip, places)),
        "carrier": carrier_names,
        "confidence": column("confidence"),
        "sources": sources,
        "evidence": column("evidence"),
        "line": dataset.events.lines,
        "attributes": attributes,
        "citations": [citations.get(eid, ()) for eid in ids] if citations else none,
        "origins": per_cell(sources, origin_count),
        "journey": [journeys.get(eid, ()) for eid in ids] if journeys else none,
        "carrier_info": per_cell(
            carrier_names, lambda name: carriers.get(fold(name)) if name else None),
    }
    return _events(columns)


def _events(columns: dict[str, list]) -> list[Event]:
    """The events whose fields are these columns, one value per event in each.

    Each slot is filled a column at a time, in C: the frozen dataclass's ``__init__`` sets every
    field through ``object.__setattr__``, which takes 1.6 times as long at 100,000 events.
    """
    count = len(columns["id"])
    if any(len(values) != count for values in columns.values()):
        raise ValueError("columns of different lengths")
    events = list(map(object.__new__, repeat(Event, count)))
    for field in fields(Event):
        deque(map(getattr(Event, field.name).__set__, events, columns[field.name]), maxlen=0)
    return events


def _origins(dataset: Dataset) -> dict[str, tuple[str, ...]]:
    """The ``rests_on`` graph of the sources."""
    return {
        row["id"].strip(): tuple(split_list(row.get("rests_on", "")))
        for row in dataset.sources.rows
    }


def _citations(dataset: Dataset) -> dict[str, tuple[Citation, ...]]:
    found: dict[str, list[Citation]] = {}
    for row in dataset.citations.rows if dataset.citations is not None else ():
        found.setdefault(row["event"].strip(), []).append(
            Citation(row["source"].strip(), row["quote"].strip(), row["locator"].strip(),
                     row["stance"].strip())
        )
    return {event: tuple(items) for event, items in found.items()}


def _journeys(dataset: Dataset, gazetteer: Gazetteer) -> dict[str, tuple[JourneyStop, ...]]:
    if dataset.stops is None:
        return {}
    found = {}
    for event, rows in journeys_of(dataset.stops).items():
        stops = []
        for _, _, row in rows:
            place = gazetteer.lookup(row["place"])
            stops.append(JourneyStop(
                place=place.name if place is not None else row["place"].strip(),
                arrived=_partial(row["arrived"]),
                departed=_partial(row["departed"]),
                leg=row["leg"].strip(),
                sources=tuple(split_list(row["sources"])),
            ))
        found[event] = tuple(stops)
    return found


def _partial(text: str) -> PartialDate | None:
    return PartialDate.parse(text.strip()) if text.strip() else None


def cited_sources(events: list[Event]) -> list[str]:
    """The ids of the sources the events cite, sorted."""
    return sorted({sid for event in events for sid in event.sources})
