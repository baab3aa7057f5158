"""The document a map page draws: the map's whole meaning, computed once, in Python.

Styles per kind and confidence, date labels, and the folded search keys of every name travel in
the payload; the page script (``static/js``) only decodes, filters and draws what it is given, so
the command line and the page cannot disagree about what a name or a style means.

Events are columns; names (actors and stops), places, sources and geometries are stored once in
tables and referred to by position, so a large dataset's page stays close to its CSV's size.
All text is cleaned with ``safety.clean_text``; nothing here is HTML.
"""

from __future__ import annotations

from .areas import areas_containing
from .assemble import Assembly, Shape
from .gazetteer import fold
from .records import Event, cited_sources
from .routes import MERCATOR_MAX_LAT, clip_polar, join_antimeridian
from .safety import clean_text, safe_url
from .schema import (
    CONFIDENCE_LEVELS,
    CONFIDENCE_MEANING,
    PLACE_PRECISIONS,
    PartialDate,
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


def _inside_mercator(part) -> bool:
    lats = [lat for _, lat in part]
    return max(lats) <= MERCATOR_MAX_LAT and min(lats) >= -MERCATOR_MAX_LAT


def _geom(shape: Shape) -> dict:
    """A point, or a line's parts joined across the antimeridian (the map wraps the world) and
    cut at Web Mercator's edge near the poles (a line wholly beyond it is kept as it is)."""
    if shape[0] == "P":
        return {"t": "P", "c": list(shape[1])}
    parts = [list(part) for part in shape[1:]]
    if len(parts) == 1 and _inside_mercator(parts[0]):  # nothing to join or cut: as routed
        return {"t": "L", "c": [list(map(list, parts[0]))]}
    parts = join_antimeridian(clip_polar(parts) or parts)
    return {"t": "L", "c": [[[round(lon, 5), lat] for lon, lat in part] for part in parts]}


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


def _span(events: list[Event]) -> str:
    first = min((event.date for event in events), key=PartialDate.iso)
    last = max((event.end_date or event.date for event in events), key=PartialDate.iso)
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


def map_payload(assembly: Assembly, title: str, map_name: str, gazetteer=None) -> dict:
    """Everything the page's script needs, as JSON-ready values (all text cleaned).

    ``gazetteer`` adds its country-kind places' names to what the panel's "within" accepts;
    by default ``assembly.gazetteer``.
    """
    if gazetteer is None:
        gazetteer = getattr(assembly, "gazetteer", None)
    events = assembly.records
    present = {event.kind for event in events}
    kinds = [k for k in assembly.vocabulary.ids if k in present]
    levels = list(CONFIDENCE_LEVELS)
    if any(not event.confidence for event in events):
        levels.insert(0, UNASSESSED)
    level_index = {level: n for n, level in enumerate(levels)}
    level_index[""] = 0
    kind_index = {k: n for n, k in enumerate(kinds)}
    counts = dict.fromkeys(kinds, 0)
    cited = sorted({
        *cited_sources(events),
        *(s for e in events for stop in e.journey for s in stop.sources
          if s in assembly.source_rows),
    })
    source_index = {sid: n for n, sid in enumerate(cited)}
    names, places, geoms, carriers = _Table(), _Table(), _Table(), _Table()
    attribute_keys = _Table()  # folded as --where folds them, each distinct key once
    place_rows: list[dict] = []
    columns: dict[str, list] = {name: [] for name in EVENT_COLUMNS}
    memo: dict = {}
    areas = known_areas(gazetteer)
    stops = list({(p.lon, p.lat): None for event in events for p in event.stops})
    areas_memo = dict(zip(stops, areas_containing(stops, areas), strict=True))

    def name_refs(items: tuple[str, ...]) -> list[int]:
        key = ("names", items)
        if key not in memo:
            memo[key] = [names.add(_text(item)) for item in items]
        return memo[key]

    def place_refs(event: Event) -> list[int]:
        key = ("places", event.stops)
        if key not in memo:
            refs = []
            for place in event.stops:
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
            memo[key] = refs
        return memo[key]

    for n, event in enumerate(events):
        counts[event.kind] += 1
        cols = columns
        cols["id"].append(_text(event.id))
        cols["kind"].append(kind_index[event.kind])
        for name in ("title", "summary", "carrier", "evidence"):
            cols[name].append(_text(getattr(event, name)))
        cols["date"].append(event.date.iso())
        cols["end_date"].append(event.end_date.iso() if event.end_date else "")
        cols["date_label"].append(event.date_label)
        cols["start"].append(event.start.isoformat())
        cols["end"].append(event.end.isoformat())
        cols["confidence"].append(level_index[event.confidence])
        cols["precision"].append(PLACE_PRECISIONS.index(event.precision))
        cols["actors"].append(name_refs(event.actors))
        cols["stops"].append(name_refs(event.stop_names))
        cols["places"].append(place_refs(event))
        if ("sources", event.sources) not in memo:
            memo["sources", event.sources] = [source_index[s] for s in event.sources]
        cols["sources"].append(memo["sources", event.sources])
        shape = assembly.shapes[n]
        cols["geom"].append(geoms.add(assembly.shape_keys[n], lambda s=shape: _geom(s)))
        travel = assembly.travels[n]
        cols["travel"].append(
            None if travel is None
            else geoms.add(assembly.travel_keys[n], lambda t=travel: _geom(t))
        )
        cols["attributes"].append([_text(value) for _, value in event.attributes])
        cols["attribute_keys"].append([attribute_keys.add(fold(v)) for _, v in event.attributes])
        cols["coords"].append([[p.lat, p.lon] for p in event.stops])
        inside: set[int] = set()
        for p in event.stops:
            inside.update(areas_memo[p.lon, p.lat])
        cols["areas"].append(sorted(inside))
        cols["origins"].append(event.origins)
        quotes = {c.source: [_text(c.quote), _text(c.locator), c.stance] for c in event.citations}
        cols["quotes"].append([quotes.get(sid) for sid in event.sources])
        info = event.carrier_info
        cols["carrier_info"].append(
            None if info is None else carriers.add(info.id, lambda i=info: _carrier(i))
        )
        cols["passages"].append([_text(name) for name in assembly.passages[n]])
        cols["journey"].append(
            [_journey_stop(stop, source_index) for stop in event.journey] or None
        )
    n_sources = len(cited)
    return {
        "version": VERSION,
        "map": map_name,
        "title": _text(title),
        "subtitle": (
            f"{_span(events)} · {plural(len(events), 'event')} from {plural(n_sources, 'source')}"
        ),
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
        "geoms": geoms.values,
        "carriers": carriers.values,
        "events": columns,
    }
