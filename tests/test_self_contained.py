"""One self-contained HTML file: no network request at all, and the same map as online."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from geomap import assets
from geomap.assets import ASSETS, cache_path, sri_of
from geomap.cli import cli
from geomap.errors import AssetError
from geomap.pipeline import render_map

from .conftest import ROOT


def test_default_map_self_contained_is_small(tmp_path, cdn_files):
    out = tmp_path / "map.html"
    summary = render_map(ROOT / "data", out, self_contained=True)
    assert summary.size < 1.5 * 1024 * 1024
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page and "<link rel=\"stylesheet\"" not in page
    assert "sourceMappingURL" not in page
    assert "tile_layer_basemap" not in page  # the offline outlines are the basemap


def test_tiles_can_be_added_to_a_self_contained_map(tmp_path, basic_data, cdn_files):
    out = tmp_path / "map.html"
    render_map(basic_data, out, self_contained=True, tiles="OpenStreetMap.Mapnik")
    page = out.read_text(encoding="utf-8")
    assert "tile.openstreetmap.org" in page
    assert 'id="geomap-basemap"' in page  # outlines kept as the fallback


@pytest.mark.browser
def test_opens_with_every_request_refused(browser, basic_data, tmp_path, cdn_files):
    out = tmp_path / "map.html"
    render_map(basic_data, out, self_contained=True)
    page = browser.new_page()
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    document = out.resolve().as_uri()
    page.route("**/*", lambda route: route.continue_() if route.request.url == document
               else route.abort())
    page.goto(document)
    page.wait_for_function("window.geomap !== undefined", timeout=20_000)
    assert page.evaluate("window.geomap.drawnCount()") == 4
    page.evaluate("window.geomap.openPopup('air-bridge')")
    popup = page.locator(".leaflet-popup-content").inner_text()
    assert "Example Blog — Air bridge — 28 July 2020" in popup
    page.get_by_label("Show Flight").uncheck()
    assert page.evaluate("window.geomap.drawnCount()") == 2
    assert page.locator(".gm-showing").inner_text() == "Showing 2 of 4 events"
    page.get_by_label("Find an actor").fill("iran")
    assert requests == [document]
    assert errors == []
    page.close()


@pytest.fixture
def private_assets(tmp_path, monkeypatch, cdn_files):
    folder = tmp_path / "assets"
    for asset in ASSETS:
        target = folder / asset.npm_package / asset.npm_path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(cache_path(asset), target)
    monkeypatch.setenv("GEOMAP_ASSETS", str(folder))

    def offline(asset, timeout=20.0):
        raise OSError("network is unreachable")

    monkeypatch.setattr(assets, "download", offline)
    return folder


def test_a_tampered_cached_asset_is_refused(private_assets, basic_data, tmp_path):
    leaflet = private_assets / "leaflet@1.9.4" / "dist" / "leaflet.js"
    leaflet.write_bytes(leaflet.read_bytes().replace(b"Leaflet", b"Lea\x66let!", 1))
    out = tmp_path / "map.html"
    result = CliRunner().invoke(
        cli, ["render", "--data", str(basic_data), "-o", str(out), "--self-contained"]
    )
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {leaflet}: leaflet.js does not match its pinned")
    assert "geomap fetch-assets" in result.output
    assert not out.exists()


def test_a_missing_asset_names_the_file_and_how_to_provide_it(private_assets, basic_data,
                                                               tmp_path, monkeypatch):
    """With neither the CDN nor npm (which would fill the cache) there is nothing to render."""
    css = private_assets / "leaflet@1.9.4" / "dist" / "leaflet.css"
    css.unlink()
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(AssetError) as info:
        render_map(basic_data, tmp_path / "m.html", self_contained=True)
    message = str(info.value)
    assert message.startswith(f"{css}: pinned asset leaflet.css is missing;")
    assert "geomap fetch-assets --npm" in message and "network is unreachable" in message


def test_a_download_that_does_not_match_is_refused(private_assets, monkeypatch):
    (private_assets / "leaflet@1.9.4" / "dist" / "leaflet.css").unlink()
    monkeypatch.setattr(assets, "download", lambda asset, timeout=20.0: b"evil")
    with pytest.raises(AssetError, match="does not match its pinned checksum"):
        assets.ensure(next(a for a in ASSETS if a.filename == "leaflet.css"))
    assert not (private_assets / "leaflet@1.9.4" / "dist" / "leaflet.css").exists()


def test_pins_match_the_published_files(cdn_files):
    for asset in ASSETS:
        assert sri_of(cache_path(asset).read_bytes()) == asset.sri, asset.filename


@pytest.mark.browser
def test_browser_refuses_a_tampered_cdn_script(browser, basic_data, tmp_path, cdn_files):
    """The regular map's integrity attributes make Chromium reject a modified leaflet.js."""
    out = tmp_path / "map.html"
    render_map(basic_data, out)
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    leaflet = next(a for a in ASSETS if a.filename == "leaflet.js")

    def serve(route):
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        elif url == leaflet.url:
            body = cdn_files[url].read_bytes() + b"\nwindow.tampered = true;"
            route.fulfill(status=200, body=body, headers={
                "Content-Type": "application/javascript", "Access-Control-Allow-Origin": "*"})
        else:
            route.abort()

    page.route("**/*", serve)
    page.goto(out.resolve().as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("window.tampered === undefined && window.L === undefined")
    assert any("integrity" in e for e in errors)
    page.close()
