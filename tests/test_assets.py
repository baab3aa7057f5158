"""Pinned assets: resolved before rendering, from the CDN or else from the npm registry."""

import pytest

from geomap import assets
from geomap.errors import AssetError


def test_without_the_cdn_the_npm_registry_fills_the_cache(tmp_path, monkeypatch):
    good = {a.name: assets.read_verified(a) for a in assets.ASSETS}  # the filled user cache
    monkeypatch.setenv("GEOMAP_ASSETS", str(tmp_path / "assets"))
    stored = []

    def no_cdn(asset, timeout=20.0):
        raise OSError("network unreachable")

    def from_npm(missing):
        for asset in missing:
            stored.append(asset.name)
            assets._store(asset, good[asset.name])

    monkeypatch.setattr(assets, "download", no_cdn)
    monkeypatch.setattr(assets, "_from_npm", from_npm)
    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/npm")
    found = assets.resolve_assets()
    assert sorted(stored) == sorted(good)
    assert all(assets.sri_of(found[a.name]) == a.sri for a in assets.ASSETS)
    assert all(assets.cache_path(a).is_file() for a in assets.ASSETS)


def test_a_tampered_cached_file_is_never_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("GEOMAP_ASSETS", str(tmp_path / "assets"))
    leaflet = assets.ASSETS[0]
    path = assets.cache_path(leaflet)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"alert('tampered')")
    monkeypatch.setattr(assets, "_from_npm", lambda missing: pytest.fail("replaced"))
    with pytest.raises(AssetError, match="does not match its pinned checksum"):
        assets.resolve_assets()
