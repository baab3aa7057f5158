"""Where a map page spends its time: load, first draw and one filter change, profiled in Chromium.

Opens a rendered map offline at 1280×800 (as ``bench.py`` does), then prints when it was drawn,
its JS heap, how long the same filter change as the benchmark's takes (clicking *confidence ≥
reported*, until two frames later) and, with ``--profile``, the functions that took the most
self time in the load and in the change (the CDP CPU profiler; it slows the page, so its times
are for finding work, not for reporting).

Usage: python benchmarks/pageprof.py MAP.html [--profile] [--top 25] [--repeat 3]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.bench import DRAWN, FILTER_CHANGE  # noqa: E402


def self_times(profile: dict) -> Counter:
    """Milliseconds of self time per function (name, script line) in a CDP CPU profile."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    spent: Counter = Counter()
    for sample, delta in zip(profile.get("samples", [])[1:], deltas[1:], strict=False):
        frame = nodes[sample]["callFrame"]
        name = frame["functionName"] or "(anonymous)"
        where = Path(frame["url"]).name if frame["url"] else ""
        spent[f"{name} {where}:{frame['lineNumber'] + 1}"] += delta / 1000
    return spent


def run(html: Path, profile: bool, top: int) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser_support import cdn_files, launch, offline_router

    blocked: list[str] = []
    out: dict = {}
    with sync_playwright() as playwright:
        browser = launch(playwright, shutil.which("chromium"))
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", offline_router(cdn_files(), blocked))
        cdp = page.context.new_cdp_session(page)
        if profile:
            cdp.send("Profiler.enable")
            cdp.send("Profiler.setSamplingInterval", {"interval": 200})
            cdp.send("Profiler.start")
        page.goto(html.resolve().as_uri(), wait_until="commit")
        page.wait_for_function(DRAWN["geomap"], timeout=120_000, polling=100)
        out["drawn"] = page.evaluate("window.geomap.drawnAt") / 1000
        out["decoded"] = page.evaluate(
            "performance.getEntriesByName('geomap:decoded')[0].startTime - "
            "performance.getEntriesByName('geomap:decode')[0].startTime") / 1000
        if profile:
            out["load_profile"] = self_times(cdp.send("Profiler.stop")["profile"]).most_common(top)
        cdp.send("HeapProfiler.collectGarbage")
        out["heap"] = cdp.send("Runtime.getHeapUsage")["usedSize"] / 2**20
        if profile:
            cdp.send("Profiler.start")
        out["filter"] = page.evaluate(FILTER_CHANGE) / 1000
        if profile:
            out["filter_profile"] = self_times(cdp.send("Profiler.stop")["profile"]).most_common(
                top)
        browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = [run(args.html, args.profile and n == 0, args.top) for n in range(args.repeat)]
    for key, unit in (("drawn", "s"), ("decoded", "s"), ("heap", "MiB"), ("filter", "s")):
        values = [r[key] for r in runs]
        print(f"{key:8s} median {statistics.median(values):8.3f} {unit}  "
              f"({', '.join(f'{v:.3f}' for v in values)})")
    for key in ("load_profile", "filter_profile"):
        if key in runs[0]:
            print(f"\n{key} (self ms):")
            for name, ms in runs[0][key]:
                print(f"  {ms:8.1f}  {name}")


if __name__ == "__main__":
    main()
