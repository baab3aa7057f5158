"""Selecting events by year, date range, actor, kind, confidence and place.

One model for ``render``, ``export`` and ``stats`` (and mirrored by the map's own filter panel):
options combine with AND, the values of one repeated option with OR. Dates are intervals at their
own precision, so an event dated ``2020-05`` overlaps ``--since 2020-05-20``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .errors import FilterError, PlaceError
from .gazetteer import fold
from .schema import CONFIDENCE_LEVELS, EVENT_KINDS, PartialDate

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

    @classmethod
    def from_options(
        cls, *, years=(), since=None, until=None, actors=(), kinds=(), confidence=None, places=()
    ) -> Criteria:
        """Build from command-line strings, raising ``FilterError`` for anything not understood."""
        for kind in kinds:
            if kind not in EVENT_KINDS:
                raise FilterError(
                    f"kind {kind!r} is not one of {', '.join(EVENT_KINDS)}", column="--kind"
                )
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
        return ", ".join(words) or "no criteria"


def _overlaps(start: date, end: date, lo: date | None, hi: date | None) -> bool:
    return (lo is None or end >= lo) and (hi is None or start <= hi)


def matches(event: dict, criteria: Criteria, place_ids: set[str] | None = None) -> bool:
    """Whether one assembled event (``start``/``end`` ISO days, ``actors``, ``kind``, …) is kept.

    ``place_ids`` are the ids the ``--place`` values resolved to.
    """
    start, end = date.fromisoformat(event["start"]), date.fromisoformat(event["end"])
    if criteria.years and not any(
        _overlaps(start, end, date(a, 1, 1), date(b, 12, 31)) for a, b in criteria.years
    ):
        return False
    if not _overlaps(start, end, criteria.since, criteria.until):
        return False
    if criteria.kinds and event["kind"] not in criteria.kinds:
        return False
    if criteria.min_confidence and CONFIDENCE_LEVELS.index(
        event["confidence"]
    ) < CONFIDENCE_LEVELS.index(criteria.min_confidence):
        return False
    if criteria.actors:
        wanted = {fold(a) for a in criteria.actors}
        if not wanted & {fold(a) for a in event["actors"].split(";") if a.strip()}:
            return False
    return not (place_ids is not None and not place_ids & set(event["place_ids"].split(";")))


def select(events, criteria: Criteria, gazetteer):
    """The rows of an events GeoDataFrame that meet the criteria, in their original order.

    ``gazetteer`` resolves ``--place`` values (ids, names, aliases or ``lat,lon``).
    """
    if criteria.is_empty():
        return events
    place_ids = None
    if criteria.places:
        place_ids = set()
        for place in criteria.places:
            try:
                place_ids.add(gazetteer.resolve(place).id)
            except PlaceError as exc:
                raise FilterError(exc.message, column="--place") from None
    keep = [
        matches(row, criteria, place_ids)
        for row in events[["start", "end", "kind", "confidence", "actors", "place_ids"]].to_dict(
            "records"
        )
    ]
    return events[keep]
