"""Shared fixtures: tiny datasets, a rendered map, and a real Chromium driven by Playwright.

The browser has no internet: the pinned CDN scripts and styles are served from the local asset
cache (filled by `geomap fetch-assets --npm` from the npm registry), basemap tiles get a blank
image, and any other request is aborted and recorded.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from . import browser_support
from .browser_support import launch, offline_router

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"

@pytest.fixture(autouse=True, scope="session")
def _private_route_cache(tmp_path_factory):
    """Tests keep their route cache to themselves, not in the user's cache directory."""
    if "GEOMAP_CACHE_DIR" not in os.environ:
        os.environ["GEOMAP_CACHE_DIR"] = str(tmp_path_factory.mktemp("route-cache"))
    yield


def copy_fixture(name: str, target: Path) -> Path:
    """A writable copy of a fixture dataset."""
    shutil.copytree(FIXTURES / name, target)
    return target


@pytest.fixture
def basic_data(tmp_path) -> Path:
    return copy_fixture("basic", tmp_path / "data")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("GEOMAP_REQUIRE_BROWSER"):
            pytest.fail(reason + "; GEOMAP_REQUIRE_BROWSER is set, so browser tests must run")
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("GEOMAP_REQUIRE_BROWSER"):
            pytest.fail("playwright is not installed; pip install -e '.[test]'")
        pytest.skip("playwright is not installed; pip install -e '.[test]'")
    with sync_playwright() as playwright:
        instance = launch(playwright, chromium_path)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def cdn_files() -> dict[str, Path]:
    """Pinned asset URL -> verified local copy; fails with the fill command if one is missing."""
    from geomap.errors import AssetError

    try:
        return browser_support.cdn_files()
    except AssetError as exc:
        message = f"{exc} — run: geomap fetch-assets --npm"
        if os.environ.get("GEOMAP_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)


@dataclass
class MapPage:
    """An opened map with everything the browser complained about."""

    page: object
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def evaluate(self, script: str, arg=None):
        return self.page.evaluate(script, arg)


@pytest.fixture
def open_map(browser, cdn_files):
    """Open an HTML map file in Chromium with the CDN served locally; yields a function."""
    pages = []

    def _open(path: Path, *, fragment: str = "", viewport=(1280, 800), touch=False) -> MapPage:
        nonlocal opened
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]},
                                has_touch=touch, is_mobile=touch)
        pages.append(page)
        opened = MapPage(page)
        page.on(
            "console",
            lambda msg: opened.errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: opened.errors.append(str(exc)))
        page.on(
            "requestfailed",
            lambda req: opened.failed.append(req.url)
            if req.resource_type in ("script", "stylesheet")
            else None,
        )
        page.route("**/*", offline_router(cdn_files, opened.blocked))
        page.goto(Path(path).resolve().as_uri() + fragment)
        page.wait_for_function("window.geomap !== undefined", timeout=20_000)
        return opened

    opened = None
    yield _open
    for page in pages:
        page.close()
