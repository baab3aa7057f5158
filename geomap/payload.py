"""The document a map page draws: the map's whole meaning, computed once, in Python.

Styles per kind and confidence, date labels, and the folded search keys of every name travel in
the payload; the page script (``static/js``) only decodes, filters and draws what it is given, so
the command line and the page cannot disagree about what a name or a style means.

Events are columns; names (actors and stops), places, sources and geometries are stored once in
tables and referred to by position, so a large dataset's page stays close to its CSV's size.
All text is cleaned with ``safety.clean_text``; nothing here is HTML.
"""

from __future__ import annotations

import itertools
from collections import Counter

from .areas import areas_containing
from .assemble import Assembly, Shape
from .gazetteer import fold
from .packing import Geometries
from .records import Event
from .routes import MERCATOR_MAX_LAT, clip_polar, join_antimeridian
from .safety import clean_text, safe_url
from .schema import (
    CONFIDENCE_LEVELS,
    CONFIDENCE_MEANING,
    PLACE_PRECISIONS,
    PartialDate,
    date_span_label,
)
from .vocabulary import DEFAULT_KINDS, UNASSESSED, UNASSESSED_MEANING, Kind
from .words import plural

#: Version of the payload's layout; the page script refuses a document it does not know.
VERSION = 3

#: The default kinds' colour and mark (datasets may declare their own in ``kinds.csv``).
KIND_STYLES = {k.id: {"color": k.colour, "mark": k.mark} for k in DEFAULT_KINDS}
KIND_COLORS = {kind: style["color"] for kind, style in KIND_STYLES.items()}

#: How each confidence level is drawn: line dashes, point outline dashes, point fill opacity.
CONFIDENCE_STYLES = {
    "confirmed": {"dash": None, "point_dash": None, "fill": 0.9},
    "reported": {"dash": "8 6", "point_dash": "3 3", "fill": 0.55},
    "alleged": {"dash": "2 6", "point_dash": "3 3", "fill": 0.15},
    UNASSESSED: {"dash": "1 5", "point_dash": "1 3", "fill": 0.0},
}

EVENT_COLUMNS = (
    "id", "kind", "title", "date", "end_date", "date_label", "start", "end", "summary",
    "carrier", "evidence", "confidence", "precision", "actors", "stops", "places", "sources",
    "geom", "travel", "attributes", "origins", "quotes", "carrier_info", "journey", "passages",
    "coords", "areas", "attribute_keys",
)


def _text(value) -> str:
    return clean_text(str(value)) if value is not None else ""


class _Table:
    """Distinct values in first-seen order, so repeated strings and geometries ship once."""

    def __init__(self):
        self.index: dict = {}
        self.values: list = []

    def add(self, key, value=None) -> int:
        if key not in self.index:
            self.index[key] = len(self.values)
            self.values.append(key if value is None else value())
        return self.index[key]


def _round_lons(values):
    """``round(value, 5)`` of each value of an array, as Python rounds it (the double nearest
    the decimal rounded half to even): ``rint(value * 1e5) / 1e5``, which is that double unless
    the product rounded across a tie, so Python's ``round`` decides within 1e-6 of one."""
    import numpy as np

    scaled = values * 1e5
    out = np.rint(scaled) / 1e5
    near = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    out[near] = [round(value, 5) for value in values[near].tolist()]
    return out


def _joined(parts: list) -> list:
    """A line's parts (arrays of ``(lon, lat)``) cut at Web Mercator's edge near the poles (a
    line wholly beyond it is kept as it is) and joined across the antimeridian (the map wraps
    the world): ``routes.clip_polar`` and ``routes.join_antimeridian``, in arrays when no part
    needs cutting (none reaches beyond the edge or is shorter than two points)."""
    import numpy as np

    if any(len(part) < 2 or (np.abs(part[:, 1]) > MERCATOR_MAX_LAT).any() for part in parts):
        tuples = [list(map(tuple, part.tolist())) for part in parts]
        lines = join_antimeridian(clip_polar(tuples) or tuples)
        return [np.array(line, dtype=np.float64).reshape(-1, 2) for line in lines]
    joined: list[list] = []
    shift = 0.0
    last_lon = last_lat = 0.0
    for part in parts:  # as join_antimeridian, with the last point kept as plain floats
        lon, lat = part[0].tolist()
        if joined and abs(last_lon - shift) == 180.0 and abs(lon) == 180.0 and (
            last_lon - shift == -lon
        ) and last_lat == lat:
            shift += 360.0 if lon < 0 else -360.0
            piece = part[1:].copy()
            piece[:, 0] += shift
            joined[-1].append(piece)
        else:
            shift = 0.0
            piece = part
            joined.append([piece])
        last_lon, last_lat = piece[-1].tolist()
    return [np.concatenate(pieces) for pieces in joined]


def geometries(shapes: list[Shape]) -> Geometries:
    """The shapes as one ``packing.Geometries`` table: a point as it is; a line of one part
    within Web Mercator's latitudes as routed; any other line through ``_joined``, its
    longitudes rounded to 5 decimals.

    Every coordinate goes into flat arrays once, with no list per point: a part that is an
    ``(n, 2)`` array (as routes are) is copied whole.
    """
    import numpy as np

    n = len(shapes)
    types = np.fromiter((s[0] == "L" for s in shapes), dtype=np.uint8, count=n)
    raw = [part for s in shapes for part in (((s[1],),) if s[0] == "P" else s[1:])]
    parts = np.fromiter((len(s) - 1 if s[0] == "L" else 1 for s in shapes), np.int64, n)
    counts = np.fromiter(map(len, raw), dtype=np.int64, count=len(raw))
    point_starts = np.concatenate([[0], np.cumsum(counts)])
    coords = np.empty((int(point_starts[-1]), 2), dtype=np.float64)
    of_points = np.repeat(types == 0, parts)  # each part: is it a point's?
    coords[point_starts[:-1][of_points]] = np.fromiter(
        itertools.chain.from_iterable(s[1] for s in shapes if s[0] == "P"), dtype=np.float64,
        count=2 * (n - int(np.count_nonzero(types))),
    ).reshape(-1, 2)
    lines = [raw[k] for k in np.flatnonzero(~of_points & (counts > 0)).tolist()]
    if lines:
        coords[~np.repeat(of_points, counts)] = np.concatenate(
            [np.asarray(part, dtype=np.float64).reshape(-1, 2) for part in lines])
    part_starts = np.concatenate([[0], np.cumsum(parts)])
    # a line is drawn as routed when it is one part, not empty, within Mercator's latitudes
    as_routed = types == 0
    if len(raw):
        beyond = (coords[:, 1] > MERCATOR_MAX_LAT) | (coords[:, 1] < -MERCATOR_MAX_LAT)
        far = np.concatenate([[0], np.cumsum(beyond, dtype=np.int32)])
        del beyond
        first = np.where(parts == 1, part_starts[:-1], 0)
        as_routed = (types == 0) | ((parts == 1) & (counts[first] > 0) & (
            far[point_starts[first + 1]] == far[point_starts[first]]))
    redo = np.flatnonzero(~as_routed)
    if not redo.size:
        return Geometries(types, parts, counts, coords)
    new_counts, new_coords, rounded = [], [], []
    done = 0
    for g in redo.tolist():
        points = point_starts[part_starts[done]], point_starts[part_starts[g]]
        new_counts.append(counts[part_starts[done]:part_starts[g]])
        new_coords.append(coords[points[0]:points[1]])
        rounded.append(np.zeros(points[1] - points[0], dtype=bool))
        own = part_starts[g], part_starts[g + 1]
        lines = _joined([coords[point_starts[p]:point_starts[p + 1]] for p in range(*own)])
        parts[g] = len(lines)
        new_counts.append(np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)))
        new_coords.extend(lines)
        rounded.append(np.ones(sum(map(len, lines)), dtype=bool))
        done = g + 1
    new_counts.append(counts[part_starts[done]:])
    new_coords.append(coords[point_starts[part_starts[done]]:])
    rounded.append(np.zeros(len(coords) - point_starts[part_starts[done]], dtype=bool))
    coords = np.concatenate([c.reshape(-1, 2) for c in new_coords])
    rounded = np.concatenate(rounded)
    coords[rounded, 0] = _round_lons(coords[rounded, 0])
    return Geometries(types, parts, np.concatenate(new_counts), coords)


def _geom(shape: Shape) -> dict:
    """One shape as the page draws it (see ``geometries``)."""
    return geometries([shape])[0]


def _published(text: str) -> str:
    try:
        return PartialDate.parse(text).label() if text else ""
    except ValueError:
        return _text(text)


def _sources(assembly: Assembly, cited: list[str]) -> list[dict]:
    """The cited sources, in ``cited`` order (events refer to them by that position)."""
    out = []
    for sid in cited:
        row = assembly.source_rows[sid]
        out.append({
            "id": _text(sid),
            "title": _text(row.get("title", "")),
            "outlet": _text(row.get("outlet", "")),
            "author": _text(row.get("author", "")),
            "published": _published(row.get("published", "")),
            "url": safe_url(row.get("url", "")),
            "verified": _text(row.get("verified", "")),
        })
    return out


def _carrier(carrier) -> dict:
    return {"id": _text(carrier.id), "name": _text(carrier.name),
            "description": _text(carrier.describe())}


def _journey_stop(stop, source_index: dict[str, int]) -> list:
    """``[place, arrived, departed, leg, [source positions]]`` with dates as labels."""
    return [
        _text(stop.place),
        stop.arrived.label() if stop.arrived else "",
        stop.departed.label() if stop.departed else "",
        stop.leg,
        [source_index[s] for s in stop.sources if s in source_index],
    ]


def _span(dates: list[tuple[PartialDate, PartialDate | None]]) -> str:
    """The label of the time from the first ``(date, end_date)`` to the last."""
    first = min({date for date, _ in dates}, key=PartialDate.iso)
    last = max({end or date for date, end in dates}, key=PartialDate.iso)
    return first.label() if first == last else f"{first.label()} – {last.label()}"


def _kind(kind: Kind, count: int) -> dict:
    return {"id": kind.id, "label": _text(kind.label), "color": kind.colour, "mark": kind.mark,
            "count": count}


def known_areas(gazetteer=None) -> list:
    """The areas ``--within`` can name: every shipped country, then (with ``gazetteer``) each
    place that has its own outline (``outlines.geojson``), in place-id order."""
    from .areas import countries

    own = sorted((p for p in (gazetteer.places.values() if gazetteer is not None else ())
                  if p.outline is not None), key=lambda p: p.id)
    return [*countries(), *(p.outline for p in own)]


def area_table(gazetteer=None, areas=None) -> list[dict]:
    """Every area of ``known_areas`` with the folded names ``--within`` accepts for it.

    The keys are what ``filters._area_of`` resolves: an outline's name or ISO code first, then
    (with ``gazetteer``) the names of the dataset's places that stand for an area (a country,
    or a place with its own outline). Each key names one area.
    """
    from .areas import country_keys, outline_of

    areas = areas if areas is not None else known_areas(gazetteer)
    position = {id(area): n for n, area in enumerate(areas)}
    owner = {key: position[id(area)] for key, area in country_keys().items()}
    places = gazetteer.places.values() if gazetteer is not None else ()
    for place in places:
        for name in (place.id, place.name, *place.aliases):
            key = fold(name)
            if not key or key in owner:
                continue
            area = outline_of(gazetteer.lookup(name))
            if area is not None and id(area) in position:
                owner[key] = position[id(area)]
    keys: list[list[str]] = [[] for _ in areas]
    for key, n in owner.items():
        keys[n].append(key)
    names = {id(p.outline): p.name for p in places if p.outline is not None}
    return [{"name": _text(names.get(id(area), area.name)), "code": _text(area.code),
             "keys": keys[n]} for n, area in enumerate(areas)]


def areas_at(lon: float, lat: float, areas=None) -> list[int]:
    """Positions (in ``area_table``) of every area of ``areas`` (by default the shipped
    countries) containing the point."""
    from .areas import countries

    return areas_containing([(lon, lat)], areas or countries())[0]


def _clean_all(values: list[str]) -> list[str]:
    """``clean_text`` of every value, in one scan of the column when none needs cleaning."""
    joined = "".join(values)
    if (joined.isascii() and joined.isprintable()) or len(clean_text(joined)) == len(joined):
        return values
    return [clean_text(value) for value in values]


def map_payload(assembly: Assembly, title: str, map_name: str, gazetteer=None) -> dict:
    """Everything the page's script needs, as JSON-ready values (all text cleaned), but for
    ``geoms``: a ``packing.Geometries`` table, the sequence of geometry dicts it stands for.

    Columns are built whole, and whatever repeats (dates, stop lists, names, sources) is worked
    out once per distinct value. ``gazetteer`` adds its country-kind places' names to what the
    panel's "within" accepts; by default ``assembly.gazetteer``.
    """
    from .bulk import collector_paused

    if gazetteer is None:
        gazetteer = getattr(assembly, "gazetteer", None)
    with collector_paused():
        return _payload(assembly, title, map_name, gazetteer)


def _payload(assembly: Assembly, title: str, map_name: str, gazetteer) -> dict:
    events = assembly.records
    n_events = len(events)
    kinds_of = [event.kind for event in events]
    present = set(kinds_of)
    kinds = [k for k in assembly.vocabulary.ids if k in present]
    confidences = [event.confidence for event in events]
    levels = list(CONFIDENCE_LEVELS)
    if not all(confidences):
        levels.insert(0, UNASSESSED)
    level_index = {level: n for n, level in enumerate(levels)}
    level_index[""] = 0
    kind_index = {k: n for n, k in enumerate(kinds)}
    counts = Counter(kinds_of)
    sources_of = [event.sources for event in events]
    cited = sorted({
        *(s for sources in set(sources_of) for s in sources),
        *(s for e in events for stop in e.journey for s in stop.sources
          if s in assembly.source_rows),
    })
    source_index = {sid: n for n, sid in enumerate(cited)}
    names, places, carriers = _Table(), _Table(), _Table()
    add_name = names.add
    place_rows: list[dict] = []
    areas = known_areas(gazetteer)
    # one stop list per distinct cell: its tuple, by identity (resolve shares them)
    stop_lists = {id(event.stops): event.stops for event in events}
    points = list({(p.lon, p.lat): None for stops in stop_lists.values() for p in stops})
    areas_memo = dict(zip(points, areas_containing(points, areas), strict=True))

    name_memo: dict[tuple[str, ...], list[int]] = {}
    name_ref: dict[str, int] = {}  # each distinct name as written, cleaned and numbered once

    def ref_of(item: str) -> int:
        ref = name_ref[item] = add_name(clean_text(item))
        return ref

    def name_refs(items: tuple[str, ...]) -> list[int]:
        refs = name_memo[items] = [
            name_ref[item] if item in name_ref else ref_of(item) for item in items
        ]
        return refs

    def place_refs(stops) -> list[int]:
        refs = []
        for place in stops:
            if not place.id:
                continue
            if place.id not in places.index:
                place_rows.append({
                    "id": _text(place.id),
                    "name": _text(place.name),
                    "keys": [_text(k) for k in place.search_keys()],
                    "kind": _text(place.kind),
                    "country": _text(place.country),
                    **({"outline": place.outline.geojson()} if place.outline else {}),
                })
            refs.append(places.add(place.id))
        return refs

    def within(stops) -> list[int]:
        if len(stops) == 1:  # areas_containing lists a point's areas in order
            return list(areas_memo[stops[0].lon, stops[0].lat])
        inside: set[int] = set()
        for p in stops:
            inside.update(areas_memo[p.lon, p.lat])
        return sorted(inside)

    # the tables (names, places, geometries) number their entries in the order events first
    # use them, actors before stops, an event's own geometry before its travel
    by_stops: dict[int, tuple] = {}  # by the identity of a stops tuple (resolve shares them)
    actors, stop_facts, geom_col, travel_col = [], [], [], []
    shapes: list[Shape] = []
    geom_index: dict[str, int] = {}  # shape keys, numbered as their shapes join ``shapes``
    for event, shape_key, shape, travel_key, travel in zip(
        events, assembly.shape_keys, assembly.shapes, assembly.travel_keys, assembly.travels,
        strict=True,
    ):
        refs = name_memo.get(event.actors)
        actors.append(name_refs(event.actors) if refs is None else refs)
        stops = event.stops
        known = by_stops.get(id(stops))
        if known is None:
            names_of = tuple(p.name for p in stops)
            refs = name_memo.get(names_of)
            known = by_stops[id(stops)] = (
                name_refs(names_of) if refs is None else refs, place_refs(stops),
                [[p.lat, p.lon] for p in stops], within(stops),
                PLACE_PRECISIONS.index(stops[-1].precision),
            )
        stop_facts.append(known)
        if shape_key not in geom_index:
            geom_index[shape_key] = len(shapes)
            shapes.append(shape)
        geom_col.append(geom_index[shape_key])
        if travel is None:
            travel_col.append(None)
            continue
        if travel_key not in geom_index:
            geom_index[travel_key] = len(shapes)
            shapes.append(travel)
        travel_col.append(geom_index[travel_key])
    # dates by the identity of their parsed values (the parser shares them), worked out once
    date_keys = [(id(event.date), id(event.end_date)) for event in events]
    dates = {key: (e.date, e.end_date) for key, e in zip(date_keys, events, strict=True)}
    date_facts = {
        key: (start.iso(), end.iso() if end else "", date_span_label(start, end),
              start.first_day().isoformat(), (end or start).last_day().isoformat())
        for key, (start, end) in dates.items()
    }
    date_rows = [date_facts[key] for key in date_keys]
    source_refs = {sources: [source_index[s] for s in sources] for sources in set(sources_of)}
    passage_names = {names: [_text(name) for name in names] for names in set(assembly.passages)}
    attribute_keys = _Table()  # folded as --where folds them, each distinct key once
    none: list = []  # rows with nothing to list share one empty list, as they share quotes
    unquoted = {n: [None] * n for n in {len(sources) for sources in sources_of}}
    columns: dict[str, list] = {
        "id": _clean_all([event.id for event in events]),
        "kind": [kind_index[kind] for kind in kinds_of],
        "title": _clean_all([event.title for event in events]),
        "date": [row[0] for row in date_rows],
        "end_date": [row[1] for row in date_rows],
        "date_label": [row[2] for row in date_rows],
        "start": [row[3] for row in date_rows],
        "end": [row[4] for row in date_rows],
        "summary": _clean_all([event.summary for event in events]),
        "carrier": _clean_all([event.carrier for event in events]),
        "evidence": _clean_all([event.evidence for event in events]),
        "confidence": [level_index[level] for level in confidences],
        "precision": [facts[4] for facts in stop_facts],
        "actors": actors,
        "stops": [facts[0] for facts in stop_facts],
        "places": [facts[1] for facts in stop_facts],
        "sources": [source_refs[sources] for sources in sources_of],
        "geom": geom_col,
        "travel": travel_col,
        "attributes": [
            [_text(value) for _, value in event.attributes] if event.attributes else none
            for event in events
        ],
        "origins": [event.origins for event in events],
        "quotes": [
            _quotes(event) if event.citations else unquoted[len(event.sources)]
            for event in events
        ],
        "carrier_info": [
            None if event.carrier_info is None
            else carriers.add(event.carrier_info.id, lambda i=event.carrier_info: _carrier(i))
            for event in events
        ],
        "journey": [
            [_journey_stop(stop, source_index) for stop in event.journey] if event.journey
            else None
            for event in events
        ],
        "passages": [passage_names[names] for names in assembly.passages],
        "coords": [facts[2] for facts in stop_facts],
        "areas": [facts[3] for facts in stop_facts],
        "attribute_keys": [
            [attribute_keys.add(fold(value)) for _, value in event.attributes]
            if event.attributes else none
            for event in events
        ],
    }
    n_sources = len(cited)
    return {
        "version": VERSION,
        "map": map_name,
        "title": _text(title),
        "subtitle": f"{_span(list(dates.values()))} · {plural(n_events, 'event')} from "
                    f"{plural(n_sources, 'source')}",
        "kinds": [_kind(assembly.vocabulary.kind(k), counts[k]) for k in kinds],
        "levels": levels,
        "precisions": list(PLACE_PRECISIONS),
        "confidence": {
            level: CONFIDENCE_MEANING.get(level, UNASSESSED_MEANING) for level in levels
        },
        "styles": {level: dict(CONFIDENCE_STYLES[level]) for level in levels},
        "attribute_names": [
            _text(name) for name, _ in (events[0].attributes if events else ())
        ],
        "attribute_key_table": attribute_keys.values,
        "areas": area_table(gazetteer, areas),
        "sources": _sources(assembly, cited),
        "names": names.values,
        "name_keys": [fold(name) for name in names.values],
        "places": place_rows,
        "geoms": geometries(shapes),
        "carriers": carriers.values,
        "events": columns,
    }


def _quotes(event: Event) -> list:
    """Each of the event's sources' quote ``[quote, locator, stance]``, or ``None``."""
    quotes = {c.source: [_text(c.quote), _text(c.locator), c.stance] for c in event.citations}
    return [quotes.get(sid) for sid in event.sources]
