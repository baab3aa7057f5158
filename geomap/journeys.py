"""Journeys: a voyage's or flight's stops with their own dates, and the carriers that made them.

``stops.csv`` enriches an event's stops (the ``places`` column stays the route) with arrival and
departure dates, how the leg to each stop is known and the sources for it; ``carriers.csv``
names the ships and aircraft (``events.csv``'s ``carrier`` may give a carrier's id or name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .gazetteer import fold
from .schema import CARRIER_COLUMNS, LEG_KINDS, STOP_COLUMNS, PartialDate, split_list


@dataclass(frozen=True)
class JourneyStop:
    place: str
    arrived: PartialDate | None
    departed: PartialDate | None
    leg: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Carrier:
    id: str
    name: str
    type: str = ""
    imo: str = ""
    mmsi: str = ""
    icao24: str = ""
    registration: str = ""
    flag: str = ""
    operator: str = ""

    def describe(self) -> str:
        """``Fortune (tanker, flag IR, IMO 9…)`` with what is known.

        >>> Carrier("f", "Fortune", "tanker", flag="IR").describe()
        'Fortune (tanker, flag IR)'
        """
        details = [self.type] if self.type else []
        details += [f"{label} {value}" for label, value in (
            ("flag", self.flag), ("IMO", self.imo), ("MMSI", self.mmsi),
            ("ICAO24", self.icao24), ("registration", self.registration),
            ("operator", self.operator),
        ) if value]
        return f"{self.name} ({', '.join(details)})" if details else self.name


_IDS = {"imo": re.compile(r"^\d{7}$"), "mmsi": re.compile(r"^\d{9}$"),
        "icao24": re.compile(r"^[0-9a-fA-F]{6}$")}


def carriers_of(table) -> dict[str, Carrier]:
    """Carriers by folded id and folded name, for looking up ``events.csv``'s ``carrier``."""
    found: dict[str, Carrier] = {}
    for row in table.rows if table is not None else ():
        carrier = Carrier(**{c: row.get(c, "").strip() for c in CARRIER_COLUMNS})
        for key in (carrier.id, carrier.name):
            if key:
                found.setdefault(fold(key), carrier)
    return found


def _date(report, table, line, column, text):
    if not text.strip():
        return None
    try:
        return PartialDate.parse(text.strip())
    except ValueError as exc:
        report.error(table, line, column, str(exc))
        return None


def journeys_of(table) -> dict[str, list[tuple[int, int, dict]]]:
    """``stops.csv`` rows grouped by event, in sequence order, as (sequence, line, row)."""
    grouped: dict[str, list[tuple[int, int, dict]]] = {}
    for line, row in table.records():
        try:
            sequence = int(row["sequence"].strip())
        except ValueError:
            sequence = -1
        grouped.setdefault(row["event"].strip(), []).append((sequence, line, row))
    for rows in grouped.values():
        rows.sort(key=lambda item: item[0])
    return grouped


def check_stops(report, table, events: dict[str, tuple[int, tuple[str, ...]]], gazetteer,
                source_ids):
    """Stops name a known event and, in sequence, exactly its places; dates are in order."""
    from .provenance import _header

    if not _header(report, table, STOP_COLUMNS):
        return
    for event, rows in journeys_of(table).items():
        if event not in events:
            for _, line, _ in rows:
                report.error(table, line, "event", f"unknown event {event!r}")
            continue
        _, expected = events[event]
        sequences = [s for s, _, _ in rows]
        if sequences != list(range(1, len(rows) + 1)):
            report.error(table, rows[0][1], "sequence",
                         f"the stops of {event!r} must be numbered 1 to {len(rows)} "
                         f"(found {', '.join(str(s) if s >= 0 else '?' for s in sequences)})")
            continue
        places = []
        for _, _line, row in rows:
            place = gazetteer.lookup(row["place"]) if gazetteer is not None else None
            places.append(place.id if place is not None and place.id else row["place"].strip())
        if gazetteer is not None and tuple(places) != expected:
            report.error(
                table, rows[0][1], "place",
                f"the stops of {event!r} ({' > '.join(places)}) differ from its places in "
                f"events.csv ({' > '.join(expected)})",
            )
        previous = None
        for _, line, row in rows:
            arrived = _date(report, table, line, "arrived", row["arrived"])
            departed = _date(report, table, line, "departed", row["departed"])
            if arrived and departed and departed.last_day() < arrived.first_day():
                report.error(table, line, "departed",
                             f"{departed.iso()!r} is before the arrival {arrived.iso()!r}")
            first = arrived or departed
            if previous and first and first.last_day() < previous.first_day():
                report.error(table, line, "arrived",
                             f"{first.iso()!r} is before the previous stop's "
                             f"{previous.iso()!r}; stops go in travel order")
            previous = departed or arrived or previous
            leg = row["leg"].strip()
            if leg and leg not in LEG_KINDS:
                report.error(table, line, "leg",
                             f"leg {leg!r} is not one of {', '.join(LEG_KINDS)}")
            for sid in split_list(row["sources"]):
                if source_ids is not None and sid not in source_ids:
                    report.error(table, line, "sources", f"unknown source {sid!r}")


def check_carriers(report, table):
    from .provenance import _header

    if not _header(report, table, CARRIER_COLUMNS):
        return
    from .validate import check_slug_id

    seen: dict[str, int] = {}
    for line, row in table.records():
        check_slug_id(report, table, line, row["id"].strip(), seen)
        if not row["name"].strip():
            report.error(table, line, "name", "empty; a value is required")
        for column, pattern in _IDS.items():
            value = row[column].strip()
            if value and not pattern.match(value):
                report.error(table, line, column, f"{value!r} is not a valid {column.upper()}")
