"""What each feature needs on this machine, whether it is there, and how to get it."""

from __future__ import annotations

import importlib.util
import shutil
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    feature: str
    ok: bool
    detail: str


def _program(*names: str) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


def check_assets() -> Check:
    """The pinned Leaflet files that every default map inlines."""
    from .assets import ASSETS, cache_dir, read_verified
    from .errors import AssetError

    missing = []
    for asset in ASSETS:
        try:
            read_verified(asset)
        except AssetError:
            missing.append(asset.filename)
    feature = "maps that open offline (asset cache)"
    if not missing:
        return Check(feature, True, f"{len(ASSETS)} pinned assets verified in {cache_dir()}")
    return Check(
        feature, False,
        f"{', '.join(missing)} not in {cache_dir()}; run `geomap fetch-assets` (CDN) or "
        "`geomap fetch-assets --npm` (npm registry); `geomap render` also fetches them "
        "from the CDN on first use when online",
    )


def check_gdal() -> Check:
    """pyogrio's GDAL writes GeoPackage and KML; ``ogrinfo`` reads them back in the tests."""
    feature = "GeoPackage and KML export (GDAL)"
    if importlib.util.find_spec("pyogrio") is None:
        return Check(feature, False, "pyogrio is not installed; run `pip install -e .`")
    import pyogrio

    drivers = pyogrio.list_drivers(write=True)
    lacking = [d for d in ("GPKG", "KML") if d not in drivers]
    if lacking:
        return Check(feature, False, f"this GDAL cannot write {', '.join(lacking)}; "
                     "reinstall pyogrio from its wheel (`pip install --force-reinstall pyogrio`)")
    ogrinfo = _program("ogrinfo")
    if ogrinfo is None:
        return Check(feature, False, f"GDAL {pyogrio.__gdal_version_string__} writes both, but "
                     "`ogrinfo` for the export tests is missing; apt-get install gdal-bin")
    return Check(feature, True, f"GDAL {pyogrio.__gdal_version_string__}; ogrinfo at {ogrinfo}")


def check_chromium() -> Check:
    """Debian's Chromium and Playwright drive the screenshots and the browser tests."""
    feature = "screenshots and browser tests (Chromium)"
    browser = _program("chromium", "chromium-browser")
    if browser is None:
        return Check(feature, False, "chromium is not on PATH; apt-get install chromium "
                     "(browser tests skip without it)")
    if importlib.util.find_spec("playwright") is None:
        return Check(feature, False, f"chromium at {browser}, but Playwright is not installed; "
                     "run `pip install -e '.[test]'`")
    return Check(feature, True, f"chromium at {browser}; Playwright installed")


def check_node() -> Check:
    """Node runs the page script's own tests; npm fills the asset cache from its registry."""
    feature = "page-script tests (Node)"
    node = _program("node", "nodejs")
    if node is None:
        return Check(feature, False, "node is not on PATH; apt-get install nodejs npm")
    npm = _program("npm")
    if npm is None:
        return Check(feature, False, f"node at {node}, but npm (for `geomap fetch-assets --npm`) "
                     "is missing; apt-get install npm")
    return Check(feature, True, f"node at {node}; npm at {npm}")


def diagnose() -> list[Check]:
    """Every check, in the order a newcomer meets the features."""
    return [check_assets(), check_gdal(), check_chromium(), check_node()]
