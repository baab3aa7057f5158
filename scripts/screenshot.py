"""Screenshot a rendered map in headless Chromium, offline (the README's picture comes from here).

Usage: python scripts/screenshot.py maps/index.html docs/map.png [--click EVENT_ID]
       python scripts/screenshot.py maps/index.html docs/phone.png --size 390x844 --click EVENT_ID
Needs Debian's chromium, playwright (pip install -e '.[test]') and a filled asset cache
(geomap fetch-assets --npm); basemap tiles are left blank, so the offline country
outlines show.
"""

import argparse
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser_support import cdn_files, launch, offline_router  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("png", type=Path)
    parser.add_argument("--click", help="open this event's popup before the screenshot")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--view", metavar="LAT,LON,ZOOM", help="centre and zoom instead of the fit")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright, shutil.which("chromium"))
        page = browser.new_page(viewport={"width": width, "height": height})
        blocked: list[str] = []
        page.route("**/*", offline_router(cdn_files(), blocked))
        # An event opens as from a shared link (#event=…), the way a reader gets there.
        fragment = f"#event={args.click}" if args.click and not args.view else ""
        page.goto(args.html.resolve().as_uri() + fragment)
        page.wait_for_function("window.geomap !== undefined")
        if args.view:
            lat, lon, zoom = (float(v) for v in args.view.split(","))
            page.evaluate(
                "([lat, lon, zoom]) => {"
                " window.geomap.map.setView([lat, lon], zoom, {animate: false}); }",
                [lat, lon, zoom],
            )
        if args.click and args.view:
            page.evaluate("(id) => window.geomap.openPopup(id)", args.click)
        page.wait_for_timeout(300)
        args.png.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.png))
        browser.close()
    print(f"wrote {args.png}")


if __name__ == "__main__":
    main()
