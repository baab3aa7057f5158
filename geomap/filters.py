"""Selecting events by time, actor, kind, confidence, place, area and attribute.

One model for ``render``, ``export`` and ``stats`` (and mirrored by the map's own filter panel):
options combine with AND, the values of one repeated option with OR. Dates are intervals at their
own precision, so an event dated ``2020-05`` overlaps ``--since 2020-05-20``. Spatial criteria
(``--near``, ``--bbox``, ``--within``) keep an event when any of its stops qualifies.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from .areas import haversine_km
from .errors import FilterError, PlaceError
from .gazetteer import fold
from .records import Event
from .schema import CONFIDENCE_LEVELS, PartialDate
from .vocabulary import DEFAULT, Vocabulary, confidence_rank

_YEARS = re.compile(r"^\s*(\d{4})\s*(?:(?:-|–|\.\.)\s*(\d{4}))?\s*$")


def parse_years(text: str) -> tuple[int, int]:
    """``'2020'`` -> ``(2020, 2020)``; ``'2020-2021'`` -> ``(2020, 2021)``."""
    match = _YEARS.match(text)
    if not match:
        raise FilterError(f"year {text!r} is not YYYY or YYYY-YYYY", column="--year")
    first = int(match.group(1))
    last = int(match.group(2) or first)
    if first < 1:
        raise FilterError(f"year {text!r} is before year 1", column="--year")
    if last < first:
        raise FilterError(f"year range {text!r} ends before it starts", column="--year")
    return first, last


def parse_bound(text: str, option: str) -> PartialDate:
    try:
        return PartialDate.parse(text)
    except ValueError as exc:
        raise FilterError(str(exc), column=option) from None


def _numbers(text: str, count: int, option: str, form: str) -> tuple[float, ...]:
    parts = [p.strip() for p in text.split(",")]
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise FilterError(f"{text!r} is not {form}", column=option)
    return values


def parse_near(text: str) -> tuple[float, float, float]:
    """``'10.5,-66.9,50'`` -> ``(10.5, -66.9, 50.0)``: latitude, longitude, kilometres."""
    lat, lon, km = _numbers(text, 3, "--near", "LAT,LON,KM")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or km < 0:
        raise FilterError(f"{text!r}: latitude, longitude or distance out of range",
                          column="--near")
    return lat, lon, km


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``'W,S,E,N'`` in degrees; a box with W > E crosses the antimeridian."""
    west, south, east, north = _numbers(text, 4, "--bbox", "WEST,SOUTH,EAST,NORTH")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise FilterError(f"{text!r}: out of range, or south is above north", column="--bbox")
    return west, south, east, north


def parse_origins(value) -> int:
    """A minimum number of independent origins: a whole number from 1."""
    try:
        number = int(str(value).strip())
    except ValueError:
        number = 0
    if number < 1:
        raise FilterError(f"{value!r} is not a whole number of 1 or more", column="--origins")
    return number


def parse_where(text: str) -> tuple[str, str]:
    """``'province=Donetsk'`` -> ``('province', 'Donetsk')``."""
    column, sep, value = text.partition("=")
    if not sep or not column.strip():
        raise FilterError(f"{text!r} is not COLUMN=VALUE", column="--where")
    return column.strip(), value.strip()


@dataclass(frozen=True)
class Criteria:
    """What to keep. Empty fields keep everything."""

    years: tuple[tuple[int, int], ...] = ()
    since: date | None = None
    until: date | None = None
    actors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    min_confidence: str | None = None
    places: tuple[str, ...] = field(default=())
    near: tuple[float, float, float] | None = None
    bbox: tuple[float, float, float, float] | None = None
    within: tuple[str, ...] = ()
    where: tuple[tuple[str, str], ...] = ()
    min_origins: int | None = None

    @classmethod
    def from_options(
        cls, *, years=(), since=None, until=None, actors=(), kinds=(), confidence=None, places=(),
        near=None, bbox=None, within=(), where=(), origins=None,
    ) -> Criteria:
        """Build from command-line strings, raising ``FilterError`` for anything not understood.

        Kinds are checked against the dataset's vocabulary when events are selected.
        """
        if confidence is not None and confidence not in CONFIDENCE_LEVELS:
            raise FilterError(
                f"confidence {confidence!r} is not one of {', '.join(CONFIDENCE_LEVELS)}",
                column="--confidence",
            )
        start = parse_bound(since, "--since").first_day() if since else None
        end = parse_bound(until, "--until").last_day() if until else None
        if start and end and end < start:
            raise FilterError(f"--until {until!r} is before --since {since!r}", column="--until")
        return cls(
            years=tuple(parse_years(y) for y in years),
            since=start,
            until=end,
            actors=tuple(actors),
            kinds=tuple(kinds),
            min_confidence=confidence,
            places=tuple(places),
            near=parse_near(near) if near else None,
            bbox=parse_bbox(bbox) if bbox else None,
            within=tuple(within),
            where=tuple(parse_where(w) for w in where),
            min_origins=parse_origins(origins) if origins is not None else None,
        )

    def is_empty(self) -> bool:
        return self == Criteria()

    def describe(self) -> str:
        """The criteria in words, for messages such as 'no event matches …'."""
        words = []
        if self.years:
            spans = (f"{a}" if a == b else f"{a}-{b}" for a, b in self.years)
            words.append("year " + " or ".join(spans))
        if self.since:
            words.append(f"since {self.since.isoformat()}")
        if self.until:
            words.append(f"until {self.until.isoformat()}")
        if self.actors:
            words.append("actor " + " or ".join(self.actors))
        if self.kinds:
            words.append("kind " + " or ".join(self.kinds))
        if self.min_confidence:
            words.append(f"confidence {self.min_confidence} or higher")
        if self.places:
            words.append("place " + " or ".join(self.places))
        if self.near:
            words.append("within {2:g} km of {0:g},{1:g}".format(*self.near))
        if self.bbox:
            words.append("in the box {:g},{:g},{:g},{:g}".format(*self.bbox))
        if self.within:
            words.append("within " + " or ".join(self.within))
        words.extend(f"{column}={value}" for column, value in self.where)
        if self.min_origins:
            words.append(f"at least {self.min_origins} independent origin"
                         + "s" * (self.min_origins != 1))
        return ", ".join(words) or "no criteria"


def in_bbox(lon: float, lat: float, bbox: tuple[float, float, float, float]) -> bool:
    west, south, east, north = bbox
    inside_lon = west <= lon <= east if west <= east else (lon >= west or lon <= east)
    return inside_lon and south <= lat <= north


@dataclass(frozen=True)
class Resolved:
    """Criteria with their names looked up in one dataset: place ids and coordinates,
    areas, and attribute values as folded keys."""

    criteria: Criteria
    place_ids: frozenset[str] | None = None
    coordinates: frozenset[tuple[float, float]] = frozenset()
    areas: tuple = ()
    actor_keys: frozenset[str] = frozenset()
    where: tuple[tuple[str, frozenset[str]], ...] = ()


def _overlaps(start: date, end: date, lo: date | None, hi: date | None) -> bool:
    return (lo is None or end >= lo) and (hi is None or start <= hi)


def matches(event: Event, criteria: Criteria | Resolved, place_ids: set[str] | None = None) -> bool:
    """Whether one event is kept.

    ``criteria`` is best ``Resolved`` (see ``resolve_criteria``); plain ``Criteria`` with the ids
    the ``--place`` values resolved to as ``place_ids`` serve the non-spatial criteria.
    """
    if isinstance(criteria, Resolved):
        resolved = criteria
    else:
        resolved = Resolved(
            criteria,
            place_ids=None if place_ids is None else frozenset(place_ids),
            actor_keys=frozenset(fold(a) for a in criteria.actors),
        )
    c = resolved.criteria
    start, end = event.start, event.end
    if c.years and not any(
        _overlaps(start, end, date(a, 1, 1), date(b, 12, 31)) for a, b in c.years
    ):
        return False
    if not _overlaps(start, end, c.since, c.until):
        return False
    if c.kinds and event.kind not in c.kinds:
        return False
    if c.min_confidence and confidence_rank(event.confidence) < confidence_rank(c.min_confidence):
        return False
    if resolved.actor_keys and resolved.actor_keys.isdisjoint(fold(a) for a in event.actors):
        return False
    if resolved.place_ids is not None and resolved.place_ids.isdisjoint(event.place_ids) and not (
        resolved.coordinates and any(
            (round(p.lat, 6), round(p.lon, 6)) in resolved.coordinates for p in event.stops
        )
    ):
        return False
    if c.near and not any(
        haversine_km(c.near[0], c.near[1], p.lat, p.lon) <= c.near[2] for p in event.stops
    ):
        return False
    if c.bbox and not any(in_bbox(p.lon, p.lat, c.bbox) for p in event.stops):
        return False
    if resolved.areas and not any(
        area.contains(p.lon, p.lat) for area in resolved.areas for p in event.stops
    ):
        return False
    if c.min_origins and event.origins < c.min_origins:
        return False
    if resolved.where:
        attributes = dict(event.attributes)
        for column, wanted in resolved.where:
            if fold(attributes.get(column, "")) not in wanted:
                return False
    return True


def _hint(value: str, known) -> str:
    import difflib

    folded = {fold(k): k for k in known}
    close = difflib.get_close_matches(fold(value), list(folded), n=1)
    return f" (did you mean {folded[close[0]]!r}?)" if close else ""


def resolve_criteria(
    criteria: Criteria, gazetteer, vocabulary: Vocabulary = DEFAULT, attributes=()
) -> Resolved:
    """Look the criteria's names up in one dataset; ``FilterError`` names what is unknown.

    ``attributes`` are the dataset's own column names (``--where`` accepts only those).
    """
    for kind in criteria.kinds:
        if kind not in vocabulary.ids:
            raise FilterError(
                f"kind {kind!r} is not one of {', '.join(vocabulary.ids)}"
                + _hint(kind, vocabulary.ids),
                column="--kind",
            )
    place_ids = coordinates = None
    if criteria.places:
        place_ids, coordinates = set(), set()
        for value in criteria.places:
            try:
                place = gazetteer.resolve(value)
            except PlaceError as exc:
                raise FilterError(exc.message, column="--place") from None
            if place.id:
                place_ids.add(place.id)
            else:
                coordinates.add((round(place.lat, 6), round(place.lon, 6)))
    areas = tuple(_area_of(name, gazetteer) for name in criteria.within)
    where = []
    for column, value in criteria.where:
        if column not in attributes:
            known = ", ".join(attributes) or "none"
            raise FilterError(
                f"no column {column!r} to filter on (the dataset's own columns: {known})"
                + _hint(column, attributes),
                column="--where",
            )
        where.append((column, fold(value)))
    grouped: dict[str, set[str]] = {}
    for column, key in where:
        grouped.setdefault(column, set()).add(key)
    return Resolved(
        criteria,
        place_ids=None if place_ids is None else frozenset(place_ids),
        coordinates=frozenset(coordinates or ()),
        areas=areas,
        actor_keys=frozenset(fold(a) for a in criteria.actors),
        where=tuple((c, frozenset(keys)) for c, keys in grouped.items()),
    )


def _area_of(name: str, gazetteer):
    """A country of the shipped outlines, by name or code, or the area a place stands for (its
    own outline, or its country's)."""
    from .areas import country, country_names, outline_of

    area = country(name)
    place = gazetteer.lookup(name) if area is None else None
    if place is not None:
        area = outline_of(place)
    if area is None:
        raise FilterError(
            f"no outline for {name!r}: --within takes a country name or ISO code, or a place"
            " with an outline"
            + _hint(name, country_names()),
            column="--within",
        )
    return area


def select(
    events: list[Event], criteria: Criteria, gazetteer, vocabulary: Vocabulary = DEFAULT,
    attributes=(),
) -> list[Event]:
    """The events that meet the criteria, in their original order.

    ``gazetteer`` resolves ``--place`` values (ids, names, aliases or ``lat,lon``).
    """
    if criteria.is_empty():
        return list(events)
    resolved = resolve_criteria(criteria, gazetteer, vocabulary, attributes)
    return [event for event in events if matches(event, resolved)]
