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
from collections import namedtuple
from importlib import resources

from .assemble import Assembly
from .assets import by_kind
from .safety import clean_text, json_for_script, safe_url
from .schema import (
    CONFIDENCE_LEVELS,
    CONFIDENCE_MEANING,
    EVENT_KINDS,
    PLACE_PRECISIONS,
    PartialDate,
    split_list,
)

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
    lines = getattr(geometry, "geoms", [geometry])
    return [[list(xy) for xy in line.coords] for line in lines]


def _geom(geometry) -> dict:
    if geometry.geom_type == "Point":
        return {"t": "P", "c": [geometry.x, geometry.y]}
    return {"t": "L", "c": _parts(geometry)}


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


def _sources(assembly: Assembly, cited: list[str]) -> list[dict]:
    """The cited sources, in ``cited`` order (events refer to them by that position)."""
    out = []
    for sid in cited:
        row = assembly.sources.loc[sid]
        published = row.get("published", "")
        try:
            published = PartialDate.parse(published).label() if published else ""
        except ValueError:
            published = _text(published)
        out.append({
            "id": _text(sid),
            "title": _text(row.get("title", "")),
            "outlet": _text(row.get("outlet", "")),
            "author": _text(row.get("author", "")),
            "published": published,
            "url": safe_url(row.get("url", "")),
        })
    return out


def _span(events) -> str:
    first = PartialDate.parse(min(events["date"]))
    ends = events["end_date"].where(events["end_date"] != "", events["date"])
    last = PartialDate.parse(max(ends))
    return first.label() if first == last else f"{first.label()} – {last.label()}"


def map_payload(assembly: Assembly, title: str, map_name: str) -> dict:
    """Everything the page's script needs, as JSON-ready values (all text cleaned).

    Events are columns; names (actors and stops), sources and geometries are stored once in
    tables and referred to by position, so a large dataset's page stays close to its CSV's size.
    """
    events = assembly.events
    kinds = [k for k in EVENT_KINDS if k in set(events["kind"].tolist())]
    counts = events["kind"].value_counts().to_dict()
    cited = sorted({s for value in events["sources"].tolist() for s in value.split("; ") if s})
    source_index = {sid: n for n, sid in enumerate(cited)}
    names, geoms = _Table(), _Table()
    columns = {name: [] for name in (
        "id", "kind", "title", "date_label", "start", "end", "summary", "carrier", "evidence",
        "confidence", "precision", "actors", "stops", "sources", "geom", "travel",
    )}
    fields = [*columns, "geom_key", "geometry", "travel_key", "stop_names"]
    fields.remove("geom")
    Row = namedtuple("Row", fields)
    memo: dict = {}

    def indexes(kind: str, cell: str, split, table) -> list[int]:
        """Positions of a cell's items in a shared table; repeated cells are worked out once."""
        key = (kind, cell)
        if key not in memo:
            memo[key] = [table.add(_text(item)) for item in split(cell)]
        return memo[key]

    for row in map(Row._make, zip(*(events[f].tolist() for f in fields), strict=True)):
        columns["id"].append(_text(row.id))
        columns["kind"].append(kinds.index(row.kind))
        for name in ("title", "summary", "carrier", "evidence"):
            columns[name].append(_text(getattr(row, name)))
        for name in ("date_label", "start", "end"):
            columns[name].append(getattr(row, name))
        columns["confidence"].append(CONFIDENCE_LEVELS.index(row.confidence))
        columns["precision"].append(PLACE_PRECISIONS.index(row.precision))
        columns["actors"].append(indexes("actors", row.actors, split_list, names))
        columns["stops"].append(indexes("stops", row.stop_names, list, names))
        if ("sources", row.sources) not in memo:
            memo["sources", row.sources] = [source_index[s] for s in split_list(row.sources)]
        columns["sources"].append(memo["sources", row.sources])
        columns["geom"].append(geoms.add(row.geom_key, lambda g=row.geometry: _geom(g)))
        columns["travel"].append(
            None if row.travel is None
            else geoms.add(row.travel_key, lambda t=row.travel: _geom(t))
        )
    n_events, n_sources = len(events), len(cited)
    return {
        "map": map_name,
        "title": _text(title),
        "subtitle": (
            f"{_span(events)} · {n_events:,} event{'s' * (n_events != 1)} "
            f"from {n_sources:,} source{'s' * (n_sources != 1)}"
        ),
        "kinds": [
            {"id": k, "label": k.capitalize(), "color": KIND_COLORS[k], "count": counts[k]}
            for k in kinds
        ],
        "levels": list(CONFIDENCE_LEVELS),
        "precisions": list(PLACE_PRECISIONS),
        "confidence": dict(CONFIDENCE_MEANING),
        "sources": _sources(assembly, cited),
        "names": names.values,
        "geoms": geoms.values,
        "events": columns,
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


def _inline_assets(page: str) -> str:
    """Replace every pinned script and stylesheet tag with the verified file's contents.

    Images the stylesheet refers to become ``data:`` URIs and source-map comments are dropped,
    so the page asks the network for nothing.
    """
    import base64

    from .assets import ASSETS, ensure

    for asset in by_kind("js"):
        code = ensure(asset).decode("utf-8")
        code = re.sub(r"^//# sourceMappingURL=.*$", "", code, flags=re.M)
        code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.I)
        tag = f'<script src="{asset.url}" integrity="{asset.sri}" crossorigin="anonymous"></script>'
        page = page.replace(tag, f"<script>{code}</script>")
    images = {a.npm_path.rsplit("dist/", 1)[-1]: a for a in ASSETS if a.kind == "img"}
    for asset in by_kind("css"):
        css = ensure(asset).decode("utf-8")
        for relative, image in images.items():
            uri = "data:image/png;base64," + base64.b64encode(ensure(image)).decode()
            css = css.replace(f"url({relative})", f"url({uri})")
        css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.I)
        tag = (
            f'<link rel="stylesheet" href="{asset.url}" integrity="{asset.sri}" '
            'crossorigin="anonymous"/>'
        )
        page = page.replace(tag, f"<style>{css}</style>")
    if re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", page):
        raise RuntimeError("a script or style is still loaded from the network")
    return page


def tile_provider_name(tiles: str) -> str:
    """The xyzservices name for ``--tiles``, or a ``GeomapError`` naming the option: unknown
    names get the closest known one, providers that need an API key are refused."""
    import xyzservices
    from rapidfuzz import process

    from .errors import GeomapError

    try:
        query = "OpenStreetMap.Mapnik" if tiles.lower() == "openstreetmap" else tiles
        provider = xyzservices.providers.query_name(query)
    except ValueError:
        names = list(xyzservices.providers.flatten())
        close = process.extractOne(tiles, names, score_cutoff=80)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise GeomapError(
            f"unknown basemap {tiles!r}{hint}; give an xyzservices name such as "
            "OpenStreetMap.Mapnik, or none",
            column="--tiles",
        ) from None
    if provider.requires_token():
        raise GeomapError(
            f"basemap {tiles!r} needs an API key, which geomap cannot pass on; choose one "
            "that needs none, such as OpenStreetMap.Mapnik or Esri.WorldGrayCanvas",
            column="--tiles",
        )
    return provider.name


def render_html(
    assembly: Assembly,
    title: str = DEFAULT_TITLE,
    tiles: str = DEFAULT_TILES,
    *,
    self_contained: bool = False,
) -> str:
    """The complete map page for the assembled events, as a string (deterministic).

    ``self_contained`` inlines every script, style and image, so the page needs no network.
    """
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    if len(assembly.events) == 0:
        raise ValueError("no events to map")
    if tiles and tiles.lower() != "none":
        tiles = tile_provider_name(tiles)
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
    page = _add_integrity(_PLACEHOLDER.sub(lambda m: values[m.group(1)], page))
    return _inline_assets(page) if self_contained else page

