"""The HTML page around the payload: the only module that imports folium.

folium builds the page skeleton (Leaflet, the basemap tiles); the events travel as the document
``payload.map_payload``, compressed into base64 script elements (``packing``), that the page's
own script (``static/js``) decodes once and draws on a canvas, building popups, tooltips,
legend and title from text with ``textContent``. Pinned scripts and styles are linked with their
SRI hashes, or inlined from bytes resolved before rendering.

No string from the data is handed to folium: folium renders through Jinja2, which would evaluate
``{{ … }}`` in data. The data, the page title, the script and the style are put into the rendered
page afterwards, in one pass over placeholders that only geomap's own template contains.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources

from .assemble import Assembly
from .assets import ASSETS, by_kind
from .payload import map_payload
from .safety import clean_text

DEFAULT_TITLE = "Iran–Venezuela cooperation"
DEFAULT_TILES = "Esri.WorldGrayCanvas"

_PLACEHOLDER = re.compile(r"@@GEOMAP_([A-Z]+)@@")


def _static(name: str) -> str:
    return resources.files("geomap").joinpath("static", name).read_text(encoding="utf-8")


def page_script() -> str:
    """The page script: the modules listed in ``static/js/manifest.json``, in that order."""
    names = json.loads(_static("js/manifest.json"))
    return "\n".join(_static(f"js/{name}") for name in names)


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


def _inline_assets(page: str, assets: dict[str, bytes]) -> str:
    """Replace every pinned script and stylesheet tag with the verified file's contents.

    ``assets`` holds each asset's verified bytes by name (``assets.resolve_assets``). Images the
    stylesheet refers to become ``data:`` URIs and source-map comments are dropped, so the page
    asks the network for nothing.
    """
    import base64

    for asset in by_kind("js"):
        code = assets[asset.name].decode("utf-8")
        code = re.sub(r"^//# sourceMappingURL=.*$", "", code, flags=re.M)
        code = re.sub(r"</(script)", r"<\\/\1", code, flags=re.I)
        tag = f'<script src="{asset.url}" integrity="{asset.sri}" crossorigin="anonymous"></script>'
        page = page.replace(tag, f"<script>{code}</script>")
    images = {a.npm_path.rsplit("dist/", 1)[-1]: a for a in ASSETS if a.kind == "img"}
    for asset in by_kind("css"):
        css = assets[asset.name].decode("utf-8")
        for relative, image in images.items():
            uri = "data:image/png;base64," + base64.b64encode(assets[image.name]).decode()
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


def payload_elements(payload: dict) -> list[bytes]:
    """The payload as ``<script type="application/octet-stream">`` elements of base64
    (``packing``), one per chunk: no character of the data can end or change the element."""
    from .packing import pack

    return [
        f'<script type="application/octet-stream" id="geomap-data-{n}" '
        f'data-stream="{chunk.stream}" data-kind="{chunk.kind}">{chunk.text}</script>'.encode()
        for n, chunk in enumerate(pack(payload))
    ]


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


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


def _accessible(page: str) -> str:
    """A language for screen readers, and pinch-zoom allowed (folium's viewport forbids it)."""
    page = page.replace("<html>", '<html lang="en">', 1)
    return _VIEWPORT.sub(
        '<meta name="viewport" content="width=device-width, initial-scale=1.0" />', page, count=1
    )


def render_html(
    assembly: Assembly,
    title: str = DEFAULT_TITLE,
    tiles: str = DEFAULT_TILES,
    *,
    self_contained: bool = False,
    assets: dict[str, bytes] | None = None,
) -> str:
    """The complete map page for the assembled events, as a string (deterministic).

    With ``assets`` (verified bytes by name, see ``assets.resolve_assets``), or with
    ``self_contained``, every script, style and image is inlined: the page needs no network.
    """
    pieces = render_pieces(assembly, title, tiles, self_contained=self_contained, assets=assets)
    return b"".join(pieces).decode("utf-8")


def render_pieces(
    assembly: Assembly,
    title: str = DEFAULT_TITLE,
    tiles: str = DEFAULT_TILES,
    *,
    self_contained: bool = False,
    assets: dict[str, bytes] | None = None,
) -> list[bytes]:
    """``render_html``'s page as UTF-8 pieces to write one after the other: the page before
    the data, each payload element, the page after it. A large map's tens of megabytes of
    base64 are then never copied into one string, nor passed over by the page's rewriting
    (SRI hashes, inlined assets, the viewport), which only concerns the page around them.
    """
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    if self_contained and assets is None:
        from .assets import resolve_assets

        assets = resolve_assets()
    if len(assembly) == 0:
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
            "@@GEOMAP_DATA@@"
            "{% endmacro %}"
            "{% macro script(this, kwargs) %}@@GEOMAP_SCRIPT@@{% endmacro %}"
        )

    events = Events()
    events._id = "events"
    events.add_to(fmap)
    page = fmap.get_root().render()

    values = {
        "TITLE": html.escape(clean_text(title)),
        "CSS": _static("geomap.css"),
        "BASEMAP": _static("countries.geojson").strip(),
        "SCRIPT": page_script(),
    }
    found = _PLACEHOLDER.findall(page)
    if sorted(found) != sorted([*values, "DATA"]):
        raise RuntimeError(f"unexpected placeholders in the folium page: {found}")
    # split before any value goes in, so that no text of a value can be taken for the data's
    # place; the page is then rewritten around the data, as one page would be
    before, after = (
        _add_integrity(_PLACEHOLDER.sub(lambda m: values[m.group(1)], part))
        for part in page.split("@@GEOMAP_DATA@@")
    )
    before = _accessible(before)
    if assets is not None:
        before, after = _inline_assets(before, assets), _inline_assets(after, assets)
    data = payload_elements(map_payload(assembly, title, fmap.get_name()))
    return [before.encode("utf-8"), *data, after.encode("utf-8")]

