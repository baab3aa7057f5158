"""geomap beside the floor and its peers, measured side by side in one run; writes RESULTS.md.

Cases: synthetic data of today's shape and of real shape (``synthetic.py``) at each size, and
real airports (``airports.py``). For each case every tool builds its HTML in its own process:
geomap (``geomap render`` as a user runs it, first with an empty route cache, then warm), the
floor (``floor.py``), plain folium, ``GeoDataFrame.explore()``, folium's FastMarkerCluster and
lonboard. Measured per build: wall and CPU time, peak RSS, HTML bytes; then drawing in headless
Chromium (Playwright, offline: CDN files from geomap's asset cache and from npm packages), the
page's JS heap once drawn, and for geomap a filter change, ``geomap stats`` and
``geomap export --format geojson``. Every figure is a median of ``--repeat`` runs, except that a
run slower than ``--slow`` seconds, or one that fails or passes its cap, is not repeated.

Usage: python benchmarks/bench.py [--sizes 1000 10000 100000] [--shapes today real]
           [--airports 100000] [--routes 50000] [--peers-up-to 100000] [--repeat 3] [--slow 60]
           [--cap 60] [--build-cap 900]
           [--tools geomap floor plain_folium explore fast_cluster lonboard]
           [--output benchmarks/RESULTS.md] [--work benchmarks/work]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.plain_folium import JQUERY_JS  # noqa: E402

#: tool -> (label, build script in benchmarks/, modules it needs beyond geomap's own)
TOOLS = {
    "geomap": ("geomap", None, ()),
    "floor": ("floor", "floor.py", ("pandas",)),
    "plain_folium": ("plain folium", "plain_folium.py", ("folium",)),
    "explore": ("explore()", "explore_peer.py", ("geopandas", "mapclassify", "matplotlib")),
    "fast_cluster": ("FastMarkerCluster", "fast_cluster.py", ("folium",)),
    "lonboard": ("lonboard", "lonboard_peer.py", ("lonboard", "pyarrow")),
}
PEERS = [tool for tool in TOOLS if tool not in ("geomap", "floor")]
MARKERCLUSTER = "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/"
#: lonboard's page: require.js and the ipywidgets embedder from CDNs, anywidget from jsDelivr.
REQUIRE_JS = "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js"
HTML_MANAGER = "https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@{}/dist/embed-amd.js"
#: what the page asks for that the browser may fetch offline: URL -> (npm spec, file in package)
NPM_FILES = {
    JQUERY_JS: ("jquery@3.7.1", "package/dist/jquery.min.js"),
    MARKERCLUSTER + "leaflet.markercluster.js":
        ("leaflet.markercluster@1.1.0", "package/dist/leaflet.markercluster.js"),
    MARKERCLUSTER + "MarkerCluster.css":
        ("leaflet.markercluster@1.1.0", "package/dist/MarkerCluster.css"),
    MARKERCLUSTER + "MarkerCluster.Default.css":
        ("leaflet.markercluster@1.1.0", "package/dist/MarkerCluster.Default.css"),
    REQUIRE_JS: ("requirejs@2.3.4", "package/require.js"),
    HTML_MANAGER.format("^1.0.1"): ("@jupyter-widgets/html-manager@^1.0.1",
                                    "package/dist/embed-amd.js"),
    HTML_MANAGER.format("%5E1.0.1"): ("@jupyter-widgets/html-manager@^1.0.1",
                                      "package/dist/embed-amd.js"),
}


def available(tool: str) -> bool:
    return all(importlib.util.find_spec(module) for module in TOOLS[tool][2])


def geomap_command() -> list[str]:
    script = Path(sys.executable).parent / "geomap"
    return [str(script)] if script.exists() else ["geomap"]


def run_process(command: list[str], cap: float, env: dict | None = None) -> dict:
    """Wall and CPU seconds and peak RSS (MiB) of one process; ``error`` if it fails or
    outlives ``cap`` seconds (then it is killed with its children)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env,
                                   start_new_session=True)
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            wall = time.perf_counter() - start
            if pid:
                break
            if wall > cap:
                os.killpg(process.pid, signal.SIGKILL)
                os.wait4(process.pid, 0)
                process.returncode = -9
                return {"error": f"did not finish in {cap:g} s"}
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            tail = err.read().decode(errors="replace").strip().splitlines()[-1:] or ["?"]
            return {"error": f"failed: {tail[0][:200]}"}
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss": usage.ru_maxrss / 1024}


def repeated(run, repeat: int, slow: float) -> list[dict]:
    """``run()`` up to ``repeat`` times, stopping after a failure or a run slower than ``slow``."""
    runs = []
    for _ in range(repeat):
        result = run()
        runs.append(result)
        if result.get("error") or result.get("wall", 0) > slow or (
                "drawn" in result and result["drawn"] is None):
            break
    return runs


class NotOffline(Exception):
    """A file the page needs cannot be had from the npm registry."""


def npm_file(work: Path, spec: str, inner: str) -> Path:
    """A file from an npm package, packed once into the work folder."""
    import tarfile

    folder = work / "npm" / re.sub(r"[^A-Za-z0-9.]+", "_", spec)
    target = folder / inner
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        out = subprocess.run(["npm", "pack", spec, "--silent", "--pack-destination", str(folder)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise NotOffline(f"{spec} is not in the npm registry (npm pack failed)")
        with tarfile.open(folder / out.stdout.strip().splitlines()[-1]) as tar:
            member = tar.getmember(inner)
            if not member.isfile():
                raise NotOffline(f"{inner} in {spec} is not a plain file")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())  # no paths from the archive
    return target


def offline_files(work: Path, html: Path, tool: str) -> dict[str, Path]:
    """Every CDN file the page may ask for, from geomap's asset cache or from npm."""
    from tests.browser_support import cdn_files

    files = cdn_files()
    for url, (spec, inner) in NPM_FILES.items():
        if tool != "lonboard" and "cloudflare.com/ajax/libs/require" in url:
            continue
        if tool != "lonboard" and "html-manager" in url:
            continue
        if tool != "fast_cluster" and "markercluster" in url:
            continue
        files[url] = npm_file(work, spec, inner)
    if tool == "lonboard":
        text = html.read_text(encoding="utf-8", errors="replace")
        anywidget = version("anywidget").rsplit(".", 1)[0]
        files[f"https://cdn.jsdelivr.net/npm/anywidget@~{anywidget}.*/dist/index.js"] = npm_file(
            work, f"anywidget@~{anywidget}", "package/dist/index.js")
        # the bundle builds the URL from a variable: parquet-wasm@${v}/esm/..., v="0.9.0"
        names = re.findall(r"parquet-wasm@\$\{([A-Za-z_$][\w$]*)\}/esm/parquet_wasm_bg", text)
        wasms = {value for name in names for value in
                 re.findall(r"(?<![\w$])" + re.escape(name) + r'=\\?"([0-9.]+)\\?"', text)}
        for wasm in wasms:
            files[f"https://cdn.jsdelivr.net/npm/parquet-wasm@{wasm}/esm/parquet_wasm_bg.wasm"] = (
                npm_file(work, f"parquet-wasm@{wasm}", "package/esm/parquet_wasm_bg.wasm"))
    return files


def draw(html: Path, tool: str, count: int, cap: float, work: Path) -> dict:
    """Drawing in Chromium, in its own process killed at the cap (a page too large for the
    browser can stall Playwright itself)."""
    command = [sys.executable, __file__, "--draw", str(html), tool, str(count), str(cap),
               str(work)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=cap + 60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # the browser and Playwright's driver too
        process.communicate()
        return {"drawn": None, "error": f"did not draw in {cap:g} s"}
    if process.returncode != 0:
        return {"drawn": None, "error": "browser run failed: " + stderr.strip()[-200:]}
    return json.loads(stdout.strip().splitlines()[-1])


#: when each page counts as drawn (then two more frames, except geomap, which says so itself)
DRAWN = {
    "geomap": "window.geomap && window.geomap.drawnAt !== null",
    # every event's marker element is in the page
    "plain_folium": "document.querySelectorAll('.leaflet-marker-icon').length >= {count}",
    # one SVG path per row of the GeoDataFrame
    "explore": "document.querySelectorAll('.leaflet-interactive').length >= {count}",
    # markers are added in one synchronous loop before the cluster layer joins the map
    "fast_cluster": "document.querySelectorAll('.marker-cluster, .leaflet-marker-icon').length > 0",
    # deck.gl's canvas, or the embedder's error message
    "lonboard": "document.querySelector('canvas') !== null || "
                "document.body.innerText.includes('javascript error')",
}
TWO_FRAMES = """() => new Promise((resolve) => requestAnimationFrame(() =>
  requestAnimationFrame(() => resolve(performance.now()))))"""
FILTER_CHANGE = """() => new Promise((resolve) => {
  const radio = document.querySelector('input[name=gm-confidence][value=reported]');
  if (!radio) { resolve(null); return; }
  const t = performance.now();
  radio.click();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t)));
})"""


def _draw_in_browser(html: Path, tool: str, count: int, cap: float, work: Path) -> dict:
    from playwright.sync_api import Error, sync_playwright

    from tests.browser_support import launch, offline_router

    result = {"drawn": None, "heap": None, "filter": None, "error": None}
    try:
        files = offline_files(work, html, tool)
    except NotOffline as exc:
        result["error"] = f"cannot be served offline: {exc}"
        return result
    if tool == "lonboard":
        # npm has require.js 2.3.4 but not cdnjs's minified copy, whose hash the page pins
        copy = html.with_name(html.stem + ".offline.html")
        copy.write_text(re.sub(r' integrity="[^"]*"', "",
                               html.read_text(encoding="utf-8", errors="replace")),
                        encoding="utf-8")
        html = copy
    blocked: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright, shutil.which("chromium"))
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", offline_router(files, blocked))
        try:
            page.goto(html.resolve().as_uri(), wait_until="commit", timeout=cap * 1000)
            page.wait_for_function(DRAWN[tool].format(count=count), timeout=cap * 1000,
                                   polling=100)
            if tool == "geomap":
                drawn = page.evaluate("window.geomap.drawnAt")
                shown = page.evaluate("window.geomap.drawnCount()")
                if shown != count:
                    result["error"] = f"drew {shown} of {count} events"
            elif tool == "lonboard" and page.evaluate(
                    "document.body.innerText.includes('javascript error')"):
                page.click("text=Click to show javascript error.")
                lines = page.evaluate("document.body.innerText").splitlines()
                message = next((line for line in lines if "Error" in line), lines[-1:])
                result["error"] = f"page error: {str(message)[:160]}"
                drawn = None
            else:
                drawn = page.evaluate(TWO_FRAMES)
            if drawn is not None and result["error"] is None:
                result["drawn"] = drawn / 1000
                cdp = page.context.new_cdp_session(page)
                result["heap"] = cdp.send("Runtime.getHeapUsage")["usedSize"] / 2**20
                if tool == "geomap":
                    change = page.evaluate(FILTER_CHANGE)
                    result["filter"] = None if change is None else change / 1000
        except Error as exc:
            result["error"] = (f"did not draw in {cap:g} s" if "Timeout" in str(exc)
                               else f"browser: {str(exc).splitlines()[0][:160]}")
        finally:
            browser.close()
    if blocked and result["error"]:
        result["error"] += f" (blocked offline: {', '.join(sorted(set(blocked)))[:200]})"
    return result


def stats(values) -> dict | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "runs": len(values)}


def summarise(runs: list[dict], keys) -> dict:
    out = {key: stats([run.get(key) for run in runs]) for key in keys}
    errors = [run["error"] for run in runs if run.get("error")]
    out["error"] = errors[0] if errors else None
    return out


def make_case(shape: str, n: int, work: Path) -> Path:
    if shape == "airports":
        from benchmarks.airports import generate as airports

        return airports(n, work / f"data-airports-{n}")
    from benchmarks.synthetic import generate

    return generate(n, work / f"data-{shape}-{n}", shape=shape)


def measure_case(shape: str, n: int, args, work: Path) -> dict:
    data = make_case(shape, n, work)
    csv_bytes = (data / "events.csv").stat().st_size
    case = {"shape": shape, "n": n, "csv_bytes": csv_bytes, "tools": {}}
    cache = work / f"route-cache-{shape}-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, GEOMAP_CACHE_DIR=str(cache))
    if csv_bytes > 100e6:  # above geomap's default limit on a data file, as a user would
        env["GEOMAP_MAX_CSV_MB"] = str(int(csv_bytes / 1e6) + 1)
    for tool in args.tools:
        if not available(tool):
            case["tools"][tool] = {"skipped": "not installed (pip install -e '.[bench]')"}
            continue
        if n > args.peers_up_to and tool not in ("geomap", "floor"):
            case["tools"][tool] = {"skipped": f"above --peers-up-to {args.peers_up_to:,}"}
            continue
        print(f"  {shape} {n:,}: {tool}", file=sys.stderr, flush=True)
        html = work / f"{tool}-{shape}-{n}.html"
        if tool == "geomap":
            command = [*geomap_command(), "render", "--data", str(data), "--output", str(html)]
            cold = run_process(command, args.build_cap, env)
        else:
            command = [sys.executable, str(HERE / TOOLS[tool][1]), str(data), str(html)]
            cold = None
        builds = repeated(lambda c=command: run_process(c, args.build_cap, env), args.repeat,
                          args.slow)
        entry = {"build": summarise(builds, ("wall", "cpu", "rss")), "cold": cold}
        if entry["build"]["error"] is None:
            entry["html"] = html.stat().st_size
            if tool != "floor":
                draws = repeated(lambda t=tool, h=html: draw(h, t, n, args.cap, work),
                                 args.repeat, float("inf"))
                entry["draw"] = summarise(draws, ("drawn", "heap", "filter"))
        if tool == "geomap":
            geo = work / f"geomap-{shape}-{n}.geojson"
            commands = {
                "stats": [*geomap_command(), "stats", "--data", str(data)],
                "export": [*geomap_command(), "export", "--data", str(data), "--format",
                           "geojson", "--output", str(geo)],
            }
            for label, extra in commands.items():
                runs = repeated(lambda c=extra: run_process(c, args.build_cap, env), args.repeat,
                                args.slow)
                entry[label] = summarise(runs, ("wall", "cpu", "rss"))
            entry["geojson"] = geo.stat().st_size if geo.exists() else None
        case["tools"][tool] = entry
    return case


def startup() -> dict:
    """``geomap --help`` beside importing geopandas + folium; heavy modules per command."""
    geomap = geomap_command()
    helps = [run_process([*geomap, "--help"], 60)["wall"] for _ in range(5)]
    imports = [run_process([sys.executable, "-c", "import geopandas, folium"], 60)["wall"]
               for _ in range(5)]
    return {"help": statistics.median(helps), "import": statistics.median(imports)}


# --- the report -----------------------------------------------------------------------------

def cell(summary: dict | None, unit: str = "s", digits: int = 2, scale: float = 1) -> str:
    if not summary:
        return "—"
    unit = unit if unit.startswith(" ") else " " + unit
    text = f"{summary['median'] * scale:.{digits}f}{unit}"
    if summary["runs"] > 1:
        text += f" ({summary['min'] * scale:.{digits}f}–{summary['max'] * scale:.{digits}f})"
    else:
        text += " (1 run)"
    return text


def median_of(entry: dict, part: str, key: str):
    summary = (entry.get(part) or {}).get(key)
    return summary["median"] if summary else None


def ratio(a, b) -> str:
    return f"{a / b:.2f}×" if a is not None and b else "—"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        chromium = subprocess.run([shutil.which("chromium"), "--version"], capture_output=True,
                                  text=True).stdout.strip()
    except (OSError, TypeError):
        chromium = "unknown"
    packages = []
    for name in ("geomap", "folium", "geopandas", "shapely", "pandas", "pyproj", "searoute",
                 "mapclassify", "lonboard", "anywidget", "pyarrow", "airportsdata", "matplotlib",
                 "playwright"):
        try:
            packages.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            packages.append(f"{name} not installed")
    return {
        "cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
        "memory_gib": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
        "system": f"{platform.system()} {platform.release()}", "packages": packages,
        "chromium": chromium,
    }


def case_table(case: dict) -> list[str]:
    csv_bytes, tools = case["csv_bytes"], case["tools"]
    floor_wall = median_of(tools.get("floor", {}), "build", "wall")
    lines = [
        "| tool | build wall | build CPU | peak RSS | HTML | HTML ÷ CSV | wall ÷ floor | "
        "drawn in Chromium | JS heap drawn |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    notes = []
    for tool, entry in tools.items():
        label = TOOLS[tool][0]
        if "skipped" in entry:
            lines.append(f"| {label} | {entry['skipped']} | | | | | | | |")
            continue
        build, draw_ = entry["build"], entry.get("draw") or {}
        html = entry.get("html")
        drawn = cell(draw_.get("drawn")) if tool != "floor" else "(no map)"
        if tool != "floor" and draw_.get("error"):
            drawn = f"{drawn}; {draw_['error']}" if draw_.get("drawn") else draw_["error"]
        lines.append(
            f"| {label} | {cell(build['wall'])}"
            + (f"; {build['error']}" if build["error"] else "")
            + f" | {cell(build['cpu'])} | {cell(build['rss'], ' MiB', 0)} | "
            + (f"{html / 2**20:.1f} MiB | {html / csv_bytes:.2f} | " if html else "— | — | ")
            + f"{ratio(median_of(entry, 'build', 'wall'), floor_wall)} | {drawn} | "
            + f"{cell(draw_.get('heap'), ' MiB', 0)} |"
        )
    geomap = tools.get("geomap", {})
    if "build" in geomap:
        cold = geomap.get("cold") or {}
        notes.append(
            "- geomap, first render with an empty route cache: "
            + (f"{cold['wall']:.2f} s, {cold['rss']:.0f} MiB" if "wall" in cold
               else cold.get("error", "—"))
            + "; filter change in the page: "
            + cell((geomap.get("draw") or {}).get("filter"), " ms", 0, 1000) + "."
        )
        for label, command in (("stats", "`geomap stats`"),
                               ("export", "`geomap export --format geojson`")):
            part = geomap.get(label) or {}
            notes.append(
                f"- {command}: {cell(part.get('wall'))}, CPU {cell(part.get('cpu'))}, "
                f"peak RSS {cell(part.get('rss'), ' MiB', 0)}"
                + (f"; {part['error']}" if part.get("error") else "")
                + (f"; GeoJSON {geomap['geojson'] / 2**20:.1f} MiB"
                   if label == "export" and geomap.get("geojson") else "") + "."
            )
        ratios = []
        for peer in ("floor", *PEERS):
            other = tools.get(peer, {})
            if "build" not in other:
                continue
            parts = [f"{label} " + ratio(median_of(geomap, "build", key),
                                         median_of(other, "build", key))
                     for label, key in (("build", "wall"), ("CPU", "cpu"), ("RSS", "rss"))]
            parts.append(f"HTML {ratio(geomap.get('html'), other.get('html'))}")
            if peer != "floor":
                parts.append("drawn " + ratio(median_of(geomap, "draw", "drawn"),
                                              median_of(other, "draw", "drawn")))
            ratios.append(f"  - vs {TOOLS[peer][0]}: " + ", ".join(parts))
        if ratios:
            notes.append("- geomap ÷ other (below 1 means geomap is faster, smaller or "
                         "lighter; — where one side has no figure):")
            notes += ratios
    return [*lines, "", *notes]


def verdict(ok) -> str:
    return "—" if ok is None else ("met" if ok else "**NOT met**")


def targets(cases: list[dict]) -> list[str]:
    real = [c for c in cases if c["shape"] == "real" and c["n"] <= 100_000]
    if not real:
        return []
    case = max(real, key=lambda c: c["n"])
    tools = case["tools"]
    g = tools.get("geomap", {})
    if "build" not in g:
        return []

    def m(tool, part, key):
        return median_of(tools.get(tool, {}), part, key)

    wall, floor_wall = m("geomap", "build", "wall"), m("floor", "build", "wall")
    fmc, lon = m("fast_cluster", "build", "wall"), m("lonboard", "build", "wall")
    html_ratio = g["html"] / case["csv_bytes"] if g.get("html") else None
    drawn, fmc_drawn = m("geomap", "draw", "drawn"), m("fast_cluster", "draw", "drawn")
    rss, heap, filt = m("geomap", "build", "rss"), m("geomap", "draw", "heap"), m(
        "geomap", "draw", "filter")

    def both(a, b, test):
        return None if a is None or b is None else test(a, b)

    def fmt(value, unit="s", digits=2):
        return "—" if value is None else f"{value:.{digits}f} {unit}"

    rows = [
        ("render within 1.5× the floor", f"{ratio(wall, floor_wall)} ({fmt(wall)} vs "
         f"{fmt(floor_wall)})", both(wall, floor_wall, lambda a, b: a <= 1.5 * b)),
        ("render ahead of FastMarkerCluster", f"{fmt(wall)} vs {fmt(fmc)}",
         both(wall, fmc, lambda a, b: a < b)),
        ("render ahead of lonboard", f"{fmt(wall)} vs {fmt(lon)}",
         both(wall, lon, lambda a, b: a < b)),
        ("HTML at most 0.5× the CSV", "—" if html_ratio is None else f"{html_ratio:.2f}×",
         None if html_ratio is None else html_ratio <= 0.5),
        ("drawn in under 2 s", fmt(drawn), None if drawn is None else drawn < 2),
        ("drawn no later than FastMarkerCluster (which draws no routes)",
         f"{fmt(drawn)} vs {fmt(fmc_drawn)}", both(drawn, fmc_drawn, lambda a, b: a <= b)),
        ("peak memory under 500 MB in Python", fmt(rss, "MiB", 0),
         None if rss is None else rss * 2**20 < 500e6),
        ("JS heap under 300 MB", fmt(heap, "MiB", 0),
         None if heap is None else heap * 2**20 < 300e6),
        ("filter change under 50 ms", fmt(None if filt is None else filt * 1000, "ms", 0),
         None if filt is None else filt < 0.05),
    ]
    missing = []
    routes = [c for c in cases if c["shape"] == "routes" and c["n"] >= 50_000]
    if routes:
        r = min(routes, key=lambda c: c["n"])
        r_drawn = median_of(r["tools"].get("geomap", {}), "draw", "drawn")
        rows.append((f"{r['n']:,} distinct routes drawn in under 3 s", fmt(r_drawn),
                     None if r_drawn is None else r_drawn < 3))
    else:
        missing.append("50,000 distinct routes drawn in under 3 s (no routes case)")
    million = [c for c in cases if c["shape"] == "real" and c["n"] >= 1_000_000]
    if million:
        big = million[0]["tools"].get("geomap", {})
        b_wall, b_rss = median_of(big, "build", "wall"), median_of(big, "build", "rss")
        b_drawn = median_of(big, "draw", "drawn")
        rows += [
            ("1,000,000 events: render under 15 s", fmt(b_wall),
             None if b_wall is None else b_wall < 15),
            ("1,000,000 events: render under 2 GB", fmt(b_rss, "MiB", 0),
             None if b_rss is None else b_rss * 2**20 < 2e9),
            ("1,000,000 events: page loads and draws in under 8 s",
             fmt(b_drawn) if b_drawn is not None else
             ((big.get("draw") or {}).get("error") or "—"),
             None if b_drawn is None else b_drawn < 8),
        ]
    else:
        missing.append("the targets at 1,000,000 events (no 1M case in this run)")
    lines = [
        f"## Issue 19's targets, at {case['n']:,} events of real shape",
        "",
        "| target | measured (medians) | |",
        "|---|---|---|",
        *[f"| {name} | {value} | {verdict(ok)} |" for name, value, ok in rows],
        "",
    ]
    if missing:
        lines += ["Not measured in this run: " + "; ".join(missing) + ".", ""]
    return lines


def plot(cases: list[dict], path: Path) -> bool:
    """Build wall and CPU time, peak RSS and drawing time against N per tool, a row per shape."""
    try:
        import matplotlib
    except ImportError:
        return False
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shapes = [s for s in ("today", "real") if any(c["shape"] == s for c in cases)]
    if not shapes:
        return False
    panels = (("build", "wall", "build wall time (s)"), ("build", "cpu", "build CPU time (s)"),
              ("build", "rss", "peak RSS (MiB)"), ("draw", "drawn", "drawn in Chromium (s)"))
    fig, axes = plt.subplots(len(shapes), len(panels), figsize=(19, 4.2 * len(shapes)),
                             squeeze=False)
    for row, shape in enumerate(shapes):
        chosen = sorted((c for c in cases if c["shape"] == shape), key=lambda c: c["n"])
        for col, (part, key, title) in enumerate(panels):
            ax = axes[row][col]
            for index, tool in enumerate(TOOLS):
                points = [(c["n"], median_of(c["tools"].get(tool, {}), part, key))
                          for c in chosen]
                points = [(x, y) for x, y in points if y is not None]
                if points:
                    ax.plot(*zip(*points, strict=True), marker="o", color=f"C{index}",
                            label=TOOLS[tool][0])
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("events")
            ax.set_title(f"{shape} shape: {title}")
            ax.grid(True, which="both", alpha=0.3)
    axes[0][0].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
    return True


def report(run: dict, args) -> str:
    info, cases = run["machine"], run["cases"]
    load_before, load_after = run["load_before"], run["load_after"]
    plotted = run.get("plot")
    lines = [
        "# Benchmark: geomap beside the floor and its peers",
        "",
        "Written by `benchmarks/bench.py` from one run; do not edit by hand.",
        "",
        f"- Command: `{run['command']}` (took {run['elapsed'] / 60:.1f} min, "
        f"started {run['started']})"
        + ("" if len(cases) == run.get("planned", len(cases)) else
           f"; **cut short**: {len(cases)} of {run['planned']} cases measured"),
        f"- Machine: {info['cores']} cores, {info['cpu']}, {info['memory_gib']:.0f} GiB memory, "
        f"{info['system']}. **Shared during the run**: load average (1, 5, 15 min) "
        f"{', '.join(f'{v:.2f}' for v in load_before)} before and "
        f"{', '.join(f'{v:.2f}' for v in load_after)} after, on {info['cores']} cores; "
        "absolute times are inflated by other work, ratios within one case less so.",
        f"- Python {info['python']}; {', '.join(info['packages'])}; {info['chromium']}",
        "- Data: *today* is `synthetic.py`'s mix over 60 places and about 200 distinct stop "
        "pairs; *real* has N/2 distinct literal coordinates and N/5 distinct routes (100,000 "
        "events: 50,000 and 20,000); *airports* is every airport with an IATA code in "
        "`airportsdata` as places, with flights built deterministically between them "
        "(`airports.py`: the package has no routes); *routes* is N flights, each on a route of "
        "its own between two literal coordinates. Above `--peers-up-to` "
        f"({getattr(args, 'peers_up_to', 100_000):,} events) only geomap and the floor run. "
        "HTML ÷ CSV is against events.csv.",
        "- geomap: `geomap render`, as a user runs it (validation, routing, rendering, atomic "
        "write), with a route cache filled by a first, *cold* render; `geomap stats` and "
        "`geomap export --format geojson` on the same data.",
        "- Floor (`floor.py`): pandas reads the three CSVs and writes them as one JSON document "
        "in an HTML file; no map. Peers read the same CSVs with the same small reader "
        "(`peer_data.py`: ids or literal coordinates, straight lines, escaped popups; no "
        "validation, sea lanes or geodesics): plain folium (a Marker + Popup per event, a "
        "PolyLine per route), `explore()` (one GeoJson layer of circle markers and lines, "
        "popups), FastMarkerCluster (markers with popups made in the page, clustered; **no "
        "routes**) and lonboard (ScatterplotLayer + PathLayer, `Map.to_html`). The folium "
        "peers load Leaflet and jQuery only.",
        "- Build: one process per run; wall time, CPU time (user + system) and peak RSS from "
        "`wait4`. On the shared machine wall times swing with other work; CPU time is the "
        "steadier figure.",
        "- Drawn: from navigation start in headless Chromium (1280×800, offline: CDN files "
        "served from geomap's asset cache and from npm packages) until: geomap's "
        "`window.geomap.drawnAt` (its first frame after every event is added; the count is "
        "checked), plain folium every marker element in the page, explore() one SVG path per "
        "row, FastMarkerCluster its first cluster icon (after its synchronous loop has added "
        "every marker), lonboard deck.gl's canvas; then two frames (not for geomap). "
        f"A page still not drawn {args.cap:g} s after its navigation committed *did not draw* "
        "(so a time above that cap can appear). JS heap: CDP `Runtime.getHeapUsage` "
        "(used) once drawn. Filter change: geomap's *confidence ≥ reported* clicked, until two "
        "frames later.",
        f"- Figures are medians of {args.repeat} runs with the range in brackets; a build slower "
        f"than {args.slow:g} s, or a run that failed or did not draw, is not repeated "
        "(*1 run*). Builds are killed after "
        f"{args.build_cap:g} s.",
        "",
    ]
    if plotted:
        lines += [f"![time and memory against N]({plotted})", ""]
    else:
        lines += ["(No plot: matplotlib is not installed.)", ""]
    lines += targets(cases)
    for case in cases:
        lines += [
            f"## {case['shape']} shape, {case['n']:,} events (events.csv: "
            f"{case['csv_bytes'] / 2**20:.1f} MiB)",
            "",
            *case_table(case),
            "",
        ]
    lonboard_errors = {(c["tools"].get("lonboard", {}).get("draw") or {}).get("error")
                       for c in cases} - {None}
    if lonboard_errors:
        lines += [
            "## lonboard in the browser",
            "",
            "lonboard installs and writes its HTML here, but its page did not draw offline: "
            f"{'; '.join(sorted(lonboard_errors))}. Its page loads require.js and the "
            "ipywidgets embedder (`@jupyter-widgets/html-manager` 1.x) from CDNs, then anywidget "
            "and parquet-wasm from jsDelivr; the benchmark serves each from its npm package and "
            "drops the page's integrity attribute on require.js (npm has no copy of cdnjs's "
            "minified file). Its HTML size and build figures stand; its drawing is not "
            "measured. (Tried by hand before the run, with anywidget served from npm and "
            "parquet-wasm blocked, the embedder stopped with anywidget's *WidgetBinding not "
            "found*.)",
            "",
        ]
    start = run.get("startup")
    if start:
        lines += [
            "## Start-up",
            "",
            f"- `geomap --help`: {start['help']:.2f} s (median of 5); "
            f"`python -c \"import geopandas, folium\"`: {start['import']:.2f} s.",
            "",
        ]
    if not any(c["n"] >= 1_000_000 for c in cases):
        lines += [
            "## Not run",
            "",
            "1,000,000 events: `python benchmarks/bench.py --sizes 1000000 --shapes real "
            "--airports 0 --routes 0 --repeat 1 --cap 120 --build-cap 1800` (above "
            "`--peers-up-to`, only geomap and the floor are measured).",
            "",
        ]
    return "\n".join(lines)


def write(run: dict, args) -> str:
    """RESULTS.md, its plot and the raw figures (RESULTS.json) from one run's results."""
    args.output.parent.mkdir(parents=True, exist_ok=True)
    picture = args.output.with_suffix(".png")
    run["plot"] = picture.name if plot(run["cases"], picture) else None
    args.output.with_suffix(".json").write_text(json.dumps(run, indent=1), encoding="utf-8")
    text = report(run, args)
    args.output.write_text(text, encoding="utf-8")
    return text


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--draw":
        html, tool, count, cap, work = argv[1:6]
        print(json.dumps(_draw_in_browser(Path(html), tool, int(count), float(cap), Path(work))))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--shapes", nargs="+", choices=("today", "real"),
                        default=["today", "real"])
    parser.add_argument("--airports", type=int, default=100_000,
                        help="events in the airports case (0: none)")
    parser.add_argument("--routes", type=int, default=50_000,
                        help="events in the distinct-routes case, one route each (0: none)")
    parser.add_argument("--peers-up-to", type=int, default=100_000, metavar="N",
                        help="above N events only geomap and the floor are measured")
    parser.add_argument("--tools", nargs="+", choices=tuple(TOOLS), default=list(TOOLS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--slow", type=float, default=60.0)
    parser.add_argument("--cap", type=float, default=60.0)
    parser.add_argument("--build-cap", type=float, default=900.0)
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--from-json", type=Path, metavar="RESULTS.json",
                        help="rewrite the report and plot from a finished run's figures")
    args = parser.parse_args(argv)
    if args.from_json:
        run = json.loads(args.from_json.read_text(encoding="utf-8"))
        original = parser.parse_args(shlex.split(run["command"])[2:])
        original.output = args.output
        print(write(run, original))
        return 0
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    run = {
        "command": "python benchmarks/bench.py " + shlex.join(argv),
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_before": os.getloadavg(), "machine": machine(), "cases": [],
    }
    began = time.perf_counter()
    plan = [(shape, n) for n in args.sizes for shape in args.shapes]
    # the largest real-shape case first among the large ones: it carries issue 19's targets
    plan.sort(key=lambda case: (case[1], case[0] != "real"))
    large = [case for case in plan if case[1] > args.peers_up_to]  # geomap alone: last
    plan = [case for case in plan if case[1] <= args.peers_up_to]
    if args.routes:
        plan.append(("routes", args.routes))
    if args.airports:
        plan.append(("airports", args.airports))
    plan += large
    run["planned"] = len(plan)
    for shape, n in plan:
        print(f"measuring {shape} {n:,} …", file=sys.stderr, flush=True)
        run["cases"].append(measure_case(shape, n, args, args.work))
        run["elapsed"] = time.perf_counter() - began
        run["load_after"] = os.getloadavg()
        write(run, args)  # after every case, so a run cut short still leaves its figures
    run["startup"] = startup()
    run["elapsed"] = time.perf_counter() - began
    run["load_after"] = os.getloadavg()
    print(write(run, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
