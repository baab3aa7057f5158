"""Resolving a stop — a place id, name or alias, or a literal ``lat,lon`` — to a point.

Lookups ignore case and accents, so ``tachira``, ``TÁCHIRA`` and ``Táchira`` are one place.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from .errors import PlaceError
from .schema import split_list

_LAT_LON = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*,\s*([+-]?\d+(?:\.\d+)?)\s*$")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A lookup key: accents stripped, case folded, white space collapsed.

    >>> fold("  Refinería   CARDÓN ")
    'refineria cardon'
    """
    if text.isascii():  # nothing to decompose or strip, and casefold() is lower()
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved stop. ``id`` is empty for a literal coordinate pair. Slots, not a ``__dict__``:
    a large dataset's literal ``lat,lon`` stops make tens of thousands of places."""

    id: str
    name: str
    lon: float
    lat: float
    precision: str = "exact"
    kind: str = ""
    country: str = ""
    aliases: tuple[str, ...] = ()
    #: The area the place stands for (an ``areas.Area``), when the dataset draws one.
    outline: object = field(default=None, compare=False, repr=False)

    def search_keys(self) -> tuple[str, ...]:
        """The folded id, name and aliases a reader may look this place up by."""
        names = (self.id, self.name, *self.aliases) if self.id else ()
        return tuple(dict.fromkeys(fold(n) for n in names if fold(n)))


def parse_lat_lon(text: str) -> tuple[float, float] | None:
    """``'10.5,-66.9'`` -> ``(10.5, -66.9)`` (lat, lon as written); ``None`` if not that form."""
    match = _LAT_LON.match(text)
    if not match:
        return None
    return float(match.group(1)), float(match.group(2))


def coordinate_problem(lat: float, lon: float) -> str | None:
    """Why a coordinate pair cannot be right, or ``None``."""
    if not -90 <= lat <= 90:
        return f"latitude {lat:g} is outside -90..90"
    if not -180 <= lon <= 180:
        return f"longitude {lon:g} is outside -180..180"
    if lat == 0 and lon == 0:
        return "0,0 is not a real location (a missing value?)"
    return None


_UNSEEN = object()


class Gazetteer:
    """Places by id, name and alias; built from the rows of ``places.csv``."""

    def __init__(self, places: list[Place]):
        self.places = {p.id: p for p in places}
        self._found: dict[str, Place | None] = {}
        self._keys: dict[str, str] = {}
        for place in places:
            for name in (place.id, place.name, *place.aliases):
                self._keys.setdefault(fold(name), place.id)

    @classmethod
    def from_rows(cls, rows, outlines=None) -> Gazetteer:
        """Build from ``places.csv`` rows, skipping rows whose coordinates do not parse;
        ``outlines`` maps a place id to the area it stands for."""
        outlines = outlines or {}
        places = []
        for row in rows:
            try:
                lat, lon = float(row["lat"]), float(row["lon"])
            except (TypeError, ValueError):
                continue
            pid = row["id"].strip()
            places.append(
                Place(
                    id=pid,
                    name=row["name"].strip(),
                    lon=lon,
                    lat=lat,
                    precision=row.get("precision", "").strip() or "exact",
                    kind=row.get("kind", "").strip(),
                    country=row.get("country", "").strip(),
                    aliases=tuple(split_list(row.get("aliases", ""))),
                    outline=outlines.get(pid),
                )
            )
        return cls(places)

    def lookup(self, stop: str) -> Place | None:
        """The place a stop names, or ``None`` (each distinct text is looked up once: validation
        and resolution ask for the same stops, and large datasets repeat them)."""
        place = self._found.get(stop, _UNSEEN)
        if place is not _UNSEEN:
            return place
        place = None
        pid = self._keys.get(fold.__wrapped__(stop))  # once per stop: not worth a cache entry
        if pid is not None:
            place = self.places[pid]
        else:
            pair = parse_lat_lon(stop)
            if pair is not None and coordinate_problem(*pair) is None:
                lat, lon = pair
                place = Place(id="", name=f"{lat:g}, {lon:g}", lon=lon, lat=lat)
        self._found[stop] = place
        return place

    def suggest(self, stop: str, limit: int = 1) -> list[str]:
        """Place ids whose id, name or alias is closest to ``stop`` (rapidfuzz, in C: fast
        enough to suggest for every row of a large file)."""
        from rapidfuzz import fuzz, process

        if not hasattr(self, "_key_list"):
            self._key_list = list(self._keys)
        found = process.extract(
            fold(stop), self._key_list, scorer=fuzz.ratio, score_cutoff=60, limit=limit * 4
        )
        ids = []
        for key, _, _ in found:
            if self._keys[key] not in ids:
                ids.append(self._keys[key])
        return ids[:limit]

    def resolve(self, stop: str) -> Place:
        """The place a stop names, or a ``PlaceError`` with a suggestion."""
        place = self.lookup(stop)
        if place is None:
            raise PlaceError(unknown_place_message(stop, self.suggest(stop)))
        return place

    def search(self, query: str, limit: int = 10) -> list[Place]:
        """Places matching a query by substring or by spelling, best first."""
        key = fold(query)
        if not key:
            return sorted(self.places.values(), key=lambda p: p.id)
        scored: dict[str, float] = {}
        for name_key, pid in self._keys.items():
            if key in name_key:
                score = 2.0 + len(key) / len(name_key)
            else:
                score = difflib.SequenceMatcher(None, key, name_key).ratio()
                if score < 0.6:
                    continue
            scored[pid] = max(scored.get(pid, 0.0), score)
        best = sorted(scored, key=lambda pid: (-scored[pid], pid))
        return [self.places[pid] for pid in best[:limit]]


def unknown_place_message(stop: str, suggestions: list[str]) -> str:
    hint = f" (did you mean {suggestions[0]!r}?)" if suggestions else ""
    return f"unknown place {stop!r}{hint}"
