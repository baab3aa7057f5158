"""Launching Debian's Chromium and serving a map's CDN assets offline.

Used by the browser tests, scripts/screenshot.py and the benchmarks.
"""

from __future__ import annotations

import base64
from pathlib import Path

#: A 1×1 transparent PNG, the answer to every basemap tile request.
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
)
CONTENT_TYPES = {".js": "application/javascript", ".css": "text/css", ".png": "image/png"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright, executable: str):
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def cdn_files() -> dict[str, Path]:
    """Pinned asset URL -> verified local copy (raises ``AssetError`` if one is missing)."""
    from geomap.assets import ASSETS, cache_path, read_verified

    files = {}
    for asset in ASSETS:
        read_verified(asset)
        files[asset.url] = cache_path(asset)
    return files


def offline_router(files: dict[str, Path], blocked: list[str]):
    """A Playwright route handler: local files pass, pinned assets come from the cache, tiles get
    a blank image, and anything else is aborted and recorded in ``blocked``."""

    def route(request_route):
        try:
            answer(request_route)
        except Exception as exc:  # the page closed while a request was in flight
            if "closed" not in str(exc).lower() and "cancel" not in str(exc).lower():
                raise

    def answer(request_route):
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        elif url in files:
            path = files[url]
            request_route.fulfill(
                status=200,
                body=path.read_bytes(),
                headers={
                    "Content-Type": CONTENT_TYPES.get(path.suffix, "application/octet-stream"),
                    "Access-Control-Allow-Origin": "*",
                },
            )
        elif "/tile/" in url:
            request_route.fulfill(status=200, body=BLANK_PNG, headers={"Content-Type": "image/png"})
        else:
            blocked.append(url)
            request_route.abort()

    return route
