"""The interactive HTML map: the only module that imports folium.

folium builds the page skeleton (Leaflet, the basemap tiles); the events travel as one JSON
document that the page's own script (``static/geomap.js``) draws on a canvas, building popups,
tooltips, legend and title from text with ``textContent``.

No string from the data is handed to folium: folium renders through Jinja2, which would evaluate
``{{ … }}`` in data. The data, the page title, the script and the style are put into the rendered
page afterwards, in one pass over placeholders that only geomap's own template contains.
"""

from __future__ import annotations

import html
import re
from importlib import resources

from .assemble import Assembly
from .assets import by_kind
from .safety import clean_text, json_for_script, safe_url
from .schema import CONFIDENCE_MEANING, EVENT_KINDS, PartialDate

DEFAULT_TITLE = "Iran–Venezuela cooperation"
DEFAULT_TILES = "Esri.WorldGrayCanvas"

#: Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
KIND_COLORS = {
    "shipment": "#0072B2",
    "flight": "#D55E00",
    "visit": "#009E73",
    "seizure": "#CC79A7",
    "statement": "#7A6A00",
    "agreement": "#56B4E9",
    "payment": "#E69F00",
    "appointment": "#555555",
}

_PLACEHOLDER = re.compile(r"@@GEOMAP_([A-Z]+)@@")


def _parts(geometry) -> list:
    if geometry is None:
        return None
    lines = getattr(geometry, "geoms", [geometry])
    return [[list(xy) for xy in line.coords] for line in lines]


def _geom(geometry) -> dict:
    if geometry.geom_type == "Point":
        return {"t": "P", "c": [geometry.x, geometry.y]}
    return {"t": "L", "c": _parts(geometry)}


def _text(value) -> str:
    return clean_text(str(value)) if value is not None else ""


def _list(value: str, separator: str) -> list[str]:
    return [_text(part.strip()) for part in value.split(separator) if part.strip()]


def _sources(assembly: Assembly, cited: set[str]) -> dict:
    out = {}
    for sid, row in assembly.sources.iterrows():
        if sid not in cited:
            continue
        published = row.get("published", "")
        try:
            published = PartialDate.parse(published).label() if published else ""
        except ValueError:
            published = _text(published)
        out[_text(sid)] = {
            "title": _text(row.get("title", "")),
            "outlet": _text(row.get("outlet", "")),
            "author": _text(row.get("author", "")),
            "published": published,
            "url": safe_url(row.get("url", "")),
        }
    return out


def _span(events) -> str:
    first = PartialDate.parse(min(events["date"]))
    ends = events["end_date"].where(events["end_date"] != "", events["date"])
    last = PartialDate.parse(max(ends))
    return first.label() if first == last else f"{first.label()} – {last.label()}"


def map_payload(assembly: Assembly, title: str, map_name: str) -> dict:
    """Everything the page's script needs, as plain JSON-ready values (all text cleaned)."""
    events = assembly.events
    cited = {sid for value in events["sources"] for sid in value.split("; ") if sid}
    counts = events["kind"].value_counts().to_dict()
    records = []
    for row in events.itertuples(index=False):
        records.append(
            {
                "id": _text(row.id),
                "kind": row.kind,
                "title": _text(row.title),
                "date_label": row.date_label,
                "start": row.start,
                "end": row.end,
                "summary": _text(row.summary),
                "actors": _list(row.actors, ";"),
                "stops": _list(row.stops, ">"),
                "route": row.geometry.geom_type != "Point",
                "carrier": _text(row.carrier),
                "confidence": row.confidence,
                "sources": _list(row.sources, ";"),
                "evidence": _text(row.evidence),
                "precision": row.precision,
                "geom": _geom(row.geometry),
                "travel": _parts(row.travel),
            }
        )
    n_events, n_sources = len(records), len(cited)
    return {
        "map": map_name,
        "title": _text(title),
        "subtitle": (
            f"{_span(events)} · {n_events} event{'s' * (n_events != 1)} "
            f"from {n_sources} source{'s' * (n_sources != 1)}"
        ),
        "kinds": [
            {"id": k, "label": k.capitalize(), "color": KIND_COLORS[k], "count": counts[k]}
            for k in EVENT_KINDS
            if k in counts
        ],
        "confidence": dict(CONFIDENCE_MEANING),
        "sources": _sources(assembly, cited),
        "events": records,
    }


def _static(name: str) -> str:
    return resources.files("geomap").joinpath("static", name).read_text(encoding="utf-8")


def _add_integrity(page: str) -> str:
    """Give every pinned script and stylesheet tag its SRI hash and ``crossorigin``."""
    for asset in by_kind("js"):
        page = page.replace(
            f'<script src="{asset.url}"></script>',
            f'<script src="{asset.url}" integrity="{asset.sri}" crossorigin="anonymous"></script>',
        )
    for asset in by_kind("css"):
        page = page.replace(
            f'<link rel="stylesheet" href="{asset.url}"/>',
            f'<link rel="stylesheet" href="{asset.url}" integrity="{asset.sri}" '
            'crossorigin="anonymous"/>',
        )
    return page


def render_html(assembly: Assembly, title: str = DEFAULT_TITLE, tiles: str = DEFAULT_TILES) -> str:
    """The complete map page for the assembled events, as a string (deterministic)."""
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    if len(assembly.events) == 0:
        raise ValueError("no events to map")
    fmap = folium.Map(location=[15, -20], zoom_start=3, tiles=None, control_scale=True)
    fmap._id = "geomap"
    fmap.default_js = [(a.name, a.url) for a in by_kind("js")]
    fmap.default_css = [(a.name, a.url) for a in by_kind("css")]
    fmap.get_root().title = "@@GEOMAP_TITLE@@"
    if tiles and tiles.lower() != "none":
        layer = folium.TileLayer(tiles, name="Basemap")
        layer._id = "basemap"
        layer.add_to(fmap)

    class Events(MacroElement):
        _template = Template(
            "{% macro header(this, kwargs) %}<style>@@GEOMAP_CSS@@</style>{% endmacro %}"
            "{% macro html(this, kwargs) %}"
            '<script type="application/json" id="geomap-basemap">@@GEOMAP_BASEMAP@@</script>'
            '<script type="application/json" id="geomap-data">@@GEOMAP_DATA@@</script>'
            "{% endmacro %}"
            "{% macro script(this, kwargs) %}@@GEOMAP_SCRIPT@@{% endmacro %}"
        )

    events = Events()
    events._id = "events"
    events.add_to(fmap)
    page = fmap.get_root().render()

    values = {
        "TITLE": html.escape(_text(title)),
        "CSS": _static("geomap.css"),
        "BASEMAP": _static("countries.geojson").strip(),
        "DATA": json_for_script(map_payload(assembly, title, fmap.get_name())),
        "SCRIPT": _static("geomap.js"),
    }
    found = _PLACEHOLDER.findall(page)
    if sorted(found) != sorted(values):
        raise RuntimeError(f"unexpected placeholders in the folium page: {found}")
    page = _PLACEHOLDER.sub(lambda m: values[m.group(1)], page)
    return _add_integrity(page)

